"""Untranslated-text rules, one per module."""
