"""gender.expletive_pronoun: "He was expected" where the source said "Il était prévu".

French "il" is also the empty subject of impersonal verbs ("il faut", "il y a",
"il était prévu"), and Italian, Spanish or Russian leave the subject out; MT
into English then invents a "He" (or "She") that refers to nobody. The rule
runs only when ``--source-lang`` names such a language (data: ``expletive`` in
``gender.yaml`` of the target language) and looks at a pronoun that starts a
clause:

- followed by a phrase that is never personal ("He is necessary", "He there
  is", "He is a question of"): always reported;
- followed by a phrase that may be personal ("He was expected to"): reported
  only when no person of that gender (nor of unknown gender) stands in this or
  the previous sentence, as after "spokeswoman Shushan Stepanyan ...".

The fix ("It was expected", "There is") is offered as unsafe: only a reader
of the source can be sure.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from ...findings import Category, Finding, FixSafety, Severity
from ...languages import get_language
from ...patterns import LazyPattern
from ...registry import Context, Rule, register
from .._text import transfer_case
from ._analysis import (
    _WORD,
    GENDER_WORD,
    PERSON,
    PRONOUN,
    UNKNOWN,
    Analysis,
    Cue,
    analyse,
    attached_to_name,
    sentence_start,
    window,
)

_TRAILING = LazyPattern(r"\s+(?:to|that|of)$")


@functools.cache
def _data(lang: str) -> dict | None:
    raw = get_language(lang).data("gender").get("expletive")
    if not raw:
        return None
    sources = {str(k).lower(): frozenset(str(p).lower() for p in v)
               for k, v in (raw.get("sources") or {}).items()}

    def pattern(phrases):
        alternation = "|".join(sorted((re.escape(str(p).lower()).replace("\\ ", r"\s+")
                                       for p in phrases or []), key=len, reverse=True))
        return re.compile(rf"\s+(?:{alternation})(?!\w)") if alternation else None

    return {"sources": sources, "always": pattern(raw.get("always")),
            "unless_person": pattern(raw.get("unless_person")),
            "openers": frozenset(str(w).lower() for w in raw.get("clause_openers") or [])}


def _starts_clause(analysis: Analysis, cue: Cue, openers: frozenset[str]) -> bool:
    text = analysis.text
    start = sentence_start(analysis, cue.start)
    lead = text[start:cue.start]
    if not lead.strip(" \t\"'\u201c\u2018\u00ab(\u2014\u2013-"):
        return True
    words = _WORD.findall(lead)
    if words and words[-1].lower() in openers:
        tail = lead[lead.rfind(words[-1]) + len(words[-1]):]
        return not tail.strip(" ,")
    return False


def _possible_antecedent(analysis: Analysis, cue: Cue) -> Cue | None:
    """A person who could be this pronoun: of its gender or of unknown gender, in the
    previous or the current sentence."""
    lo, _, _ = window(analysis, cue.start)
    cues = analysis.all_between(lo, cue.start)
    for c in cues:
        if c is cue:
            continue
        if c.gender == cue.gender and c.kind in (PERSON, PRONOUN):
            return c
        if c.kind == UNKNOWN and not attached_to_name(analysis, c, cues):
            return c
    for c in analysis.surname_cues(lo, cue.start):
        if c.kind == UNKNOWN or c.gender == cue.gender:
            return c
    return None


@register
class ExpletivePronoun(Rule):
    id = "gender.expletive_pronoun"
    category = Category.GENDER
    severity = Severity.WARNING
    fix = FixSafety.UNSAFE
    mqm = "Accuracy/Mistranslation"
    needs_source_lang = True
    scope = "document"
    # In pieces, as gender.pronoun_slip: a surname's gender comes from its full mentions
    # anywhere in the text (a piece sees its text and context only); the rest is local.
    description = ("'He was expected', 'He is necessary': an impersonal source subject (fr 'il', "
                   "a null subject) rendered as he/she; with --source-lang (data: gender.yaml).")

    def check(self, ctx: Context) -> Iterator[Finding]:
        data = _data(ctx.language.code)
        if not data or not ctx.source_lang:
            return
        pronouns = data["sources"].get(ctx.source_lang.split("-")[0].lower())
        if not pronouns:
            return
        analysis = analyse(ctx)
        low = analysis.low
        text = ctx.text
        for cue in analysis.cues:
            if cue.kind != PRONOUN or cue.label.lower() not in pronouns:
                continue
            match, personal = None, False
            if data["always"] is not None:
                match = data["always"].match(low, cue.end)
            if match is None and data["unless_person"] is not None:
                match = data["unless_person"].match(low, cue.end)
                personal = match is not None
            if match is None or not _starts_clause(analysis, cue, data["openers"]):
                continue
            if analysis.in_quote(cue.start):
                continue
            if personal:
                other = _possible_antecedent(analysis, cue)
                if other is not None:
                    continue
            phrase_end = match.end()
            trailing = _TRAILING.search(low, cue.start, phrase_end)
            end = trailing.start() if trailing else phrase_end
            rest = text[cue.end:end]
            if rest.lower().lstrip().startswith("there "):
                replacement = transfer_case(cue.label, rest.lstrip()[:1]) + rest.lstrip()[1:]
                replacement = (replacement[:1].upper() if cue.label[:1].isupper()
                               else replacement[:1].lower()) + replacement[1:]
            else:
                replacement = transfer_case(cue.label, "it") + rest
            why = ("no person of that gender in this or the previous sentence"
                   if personal else "the phrase is impersonal")
            yield self.finding(
                ctx, cue.start, end,
                f"'{text[cue.start:end]}' after a {ctx.source_lang} source: an impersonal subject "
                f"(fr 'il', a null subject) became '{cue.label}' ({GENDER_WORD[cue.gender]}), and "
                f"{why}; probably '{replacement}'",
                replacement=replacement,
                data={"personal_reading_possible": personal})
