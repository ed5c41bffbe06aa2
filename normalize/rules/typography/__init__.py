"""Typography rules, one per module."""
