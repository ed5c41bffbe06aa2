"""garble.source_word_order: the source language's word order left in the translation.

Two patterns, both ungrammatical in English whatever the source, so the rule
needs no ``--source-lang``; the message names the language the pattern comes
from, and notes when ``--source-lang`` names another one:

* German verb-final clause after a modal: "We will the integration of refugees
  support." (``Wir werden die Integration der Flüchtlinge unterstützen``)
* Russian subject-less reporting: "In Baku said that ...", "In Stepanakert this
  information denied", "In the ministry reported" (``В Баку заявили, что``).

Data: ``word_order.yaml`` (modals, determiners, verbs, bodies). Candidates
come from one vectorised word lookup (``_lookup.pair_hits``), not from a
regex scan of the whole text.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise

from ...analysis.lookup import pair_hits
from ...findings import Category, Finding, Severity
from ...languages import get_language
from ...patterns import LazyPattern
from ...registry import Context, Rule, register

_CLAUSE_END = LazyPattern(r"[.,;:!?)\]\u201d\u00bb\"]|\n|\Z| (?:and|but|or|because|while|which|who|that) ")
_WORDS = LazyPattern(r"[\w'’-]+")


@dataclass(frozen=True)
class _Data:
    modals: tuple[str, ...]                 # lower case, may be several words ("have to")
    lasts: frozenset[str]                   # their last words (looked up before a determiner)
    determiners: frozenset[str]
    not_after: frozenset[str]
    bare_verbs: frozenset[str]
    max_words: int
    reporting: re.Pattern[str] | None
    verb_final_sources: frozenset[str]
    impersonal_sources: frozenset[str]
    #: Every (modal's last word, determiner) pair: a short text's consecutive lower-case
    #: words hold one wherever a verb-final clause may start.
    pairs: frozenset[tuple[str, str]]


def _alt(words) -> str:
    return "|".join(re.escape(w).replace("\\ ", " ") for w in sorted(set(words), key=lambda w: (-len(w), w)))


@functools.cache
def _data(lang: str) -> _Data | None:
    data = get_language(lang).data("word_order")
    if not data:
        return None
    modals = tuple(str(m).lower() for m in data.get("modals", []))
    reporting = None
    verbs = data.get("reporting_verbs", [])
    if verbs:
        place = r"[A-Z][\w'’.-]*(?: (?:of (?:the )?)?[A-Z][\w'’.-]*){0,4}"
        bodies = data.get("bodies", [])
        body = (rf"(?:[a-z][\w'’-]* ){{0,2}}(?:{_alt(bodies)})(?: of (?:the )?[A-Z][\w'’-]*"
                rf"(?: [A-Z][\w'’-]*){{0,3}})?") if bodies else None
        np_ = rf"(?:the )?(?:{place}|{body})" if body else rf"(?:the )?{place}"
        objects = data.get("reported_objects", [])
        obj = rf"(?: (?P<object>{_alt(objects)}))?" if objects else ""
        participles = data.get("participle_verbs", [])
        plain = [v for v in verbs if v not in participles]
        verb = rf"(?P<verb>{_alt(plain)})\b"
        if participles:
            # "In France reported cases rose": a participle used as an adjective.
            verb = (rf"(?:{verb}|(?P<pverb>{_alt(participles)})"
                    r"(?=,|:|\.|;| that\b| about\b| on\b|[\u201c\u201d\u00ab\"]| \u2013| -|\s*$))")
        reporting = re.compile(rf"[Ii]n {np_}{obj} {verb}", re.MULTILINE)
    lasts = frozenset(m.split()[-1] for m in modals)
    determiners = frozenset(str(w).lower() for w in data.get("determiners", []))
    return _Data(
        modals, lasts, determiners,
        frozenset(str(w).lower() for w in data.get("not_after", [])),
        frozenset(str(w).lower() for w in data.get("bare_verbs", [])),
        int(data.get("max_words", 8)), reporting,
        frozenset(data.get("verb_final_sources", [])), frozenset(data.get("impersonal_sources", [])),
        frozenset((m, d) for m in lasts for d in determiners))


def _unusual(ctx: Context, sources: frozenset[str]) -> str:
    """A note when --source-lang names a language the pattern does not come from."""
    src = (ctx.source_lang or "").split("-")[0].lower()
    return f" (unusual in a translation from '{src}', but wrong English all the same)" \
        if src and sources and src not in sources else ""


def _sentence_start(text: str, pos: int) -> bool:
    """True if ``pos`` begins a sentence: only spaces, quotes or dashes back to a
    line start or to sentence-final punctuation."""
    i = pos
    while i > 0 and text[i - 1] in " \t\u00a0\"\u201c\u00ab\u2018'(\u2013\u2014-":
        i -= 1
    return i == 0 or text[i - 1] in "\n.!?:;"


@register
class SourceWordOrder(Rule):
    id = "garble.source_word_order"
    category = Category.GARBLE
    scope = "line"
    severity = Severity.WARNING
    mqm = "Fluency/Grammar"
    languages = frozenset({"en"})
    description = ("Source word order left in place: German verb-final clauses, Russian "
                   "subject-less 'In Baku said that' (data: word_order.yaml).")

    def check(self, ctx: Context) -> Iterator[Finding]:
        data = _data(ctx.language.code)
        if data is None:
            return
        found = list(self._verb_final(ctx, data)) + list(self._impersonal(ctx, data))
        found.sort(key=Finding.sort_key)
        yield from found

    # -- German: modal + determiner ... verb at the end of the clause --------------
    def _verb_final(self, ctx: Context, data: _Data) -> Iterator[Finding]:
        text = ctx.text
        spans = ctx.analysis.words
        if not spans.fast:
            # A short text: most hold no modal, and fewer a modal before a determiner,
            # which its lower-case words (made once for all rules) tell at C speed.
            lower = spans.lower_words()
            if data.lasts.isdisjoint(lower) or data.pairs.isdisjoint(pairwise(lower)):
                return
        for s1, e1, s2, _e2 in pair_hits(ctx, data.lasts, data.determiners):
            if text[e1:s2] != " ":
                continue
            modal = self._modal_at(text, s1, e1, data)
            if modal is None:
                continue
            m_start = modal
            if _sentence_start(text, m_start):
                continue  # "Will the government support it?": a question
            before = _WORDS.findall(text, max(0, m_start - 40), m_start)
            if not before or before[-1].lower() in data.not_after:
                continue
            if text[m_start - 1:m_start] != " ":
                continue
            end_m = _CLAUSE_END.search(text, s2)
            clause_end = end_m.start() if end_m else len(text)
            if end_m and text[clause_end:clause_end + 1] == "?":
                continue
            words = list(_WORDS.finditer(text, s2, clause_end))
            if len(words) < 3 or len(words) > data.max_words + 2:
                continue
            verb = words[-1].group().lower()
            if verb not in data.bare_verbs or words[-2].group().lower() == "to":
                continue
            start, end = m_start, words[-1].end()
            phrase = text[start:end]
            hint = _unusual(ctx, data.verb_final_sources)
            yield self.finding(
                ctx, start, end,
                f"German word order: the verb '{words[-1].group()}' stands at the end of the clause "
                f"('{phrase}'){hint}; English puts it after the modal "
                f"('{text[start:e1]} {words[-1].group()} {text[s2:words[-2].end()]}')",
                data={"pattern": "verb-final", "verb": verb})

    @staticmethod
    def _modal_at(text: str, s1: int, e1: int, data: _Data) -> int | None:
        """Start of the modal phrase ending with the word at s1..e1, or None."""
        last = text[s1:e1].lower()
        for phrase in data.modals:
            if phrase.split()[-1] != last:
                continue
            start = e1 - len(phrase)
            if start >= 0 and text[start:e1].lower() == phrase and \
                    (start == 0 or not text[start - 1].isalnum()):
                return start
        return None

    # -- Russian: "In Baku said that" -----------------------------------------------
    def _impersonal(self, ctx: Context, data: _Data) -> Iterator[Finding]:
        if data.reporting is None:
            return
        text = ctx.text
        # The pattern opens with "In " or, after a comma, "in ": most texts hold neither.
        if "In " not in text and ", in " not in text:
            return
        for s1, _e1, _s2, _e2 in pair_hits(ctx, ("in",), ("the",), capital_first=True,
                                           capital_second=True, after_comma=True):
            if not (_sentence_start(text, s1) or text[max(0, s1 - 2):s1] == ", "):
                continue
            m = data.reporting.match(text, s1)
            if m is None:
                continue
            verb = m.group("verb") or m.group("pverb")
            yield self.finding(
                ctx, m.start(), m.end(),
                f"subject-less reporting clause ('{m.group()}'): Russian word order "
                f"('В ... заявили'){_unusual(ctx, data.impersonal_sources)}; give the verb a "
                f"subject, e.g. 'officials in ... {verb}'",
                data={"pattern": "impersonal", "verb": verb})
