"""Italian."""
from .base import Language


class Italian(Language):
    code = "it"
    name = "Italian"
    parent = "und"
    quotes = ("\u00ab", "\u00bb")
    foreign_quotes = (("\u201e", "\u201c"),)
    cut_marker = "[\u2026]"


LANGUAGE = Italian
