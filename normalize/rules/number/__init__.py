"""Number rules: numbers, dates and quantities compared with the source text."""
