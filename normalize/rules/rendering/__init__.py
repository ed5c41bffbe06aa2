"""Rendering rules: one source expression translated several ways in one text."""
