"""number.source_mismatch: numbers that differ between a source segment and its translation.

With ``--source FILE`` (one segment per line, aligned with the text), the
numbers of each segment pair are read as values in their own language's
conventions (``corpora/rules/<lang>/numbers.yaml``) and compared:

* a figure of the translation that matches no number of the source, while the
  source has a figure that matches nothing in the translation, is a mismatch:
  "3,000" for "30 000", "15 million" for "1,5 million", "1.500" left in German
  notation in English (1.5, not 1,500);
* a figure of the source with nothing for it in the translation was dropped;
* a figure of the translation with nothing for it in the source was added (info).

Number words ("five", "fünf"), months ("March" = 03), clock times ("15 Uhr" =
"3 p.m."), two-digit years ("2021/22", "the '90s") and a scale word missing on
one side ("1.5 million" / "1,5") count as matches, so rewording is not reported.
Imperial units converted to metric ("200 feet" as "60 Meter", within 15 %) match;
a figure with an imperial unit that matches nothing is only information.
Chinese and Japanese figures are read by script: "有6个" has the figure 6,
"140亿" is 14 billion, "三百万" three million; Han numerals without a big unit
("三", "第二届") and Roman numerals only absorb figures of the translation.
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterator

from ...analysis.numbers import Num, key, locale, numbers, range_scaled
from ...analysis.numbers import number_words as _number_words
from ...findings import Category, Finding, Severity
from ...patterns import LazyPattern
from ...registry import Context, Rule, register
from ._units import converts, imperial_factor


def _matches(a: Num, b: Num) -> bool:
    if a.values & b.values:
        return True
    # A scale word on one side only ("1.5 million" / "1,5"): compare the bases.
    if (a.scale == 1.0 or b.scale == 1.0) and bool(a.base & b.base):
        return True
    return (a.scale == b.scale or 1.0 in (a.scale, b.scale)) and (_rounds_to(a, b) or _rounds_to(b, a))


def _rounds_to(a: Num, b: Num) -> bool:
    """``b`` is ``a`` rounded half up to fewer decimals ("5,25 milioane" as "5.3 million")."""
    for x in a.base:
        if x == int(x):
            continue
        decimals = len(f"{x:.6f}".rstrip("0").split(".")[1])
        if any(key(math.floor(x * 10 ** d + 0.5) / 10 ** d) in b.base for d in range(1, decimals)):
            return True
    return False


# Clock times written "10.35" (Estonian "kell 10.35", German "15.30 Uhr") on one side
# and "10:35" (or tokenised "10 : 35", "11 : 00 p.m.") on the other.
_CLOCK_DOT = LazyPattern(r"(?<![\d.,:])([01]?\d|2[0-4])[.:]([0-5]\d)(?![\d]|[.,:]\d)")
_CLOCK_COLON = LazyPattern(r"(?<![\d.,:])([01]?\d|2[0-4]) ?: ?([0-5]\d)(?!\d)")


def _blank_clocks(source: str, target: str) -> tuple[str, str]:
    """``source`` and ``target`` with each clock time the other has too (hour equal or 12
    apart, same minutes) blanked out, keeping every offset."""
    if ":" not in source + target:
        return source, target
    src = list(_CLOCK_DOT.finditer(source))
    if not src:
        return source, target
    used: set[int] = set()
    for t in _CLOCK_COLON.finditer(target):
        th, tm = int(t.group(1)), t.group(2)
        for i, m in enumerate(src):
            sh = int(m.group(1))
            if i not in used and m.group(2) == tm and th in (sh, sh - 12, sh + 12):
                used.add(i)
                target = target[:t.start()] + " " * (t.end() - t.start()) + target[t.end():]
                source = source[:m.start()] + " " * (m.end() - m.start()) + source[m.end():]
                break
    return source, target


#: Halves written in words: "two and a half (million)", "zweieinhalb", "half a million"
#: (compiled on first use: only number rules with a source need them).
_AND_A_HALF = {
    "en": LazyPattern(r"\b([a-z]+)(?:-| and )a half(?:[ \u00a0]+([a-z]+))?", re.IGNORECASE),
    "de": LazyPattern(r"\b([a-zäöü]+?)einhalb(?:[ \u00a0]+([a-zäöü]+))?", re.IGNORECASE),
}
_HALF_OF = {
    "en": LazyPattern(r"\bhalf an? ([a-z]+)", re.IGNORECASE),
    "de": LazyPattern(r"\b(?:eine[rn]? )?halbe[rn]? ([a-zäöü]+)", re.IGNORECASE),
}
_ONE_AND_A_HALF = {"de": LazyPattern(r"\banderthalb(?:[ \u00a0]+([a-zäöü]+))?", re.IGNORECASE)}


def _fraction_words(seg: str, lang: str, loc) -> list[Num]:
    """Numbers with a half in words, which only absorb figures of the other side."""
    if loc is None or lang not in _AND_A_HALF:
        return []
    out = []

    def add(start: int, end: int, value: float, scale_word: str | None) -> None:
        scale = loc.scales.get(scale_word.lower(), 1.0) if scale_word else 1.0
        out.append(Num(start, end, seg[start:end], frozenset({key(value * scale)}),
                       frozenset({key(value)}), scale, "word"))

    for m in _AND_A_HALF[lang].finditer(seg):
        whole = 1.0 if lang == "en" and m.group(1).lower() in ("a", "one") else loc.words.get(m.group(1).lower())
        if whole is not None and whole == int(whole):
            add(m.start(), m.end(), whole + 0.5, m.group(2))
    for m in _HALF_OF[lang].finditer(seg):
        scale = loc.scales.get(m.group(1).lower())
        if scale:
            out.append(Num(m.start(), m.end(), m.group(), frozenset({key(0.5 * scale)}),
                           frozenset({key(0.5)}), scale, "word"))
    if lang in _ONE_AND_A_HALF:
        for m in _ONE_AND_A_HALF[lang].finditer(seg):
            add(m.start(), m.end(), 1.5, m.group(1))
    return out


def _digits(n: Num) -> str:
    return _NON_DIGIT.sub("", n.raw)


def _appears(n: Num, other: str) -> bool:
    """A plain figure (no separator, no scale) standing as such in the other segment:
    codes and model numbers ("LokSound5" / "LokSound 5") that the parser skips there."""
    if n.scale != 1.0 or not n.raw.isdigit():
        return False
    return re.search(rf"(?<!\d){n.raw}(?!\d)", other) is not None


def _why(t: Num, s: Num) -> str:
    if t.base & s.base and t.scale != s.scale:
        return "the scale differs (thousand / million / billion)"
    td, sd = _digits(t), _digits(s)
    if td and td == sd:
        return "the same digits, read with the other language's decimal or thousands separator"
    if td and td.rstrip("0") == sd.rstrip("0"):
        return "a power of ten apart (a zero or a separator lost?)"
    return "check the figure"


_DIGIT = LazyPattern(r"\d")
_NON_DIGIT = LazyPattern(r"\D")
#: Numbers often rendered by a word or an idiom rather than a figure.
_IDIOMATIC = frozenset({0.0, 1.0, 100.0})


@register
class SourceMismatch(Rule):
    id = "number.source_mismatch"
    category = Category.NUMBER
    severity = Severity.WARNING
    mqm = "Accuracy/Mistranslation"
    needs_source = True
    scope = "document"
    description = ("Numbers, dates and quantities that differ between the source (--source) "
                   "and the translation, segment by segment.")

    def check(self, ctx: Context) -> Iterator[Finding]:
        aligned = ctx.aligned_source()
        if not aligned:
            return
        text = ctx.text
        target_loc = locale(ctx.language.code)
        source_loc = locale(ctx.source_lang)
        target_lang = ctx.language.family
        source_lang = ctx.source_family or ""

        def number_words(seg: str, loc) -> list[Num]:
            lang = target_lang if loc is target_loc else source_lang
            return range_scaled([*_number_words(seg, loc), *_fraction_words(seg, lang, loc)], seg, loc)

        for start, end, source in aligned:
            segment = text[start:end]
            if _DIGIT.search(segment) is None and _DIGIT.search(source) is None:
                continue
            source, segment = _blank_clocks(source, segment)
            tgt = numbers(segment, target_loc)
            src = numbers(source, source_loc)
            t_digits = [n for n in tgt if n.kind == "digit"]
            s_digits = [n for n in src if n.kind == "digit"]
            lost_t = [t for t in t_digits if not any(_matches(t, s) for s in src)
                      and not _appears(t, source)]
            lost_s = [s for s in s_digits if not any(_matches(s, t) for t in tgt)
                      and not _appears(s, segment)]
            # Number words ("five", "März", "XIV") only absorb figures of the other side:
            # read them only when a figure is left over.
            if lost_t:
                words = number_words(source, source_loc)
                lost_t = [t for t in lost_t if not any(_matches(t, w) for w in words)]
                if lost_t:
                    # A Roman numeral of the source that nothing in the translation renders
                    # ("XIV" kept as "15th") pairs with a stray figure; alone it is not
                    # reported (it may be an acronym).
                    t_words = number_words(segment, target_loc)
                    lost_s += [w for w in words if w.kind == "roman" and w.raw not in segment
                               and not any(_matches(w, t) for t in (*tgt, *t_words))]
            if lost_s:
                words = number_words(segment, target_loc)
                lost_s = [s for s in lost_s if not any(_matches(s, w) for w in words)]
            # Imperial units converted ("200 feet" as "60 Meter"): the same quantity. A
            # figure with an imperial unit that matches nothing is only information, as a
            # conversion may be rounded beyond recognition or put in words.
            soft: set[int] = set()
            if lost_s or lost_t:
                t_all = (*tgt, *number_words(segment, target_loc))
                s_all = (*src, *number_words(source, source_loc))
                used: set[int] = set()
                lost_s, soft_s = self._converted(lost_s, source, t_all, used)
                lost_t, soft_t = self._converted(lost_t, segment, s_all, used)
                lost_s = [n for n in lost_s if id(n) not in used]
                lost_t = [n for n in lost_t if id(n) not in used]
                soft = {id(n) for n in (*soft_s, *soft_t)}
            paired: set[int] = set()
            for t in lost_t:
                s = self._closest(t, [x for i, x in enumerate(lost_s) if i not in paired])
                if s is not None:
                    paired.add(lost_s.index(s))
                    yield self.finding(
                        ctx, start + t.start, start + t.end,
                        f"'{t.raw}' ({t.shown()}) does not match the source's '{s.raw}' "
                        f"({s.shown()}): {_why(t, s)}",
                        severity=Severity.INFO if soft & {id(t), id(s)} else None,
                        data={"target": sorted(t.values), "source": sorted(s.values),
                              "source_text": s.raw})
                else:
                    yield self.finding(
                        ctx, start + t.start, start + t.end,
                        f"'{t.raw}' ({t.shown()}) is not in the source segment; check the figure",
                        severity=Severity.INFO, data={"target": sorted(t.values)})
            dropped = [s for i, s in enumerate(lost_s) if i not in paired and s.kind == "digit"]
            if dropped:
                # 0, 1 and 100 live in idioms ("1 zu 1", "100%" = "definitely").
                idiom = all(s.values <= _IDIOMATIC or id(s) in soft for s in dropped)
                listed = ", ".join(f"'{s.raw}'" for s in dropped)
                yield self.finding(
                    ctx, start, end,
                    f"the source segment has {listed} ({', '.join(s.shown() for s in dropped)}), "
                    f"which the translation does not render",
                    severity=Severity.INFO if idiom else None,
                    data={"source": [sorted(s.values) for s in dropped],
                          "source_text": [s.raw for s in dropped]})

    @staticmethod
    def _converted(lost: list[Num], seg: str, other: tuple[Num, ...],
                   used: set[int]) -> tuple[list[Num], list[Num]]:
        """``lost`` without the figures whose imperial unit converts to a number of the
        other segment (that number's id goes into ``used``: it is accounted for too),
        and the figures left with an imperial unit."""
        kept, soft = [], []
        for n in lost:
            factor = imperial_factor(seg, n)
            if factor is None:
                kept.append(n)
                continue
            partner = next((o for o in other if converts(n, factor, o)), None)
            if partner is None:
                kept.append(n)
                soft.append(n)
            else:
                used.add(id(partner))
        return kept, soft

    @staticmethod
    def _closest(t: Num, candidates: list[Num]) -> Num | None:
        """The unmatched source figure that the target figure most likely renders."""
        if not candidates:
            return None
        td = _digits(t).strip("0")
        for s in candidates:
            if td and _digits(s).strip("0") == td:
                return s
        if len(candidates) == 1:
            return candidates[0]
        tv = min(t.values)
        return min(candidates, key=lambda s: abs(min(s.values) - tv) / max(abs(tv), 1.0))
