"""Debris rules, one per module."""
