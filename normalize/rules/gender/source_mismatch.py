"""gender.source_mismatch: a person whose gender in the translation contradicts the source.

WinoMT-style ("The mechanic gave the clerk a present because she won" →
"Der Mechaniker ..."): for each segment aligned with the English source, the
source's role nouns and gendered pronouns give an expected gender, and the
target's rendering of each role (``roles`` in the target's ``gender.yaml``) a
read gender. Reported, at warning level:

- a role whose English form fixes its gender ("spokeswoman", "actress") that the
  target renders only with the other gender;
- when the source uses pronouns of one gender only: the single role of the
  segment, rendered with the other gender; or, with several roles (the pronoun
  may refer to any of them), every one of them rendered with the other gender,
  so that whichever the pronoun means is wrong.

Silent when the target's gender cannot be read (Russian nouns of common gender
without agreement, French "l'" before a noun of either gender), when the
source mixes "he" and "she", and when source and target do not align line by
line.
"""
from __future__ import annotations

from collections.abc import Iterator

from ...findings import Category, Finding, Severity
from ...registry import Context, Rule, register
from ._analysis import _WORD, GENDER_WORD, OPPOSITE, PERSON, UNKNOWN, lang_data
from ._target import (
    Reading,
    source_data,
    source_mentions,
    source_pronoun_genders,
    target_data,
    target_readings,
)


def segment_flags(source: str, target: str, lang: str,
                  source_lang: str = "en") -> list[tuple[Reading, str, str]]:
    """(target reading, expected gender, why) for each contradiction in one segment."""
    mentions = source_mentions(source, source_lang)
    if not mentions:
        return []
    keys = list(dict.fromkeys(m.key for m in mentions))
    readings = target_readings(target, lang, keys)
    by_key: dict[str, list[Reading]] = {}
    for r in readings:
        by_key.setdefault(r.key, []).append(r)
    out: list[tuple[Reading, str, str]] = []
    done: set[str] = set()
    for m in mentions:
        if m.gender is None or m.key in done:
            continue
        done.add(m.key)
        found = by_key.get(m.key, [])
        genders = {r.gender for r in found if r.gender}
        if genders == {OPPOSITE[m.gender]}:
            wrong = next(r for r in found if r.gender)
            out.append((wrong, m.gender, f"the source says '{m.surface}'"))
    pronouns = source_pronoun_genders(source, source_lang)
    open_keys = [k for k in keys if k not in done]
    if len(pronouns) != 1 or not open_keys or _other_referent(source, mentions, source_lang):
        return out
    (g,) = pronouns
    firsts = []
    for k in open_keys:
        found = [r for r in by_key.get(k, []) if r.gender]
        if not found or len({r.gender for r in found}) != 1:
            return out  # a role not rendered, or rendered both ways: cannot tell
        firsts.append(found[0])
    if all(r.gender == OPPOSITE[g] for r in firsts):
        pronoun = "she/her" if g == "f" else "he/his"
        if len(firsts) == 1:
            why = f"the source refers to the {firsts[0].key.replace('_', ' ')} as '{pronoun}'"
        else:
            names = " or the ".join(r.key.replace("_", " ") for r in firsts)
            others = ", ".join(f"'{r.surface}'" for r in firsts[1:])
            why = (f"the source's '{pronoun}' is the {names}, and the target makes all of them "
                   f"{GENDER_WORD[OPPOSITE[g]]} (also {others})")
        out.append((firsts[0], g, why))
    return out


def _other_referent(source: str, mentions, source_lang: str) -> bool:
    """Whether the source names someone besides its role nouns ("someone", "the child",
    "Merkel"), whom the pronoun may mean instead."""
    data = lang_data(source_lang)
    covered = [(m.start, m.end) for m in mentions]
    low = source.lower()
    for m in _WORD.finditer(source):
        if any(a <= m.start() < b for a, b in covered):
            continue
        word = m.group()
        lw = low[m.start():m.end()]
        if lw in data.window_phrases and any(k == UNKNOWN for _, k, _ in data.window_phrases[lw]):
            return True
        if lw in data.phrases and any(k == PERSON for _, k, _ in data.phrases[lw]):
            return True
        if word[:1].isupper() and m.start() > 0 and lw not in data.function_words \
                and source[:m.start()].rstrip()[-1:] not in ".!?\"\u201c":
            return True  # a name
    return False


@register
class SourceMismatch(Rule):
    id = "gender.source_mismatch"
    category = Category.GENDER
    severity = Severity.WARNING
    mqm = "Accuracy/Mistranslation"
    needs_source = True
    scope = "document"
    description = ("A person's gender in the translation contradicts the English source "
                   "('The mechanic ... she' -> 'Der Mechaniker'); needs --source (data: gender.yaml roles).")

    def check(self, ctx: Context) -> Iterator[Finding]:
        source_lang = (ctx.source_lang or "en").split("-")[0].lower()
        if target_data(ctx.language.code) is None or source_data(source_lang) is None:
            return
        aligned = ctx.aligned_source()
        if not aligned:
            return
        text = ctx.text
        for start, end, segment in aligned:
            for reading, expected, why in segment_flags(segment, text[start:end], ctx.language.code,
                                                        source_lang):
                got = GENDER_WORD[reading.gender] if reading.gender else "?"
                basis = {"form": "by its form", "article": "by its article",
                         "agreement": "by agreement"}.get(reading.basis, reading.basis)
                yield self.finding(
                    ctx, start + reading.start, start + reading.end,
                    f"'{reading.surface}' is {got} ({basis}), but {why}: expected "
                    f"{GENDER_WORD[expected]}",
                    data={"role": reading.key, "expected": expected, "target": reading.gender})
