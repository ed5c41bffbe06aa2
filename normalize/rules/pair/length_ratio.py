"""pair.length_ratio: a translation much shorter or longer than its source.

The bounds are per language pair, calibrated on human translations
(``corpora/rules/pair/length_ratios.yaml``, built by
``scripts/build_length_ratios.py``): the ratio of the translation's length to
the source's, in characters, for segments of at least :data:`MIN_CHARS`. A pair
without its own bounds takes the default for its scripts (a Chinese source
against an alphabetic target, or two alphabetic scripts), which is wider. In a
Chinese or Japanese source, Latin text (a name, a title, a URL, copied as it is)
is weighed as the Han characters it would have been (:func:`source_length`).

Outside the pair's bounds (where 1 in 100 human translations fall) is only
information; beyond them by a further :data:`WARN_FACTOR` is a warning (half
the sentence missing, or a sentence repeated). The factor is the smallest (in
steps of 0.1) at which no pair has more than one warning per 1,000 human
post-edits of the MLQE-PE dev splits (ro-en, et-en, ru-en: 0, 0 and 1 at 1.3;
ru-en 4 at 1.2), chosen there, not on the test20 splits that
``scripts/evaluate_bilingual.py`` reports.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ...analysis.segments import cjk_share, is_cjk, segment_pairs
from ...findings import Category, Finding, Severity
from ...registry import Context, Rule, register
from ...resources import load_yaml

MIN_CHARS = 20
WARN_FACTOR = 1.3


@dataclass(frozen=True)
class Bounds:
    """The ratio bounds of a language pair, and how to weigh the source's characters."""

    low: float
    high: float
    #: The weight of a source character outside the CJK blocks when the source is
    #: Chinese or Japanese: 1 / the pair's median ratio, so that a Latin name or
    #: title inside a Chinese segment (copied 1:1) counts as the few Han characters
    #: it would have been. None for alphabetic sources.
    other_weight: float | None = None


def source_length(text: str, other_weight: float | None) -> float:
    """The source segment's length in characters, weighted as :class:`Bounds` says."""
    text = text.strip()
    if other_weight is None:
        return float(len(text))
    cjk = sum(1 for c in text if is_cjk(c))
    return cjk + (len(text) - cjk) * other_weight


def bounds(source_lang: str | None, target_lang: str, source_sample: str) -> Bounds | None:
    """The ratio bounds for the pair, or None without calibration data."""
    data: dict[str, Any] = load_yaml("rules", "pair", "length_ratios.yaml") or {}
    pairs = data.get("pairs") or {}
    row = pairs.get(f"{source_lang}-{target_lang}") if source_lang else None
    if not row:
        # Without the pair's own figures, the scripts decide: Han and kana pack a word
        # into one or two characters, so their ratios to alphabets are far from 1.
        key = "cjk-alphabetic" if cjk_share(source_sample) > 0.5 else "alphabetic-alphabetic"
        row = (data.get("defaults") or {}).get(key)
    if not row:
        return None
    weight = row.get("other_weight")
    return Bounds(float(row["low"]), float(row["high"]), float(weight) if weight else None)


@register
class PairLengthRatio(Rule):
    id = "pair.length_ratio"
    category = Category.GARBLE
    severity = Severity.INFO
    mqm = "Accuracy/Omission"
    needs_source = True
    scope = "document"
    description = ("A translation much shorter or longer than its source segment, by the bounds "
                   "calibrated for the language pair on human translations.")

    def check(self, ctx: Context) -> Iterator[Finding]:
        pairs = segment_pairs(ctx)
        if not pairs:
            return
        sample = "".join(p.source for p in pairs[:20])
        limits = bounds(ctx.source_family, ctx.language.family, sample)
        if limits is None:
            return
        low, high = limits.low, limits.high
        for pair in pairs:
            t = len(pair.target.strip())
            if len(pair.source.strip()) < MIN_CHARS or t == 0:
                continue  # an empty translation is pair.empty's
            ratio = t / source_length(pair.source, limits.other_weight)
            if low <= ratio <= high:
                continue
            far = ratio < low / WARN_FACTOR or ratio > high * WARN_FACTOR
            side = "shorter" if ratio < low else "longer"
            yield self.finding(
                ctx, pair.start, pair.end,
                f"the translation is {ratio:.2f} times the source's length, {side} than human "
                f"translations of this language pair ({low:.2f}-{high:.2f})",
                severity=Severity.WARNING if far else None,
                data={"ratio": round(ratio, 3), "low": low, "high": high})
