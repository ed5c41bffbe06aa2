"""Person-name rules, one per module."""
