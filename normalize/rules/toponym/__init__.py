"""Toponym rules, one per module."""
