"""French."""
from .base import Language


class French(Language):
    code = "fr"
    name = "French"
    parent = "und"
    quotes = ("\u00ab", "\u00bb")
    foreign_quotes = (("\u201c", "\u201d"), ("\u201e", "\u201c"))
    cut_marker = "(\u2026)"
    foreign_cut_markers = ("[\u2026]", "[...]")
    spaced_punctuation = ";:!?"


LANGUAGE = French
