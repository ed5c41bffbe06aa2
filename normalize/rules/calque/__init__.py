"""Calque rules: source-language expressions rendered word for word, false friends."""
