"""Russian."""
from .base import Language


class Russian(Language):
    code = "ru"
    name = "Russian"
    parent = "und"
    quotes = ("\u00ab", "\u00bb")
    foreign_quotes = (("\u201c", "\u201d"),)
    cut_marker = "(\u2026)"
    foreign_cut_markers = ("[\u2026]",)


LANGUAGE = Russian
