"""English."""
from .base import Language


class English(Language):
    code = "en"
    name = "English"
    parent = "und"
    quotes = ("\u201c", "\u201d")
    foreign_quotes = (("\u00ab", "\u00bb"), ("\u201e", "\u201c"),
                      # Chinese and Japanese corner brackets
                      ("\u300c", "\u300d"), ("\u300e", "\u300f"))
    cut_marker = "[\u2026]"
    # "(…)" is how French and Spanish copy mark a cut inside a quote.
    foreign_cut_markers = ("(\u2026)", "(...)")


LANGUAGE = English
