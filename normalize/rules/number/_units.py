"""Imperial units after a figure, and whether two figures are one quantity converted.

A translator localising "200 feet" writes "60 Meter": the figures differ, the
quantity does not. Units are matched by their English names and symbols, which
is where imperial measures occur in the data (an English source, or an English
translation that converts a metric source), and by their Chinese names, with the
Chinese market units 斤 (half a kilogram) and 里 (half a kilometre). A metric unit
of the source may be given with another prefix: its figure then moves by a power
of 1,000 ("10000 nanoseconds", "zehn Mikrosekunden").
"""
from __future__ import annotations

import re

from ...analysis.numbers import Num
from ...patterns import LazyPattern

#: unit pattern -> factor to the metric unit a translation would use ("F" for Fahrenheit,
#: "SI" for a metric unit whose prefix a translation may change).
_UNITS: list[tuple[str, float | str]] = [
    (r"(?:feet|foot|ft\.?)", 0.3048),
    (r"(?:inch(?:es)?|in\.|\u2033|\")", 2.54),
    (r"(?:miles?|mi\.?)", 1.609344),
    (r"mph", 1.609344),
    (r"(?:yards?|yd\.?)", 0.9144),
    (r"(?:pounds?|lbs?\.?)", 0.45359237),
    (r"(?:ounces?|oz\.?)", 28.349523),
    (r"(?:gallons?|gal\.?)", 3.785411),
    (r"(?:acres?)", 0.4046856),
    (r"(?:degrees? )?(?:Fahrenheit|\u00b0\s?F\b|\u2109)", "F"),
    # The same measures, and the Chinese market units, in Chinese sources.
    (r"英尺|呎", 0.3048),
    (r"英寸|吋", 2.54),
    (r"英里|哩", 1.609344),
    (r"磅", 0.45359237),
    (r"加仑", 3.785411),
    (r"斤", 0.5),
    (r"里", 0.5),
    # Metric units: a translation may change the prefix ("10000 nanoseconds" = "zehn
    # Mikrosekunden", "5000米" = "5 kilometres"), moving the figure by a power of 1,000.
    (r"(?:nano|micro|milli|kilo|mega|giga)?(?:seconds?|met(?:re|er)s?|grams?|lit(?:re|er)s?"
     r"|watts?|bytes?|hertz)|(?:ns|\u00b5s|\u03bcs|ms|mm|km|mg|kg|ml|kW|MW|GW|kB|MB|GB|TB|kHz|MHz|GHz)\b"
     r"|纳秒|微秒|毫秒|毫米|公里|千米|米|毫克|千克|公斤|克|毫升|千瓦|兆瓦", "SI"),
]
_UNIT_RE = LazyPattern(r"[\s\u00a0-]*(?:" + "|".join(f"({p})" for p, _ in _UNITS) + r")(?![A-Za-z])", re.IGNORECASE)
#: How far a rounded conversion may stray ("15-foot" is 4.6 m, said "five metres").
TOLERANCE = 0.15


def imperial_factor(seg: str, n: Num) -> float | str | None:
    """The conversion factor of the imperial unit right after ``n`` in ``seg``, if any."""
    m = _UNIT_RE.match(seg, n.end)
    if m is None:
        return None
    index = next(i for i, g in enumerate(m.groups()) if g is not None)
    return _UNITS[index][1]


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= TOLERANCE * max(abs(a), abs(b), 1e-9)


def converts(imperial: Num, factor: float | str, other: Num) -> bool:
    """True if ``other`` is ``imperial`` converted to metric by ``factor``."""
    for v in imperial.values:
        if factor == "SI":
            if any(_power_of_ten_apart(v, w) for w in other.values):
                return True
            continue
        metric = (v - 32) * 5 / 9 if factor == "F" else v * float(factor)
        if any(_close(metric, w) for w in other.values):
            return True
    return False


def _power_of_ten_apart(a: float, b: float) -> bool:
    """True if ``a`` is ``b`` times 1,000**k for k from 1 to 4, either way (one metric
    prefix for another: milli-, micro-, kilo-, mega-; centi- steps are not read)."""
    if a <= 0 or b <= 0 or a == b:
        return False
    big, small = max(a, b), min(a, b)
    return any(abs(big - small * 1000 ** k) <= 1e-9 * big for k in range(1, 5))
