"""gender.pronoun_slip: a pronoun whose gender contradicts its only likely antecedent.

"Armenian Defense Ministry spokeswoman Shushan Stepanyan confirmed ... He was
expected", "Angela Merkel has defended his government", "La porte-parole ...
Il a précisé". The antecedent is looked for in the pronoun's sentence and the
one before (see ``_analysis``); the rule stays silent whenever that is not
clear-cut:

- no person of the other gender in the window, or one of the pronoun's own
  gender (a name, a title, a noun, or another pronoun of that gender);
- a person of unknown gender in the window ("the minister", "Xi Jinping",
  "Harutyunyan said");
- the pronoun stands inside a quotation (it may be about someone else), and
  names inside quotations are not taken as antecedents;
- a generic antecedent ("every citizen ... he") or, for "she"/"her", a ship or
  a country ("her interests", "the vessel").

Languages whose pronouns also stand for things (fr, de, es, ru) only check a
pronoun next to a person verb ("il a précisé", "sagte sie"): data
``pronoun_needs_person_verb`` and ``person_verbs`` in ``gender.yaml``.
"""
from __future__ import annotations

from collections.abc import Iterator

from ...findings import Category, Finding, Severity
from ...registry import Context, Rule, register
from ._analysis import (
    _WORD,
    GENDER_WORD,
    GENERIC,
    OPPOSITE,
    PERSON,
    PRONOUN,
    REFERENT,
    UNKNOWN,
    Analysis,
    Cue,
    analyse,
    attached_to_name,
    may_have_pronoun,
    near_person_verb,
    window,
)


def judge(analysis: Analysis, cue: Cue, *, need_verb: bool | None = None) -> tuple[Cue | None, str]:
    """The antecedent a pronoun contradicts, or None with the reason for silence."""
    data = analysis.data
    need = data.needs_person_verb if need_verb is None else need_verb
    if need and not near_person_verb(analysis, cue):
        return None, "no person verb next to it"
    if data.impersonal_after is not None and data.impersonal_after.match(analysis.low, cue.end):
        return None, "impersonal"
    gender = cue.gender
    other = OPPOSITE[gender]
    lo, cur, hi = window(analysis, cue.start)
    if _cataphoric(analysis, cue, cur):
        return None, "it points forward ('In his speech, X ...')"
    eager = analysis.between(lo, hi)
    if any(c.kind == PRONOUN and c.gender == gender and c.start < cue.start for c in eager):
        return None, "another pronoun of the same gender before it"
    limit = cur if _is_object(analysis, cue) else cue.start
    named = analysis.names(lo, cue.start)
    antecedents = [c for c in eager + named if c.kind == PERSON and c.gender == other and c.end <= limit]
    if not antecedents and not any(c.kind == PERSON and c.gender == gender for c in eager + named):
        # A surname alone: "Harris said he ..." after "Kamala Harris".
        antecedents = [c for c in analysis.surname_cues(lo, limit)
                       if c.kind == PERSON and c.gender == other and c.end <= limit]
    if not antecedents:
        return None, "no person of the other gender before it"
    antecedents.sort(key=lambda c: c.start)
    if analysis.in_quote(cue.start):
        return None, "inside a quotation"
    cues = analysis.all_between(lo, hi)
    for c in cues:
        if c is cue or (c.kind == PRONOUN and c.start > cue.start):
            continue
        if c.kind == PERSON and c.gender == gender:
            return None, f"'{c.label}' ({GENDER_WORD[gender]}) nearby"
        if c.kind == UNKNOWN and not attached_to_name(analysis, c, cues):
            return None, f"'{c.label}' is a person of unknown gender"
        if c.kind == GENERIC and cur <= c.start < cue.start:
            return None, "generic antecedent"
        if c.kind == REFERENT and gender == "f":
            return None, f"'{c.label}' may be 'she'"
    if gender == "f" and _feminine_thing(analysis, cue):
        return None, "a country or ship"
    for c in analysis.surname_cues(lo, hi):
        if c.kind == UNKNOWN or c.gender == gender:
            if not any(a.start <= c.start < a.end for a in antecedents):
                return None, f"'{c.label}' nearby"
    outside = [c for c in antecedents if not analysis.in_quote(c.start)]
    if not outside:
        return None, "the only antecedents are quoted"
    return outside[-1], ""


def _cataphoric(analysis: Analysis, cue: Cue, sentence_start: int) -> bool:
    """A pronoun in a sentence's opening phrase, before the name it stands for:
    "In his speech, Ouyang Yu ...", "Before she left, the minister ..."."""
    text = analysis.text
    comma = text.find(",", cue.end, cue.end + 80)
    if comma == -1 or any(p in text[sentence_start:comma] for p in ".;:!?\n\u201c\u201d\""):
        return False
    if not 1 <= len(_WORD.findall(text, sentence_start, cue.start)) <= 4:
        return False  # "He added, ..." is no opening phrase
    nxt = _WORD.search(text, comma + 1, comma + 40)
    if nxt is None:
        return False
    word = nxt.group()
    return word[:1].isupper() or word.lower() in analysis.data.articles


def _is_object(analysis: Analysis, cue: Cue) -> bool:
    """An object pronoun: "him", or "her" not followed by what it possesses."""
    word = cue.label.lower()
    if word not in analysis.data.object_pronouns:
        return False
    nxt = _WORD.match(analysis.text, cue.end + 1) if analysis.text[cue.end:cue.end + 1] == " " else None
    if nxt is None:
        return True
    return nxt.group().lower() in analysis.data.function_words


def _feminine_thing(analysis: Analysis, cue: Cue) -> bool:
    """'her' followed by a word that belongs to a country or ship ("her allies")."""
    nxt = _WORD.match(analysis.text, cue.end + 1) if cue.end < len(analysis.text) else None
    return bool(nxt and nxt.group().lower() in analysis.data.feminine_contexts)


@register
class PronounSlip(Rule):
    id = "gender.pronoun_slip"
    category = Category.GENDER
    severity = Severity.WARNING
    mqm = "Accuracy/Mistranslation"
    scope = "document"  # a surname's gender comes from its first full mention
    # Not in pieces: a surname's gender is read from its full mentions among its first 50
    # occurrences anywhere in the text; a piece reads those in its text and context only.
    # (The rest reads the pronoun's sentence and the one before it.)
    #: A pronoun read as a person's is no impersonal subject: "It" would be wrong too.
    disputes = frozenset({"gender.expletive_pronoun"})
    description = ("A pronoun whose gender contradicts its only likely antecedent "
                   "('spokeswoman Shushan Stepanyan ... He'); data: gender.yaml and a given-name lexicon.")

    def check(self, ctx: Context) -> Iterator[Finding]:
        if not may_have_pronoun(ctx):
            return  # only pronouns are judged
        analysis = analyse(ctx)
        if not analysis.data.active:
            return
        reported_sentences: set[int] = set()
        for cue in analysis.cues:
            if cue.kind != PRONOUN:
                continue
            antecedent, _ = judge(analysis, cue)
            if antecedent is None:
                continue
            _, cur, _ = window(analysis, cue.start)
            if cur in reported_sentences:
                continue
            reported_sentences.add(cur)
            other = GENDER_WORD[antecedent.gender]
            mine = GENDER_WORD[cue.gender]
            yield self.finding(
                ctx, cue.start, cue.end,
                f"'{cue.label}' follows '{antecedent.label}' ({other}) with no {mine} person "
                f"in between: check who '{cue.label}' refers to (a gender slip in translation?)",
                data={"antecedent": antecedent.label, "antecedent_gender": antecedent.gender,
                      "pronoun_gender": cue.gender})
