"""typography.sentence_spacing: no space after a sentence's end ("word.Next"), and a
sentence that starts in lowercase after a full stop ("word. next").

Both betray text glued from pieces (a scraped paragraph, a machine-joined
segment). Left alone: web addresses and e-mail, file names, tokens with
several dots (U.S., p.m., e.g.), single letters (initials), the language's
abbreviations (``abbreviations`` in ``typography.yaml``), brand names in
mixed case (iPhone).
"""
from __future__ import annotations

from collections.abc import Iterator

from ...findings import Category, Finding, FixSafety, Severity
from ...patterns import LazyPattern
from ...registry import Context, Rule, register
from ._typo import typography

_L = r"[^\W\d_]"
# two lowercase letters, the sentence end, a capitalised word of two or more letters
_GLUED = LazyPattern(r"(?P<end>[.!?])(?<=[^\W\d_][^\W\d_][.!?])(?=(?P<next>[^\W\d_][^\W\d_]+))")
#: Top-level domains that end a site's name written as a brand (Pravda.Ru).
_DOMAINS = frozenset({"ru", "ua", "by", "kz", "com", "org", "net", "info", "de", "fr", "uk", "eu", "io", "tv",
                      "pl", "it", "es", "us", "me", "news", "online"})
_LOWER_START = LazyPattern(r"\. (?P<next>[^\W\d_][^\W\d_]*)")
_PREV = LazyPattern(r"[\w.’'-]+$")


def _token(text: str, start: int, end: int) -> str:
    """The whitespace-delimited token around ``text[start:end]``."""
    lo = start
    while lo > 0 and not text[lo - 1].isspace():
        lo -= 1
    hi = end
    while hi < len(text) and not text[hi].isspace():
        hi += 1
    return text[lo:hi]


def _looks_like_address(token: str) -> bool:
    low = token.lower()
    return "/" in token or "@" in token or low.startswith("www") or "_" in token or "#" in token


@register
class SentenceSpacing(Rule):
    id = "typography.sentence_spacing"
    category = Category.TYPOGRAPHY
    scope = "line"
    severity = Severity.WARNING
    fixes = frozenset({FixSafety.SAFE, FixSafety.UNSAFE})
    mqm = "Fluency/Punctuation"
    languages = frozenset({"en", "fr", "de", "es", "it", "ru"})
    description = "No space after a sentence's end (word.Next); a lowercase word starting a sentence."

    def check(self, ctx: Context) -> Iterator[Finding]:
        text = ctx.text
        yield from self._glued(ctx, text)
        yield from self._lower_starts(ctx, text)

    def _glued(self, ctx: Context, text: str) -> Iterator[Finding]:
        for m in _GLUED.finditer(text):
            i, nxt = m.start(), m.group("next")
            before = text[i - 2:i]
            if not before.islower() or not nxt[0].isupper() or not nxt[1:].islower():
                continue
            token = _token(text, i, i + 1)
            if _looks_like_address(token) or token.count(".") > 1:
                continue
            if nxt.lower() in _DOMAINS and token[:1].isupper():
                continue  # a site named as a brand: Pravda.Ru, Gazeta.Ua
            # "Kyiv.The" is two sentences, "Rino.Ink" a brand: after a capitalised word, unsure
            # (German capitalises every noun: there the capital says nothing)
            brand = token[:1].isupper() and not ctx.language.capitalises_nouns
            yield self.finding(ctx, i, i + 1,
                               f"no space after '{m.group('end')}' before '{nxt}': a sentence glued to the next",
                               replacement=m.group("end") + " ",
                               fix=FixSafety.UNSAFE if brand else FixSafety.SAFE,
                               severity=Severity.INFO if brand else Severity.WARNING)

    def _lower_starts(self, ctx: Context, text: str) -> Iterator[Finding]:
        # The language's abbreviations, lower-cased when a candidate first needs them:
        # most texts have none, and building the set was most of a short text's check.
        abbreviations: set[str] | None = None
        for m in _LOWER_START.finditer(text):
            nxt = m.group("next")
            if not nxt.islower():
                continue
            # the word before the full stop, read backwards only where a lowercase word follows
            before = _PREV.search(text, max(0, m.start() - 40), m.start())
            prev = before.group() if before else ""
            if not nxt.islower() or len(prev) < 2 or "." in prev or not prev[-1].isalpha():
                continue
            if abbreviations is None:
                abbreviations = {a.lower() for a in typography(ctx).get("abbreviations", ())}
            if prev.lower() in abbreviations or prev.isupper() or _looks_like_address(prev):
                continue
            rest = text[m.end("next"):m.end("next") + 2]
            if not (rest[:1] == " " and rest[1:].isalpha()):
                continue  # a credit closing the paragraph (". dpa"), not a sentence
            start = m.start("next")
            yield self.finding(ctx, start, m.end("next"),
                               f"'{nxt}' starts a sentence in lowercase after a full stop; capitalise it, "
                               "or the full stop is stray", replacement=nxt[0].upper() + nxt[1:],
                               fix=FixSafety.UNSAFE, severity=Severity.INFO)
