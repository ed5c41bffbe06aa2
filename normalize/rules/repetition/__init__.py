"""Repetition rules, one per module."""
