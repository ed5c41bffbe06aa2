"""Encoding rules, one per module."""
