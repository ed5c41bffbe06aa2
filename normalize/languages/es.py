"""Spanish."""
from .base import Language


class Spanish(Language):
    code = "es"
    name = "Spanish"
    parent = "und"
    quotes = ("\u00ab", "\u00bb")
    foreign_quotes = (("\u201e", "\u201c"),)
    cut_marker = "(\u2026)"
    foreign_cut_markers = ()


LANGUAGE = Spanish
