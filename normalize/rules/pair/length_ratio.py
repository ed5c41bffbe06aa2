"""pair.length_ratio: a translation much shorter or longer than its source.

The bounds are per language pair, calibrated on human translations
(``corpora/rules/pair/length_ratios.yaml``, built by
``scripts/build_length_ratios.py``): the ratio of the translation's length to
the source's, in characters, for segments of at least :data:`MIN_CHARS`. A pair
without its own bounds takes the default for its scripts (a Chinese source
against an alphabetic target, or two alphabetic scripts), which is wider.

Outside the pair's bounds (where 1 in 100 human translations fall) is only
information; beyond them by a further :data:`WARN_FACTOR` is a warning (half
the sentence missing, or a sentence repeated).
"""
from __future__ import annotations

from typing import Any, Iterator

from ...findings import Category, Finding, Severity
from ...registry import Context, Rule, register
from ...resources import load_yaml
from ._pairs import cjk_share, segment_pairs

MIN_CHARS = 20
WARN_FACTOR = 1.5


def bounds(source_lang: str | None, target_lang: str, source_sample: str) -> tuple[float, float] | None:
    """(low, high) ratio bounds for the pair, or None without calibration data."""
    data: dict[str, Any] = load_yaml("rules", "pair", "length_ratios.yaml") or {}
    pairs = data.get("pairs") or {}
    if source_lang:
        row = pairs.get(f"{source_lang}-{target_lang}")
        if row:
            return float(row["low"]), float(row["high"])
    defaults = data.get("defaults") or {}
    # Without the pair's own figures, the scripts decide: Han and kana pack a word
    # into one or two characters, so their ratios to alphabets are far from 1.
    key = "cjk-alphabetic" if cjk_share(source_sample) > 0.5 else "alphabetic-alphabetic"
    row = defaults.get(key)
    return (float(row["low"]), float(row["high"])) if row else None


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
        low, high = limits
        for pair in pairs:
            s, t = len(pair.source.strip()), len(pair.target.strip())
            if s < MIN_CHARS or t == 0:
                continue  # an empty translation is pair.empty's
            ratio = t / s
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
