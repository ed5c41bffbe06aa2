"""German."""
from .base import Language


class German(Language):
    code = "de"
    name = "German"
    parent = "und"
    capitalises_nouns = True
    quotes = ("\u201e", "\u201c")
    foreign_quotes = (("\u00ab", "\u00bb"),)
    cut_marker = "[\u2026]"
    foreign_cut_markers = ("(\u2026)", "(...)")


LANGUAGE = German
