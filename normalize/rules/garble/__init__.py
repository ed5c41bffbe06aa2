"""Garble rules, one per module."""
