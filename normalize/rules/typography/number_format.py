"""typography.number_format: numbers, dates and times written the source language's way.

In English copy: a decimal comma before a unit ("3,5 percent"), dots grouping
thousands ("1.200.000"), a 24-hour clock in the French or
German form ("17h30", "17.30 Uhr"), a German ordinal date ("5. March"). Forms
that human English copy also writes ("207 000", "207 thousand", "5 %", "100 €") are
judged only when the source language is known. The decimal mark and the
months come from the language's ``numbers.yaml``; units, clock words and
informal unit abbreviations ("24hrs") from its ``typography.yaml``.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator

from ...analysis.lookup import matches_at
from ...findings import Category, Finding, FixSafety, Severity
from ...languages import get_language
from ...patterns import LazyPattern
from ...registry import Context, Rule, register

_SP = "[ \u00a0\u202f]"
_DIGIT = LazyPattern(r"\d")


def _words(items) -> str:
    return "|".join(re.escape(w) for w in sorted(items, key=len, reverse=True))


@functools.lru_cache(maxsize=4)
def _patterns(units: tuple[str, ...], clock: tuple[str, ...], months: tuple[str, ...],
              informal: tuple[str, ...] = ()) -> dict[str, re.Pattern[str]]:
    # Each pattern starts with a digit and looks behind it only then: a pattern led by a
    # look-behind is tried at every position of the text, one led by a digit class is not.
    first = r"(\d(?<![\w.,]\d)\d?)"  # one or two digits not glued to a word or number
    return {
        "decimal_comma": re.compile(r"(\d(?<![\d.,]\d)\d{0,2}),(\d{1,2})(?![\d,])(?=" + _SP + r"?(?:"
                                    + _words(units) + r")(?!\w))", re.IGNORECASE),
        "dot_groups": re.compile(r"[1-9](?<![\d.,][1-9])\d{0,2}(?:\.\d{3}){2,}(?![\d.]\d|\.\d)"),
        "space_groups": re.compile(r"[1-9](?<![\d.,][1-9])\d{0,2}(?:" + _SP + r"\d{3})+(?![\d.,]?\d)(?="
                                   + _SP + r"?(?:[^\W\d_]|%|[€$£₽₴]))"),
        "clock_h": re.compile(first + r"h([0-5]\d)(?!\w)"),
        "clock_dot": re.compile(first + r"[.:]([0-5]\d)" + _SP + r"(?:" + _words(clock) + r")(?!\w)"),
        "ordinal_date": re.compile(first + r"\." + _SP + r"(?:" + _words(months) + r")(?!\w)", re.IGNORECASE),
        "thousand_word": re.compile(r"\d(?<![\w.,]\d)\d{0,2}" + _SP + r"thousand(?!\w)"),
        "spaced_percent": re.compile(_SP + "%"),
        "informal_unit": re.compile(r"(\d(?<![\w.,]\d)\d{0,3})(" + _words(informal) + r")(?!\w)"),
        "currency_after": re.compile(r"(\d(?<![\w.,]\d)[\d.,]*)" + _SP + r"?([€£₽₴])(?!\w)"),
    }


@functools.cache
def _language_setup(code: str) -> tuple[dict[str, re.Pattern[str]], dict[str, str], str]:
    """The patterns, informal units and decimal mark of the language ``code`` (whose
    data is merged by code), gathered once: building the keys of :func:`_patterns` for
    every text cost more than the check of a short one."""
    language = get_language(code)
    data = language.data("typography")
    numbers = language.data("numbers")
    months = tuple(m for m in numbers.get("months", {}) if len(m) > 3)
    informal = data.get("informal_units") or {}
    patterns = _patterns(tuple(data.get("decimal_units", ())), tuple(data.get("clock_suffixes", ())), months,
                         tuple(informal))
    return patterns, informal, numbers.get("decimal", ".")


@register
class NumberFormat(Rule):
    id = "typography.number_format"
    category = Category.TYPOGRAPHY
    scope = "line"
    severity = Severity.WARNING
    fixes = frozenset({FixSafety.SAFE, FixSafety.UNSAFE})
    mqm = "Locale convention/Number format"
    languages = frozenset({"en"})
    description = ("Decimal commas, dot or space thousands separators, 17h30 / 17.30 Uhr clock times and "
                   "'5. March' dates, '24hrs' in English copy; '207 thousand', '5 %', '100 €' when the source is known.")

    def check(self, ctx: Context) -> Iterator[Finding]:
        text = ctx.text
        known_source = bool(ctx.source_lang and ctx.source_lang.split("-")[0] != ctx.language.family)
        if _DIGIT.search(text) is None \
                and not (known_source and "%" in text and any(c.isdigit() for c in text)):
            # No decimal digit: only the spaced per cent could be reported, after any
            # digit ("²" too), and only when the source is known. (One regex search, not
            # a test character by character nor the digit runs of a text that has none.)
            return
        # Every pattern led by a digit starts where a run of digits starts (a digit after
        # no other digit): each is tried there only, not at every character of the text.
        runs = ctx.analysis.digit_runs
        p, informal, dec = _language_setup(ctx.language.code)
        name = ctx.language.name

        def found(key: str) -> Iterator[re.Match[str]]:
            return matches_at(text, p[key], runs)

        for m in found("decimal_comma"):
            fixed = f"{m.group(1)}{dec}{m.group(2)}"
            # post-edited human copy keeps some too: a warning when the source explains it
            yield self.finding(ctx, m.start(), m.end(),
                               f"decimal comma in '{m.group()}': {name} writes '{fixed}'",
                               replacement=fixed, fix=FixSafety.UNSAFE,
                               severity=Severity.WARNING if known_source else Severity.INFO)
        for m in found("dot_groups"):
            fixed = m.group().replace(".", ",")
            yield self.finding(ctx, m.start(), m.end(),
                               f"dots grouping thousands in '{m.group()}': {name} writes '{fixed}'",
                               replacement=fixed, fix=FixSafety.SAFE)
        for key in ("clock_h", "clock_dot"):
            for m in found(key):
                if int(m.group(1)) > 23:
                    continue
                yield self.finding(ctx, m.start(), m.end(),
                                   f"'{m.group()}' is the source's clock format: {name} writes "
                                   f"'{int(m.group(1)) % 12 or 12}:{m.group(2)} "
                                   f"{'p.m.' if int(m.group(1)) >= 12 else 'a.m.'}'")
        for m in found("ordinal_date"):
            if not 1 <= int(m.group(1)) <= 31:
                continue
            fixed = m.group().replace(".", "", 1)
            yield self.finding(ctx, m.start(), m.end(),
                               f"'{m.group()}' is a German ordinal date; {name} writes no dot after the day",
                               # unsafe: a sentence may end in a number before a month ("to 12. June")
                               replacement=fixed, fix=FixSafety.UNSAFE)
        if informal:
            for m in found("informal_unit"):
                fixed = f"{m.group(1)} {informal[m.group(2)]}"
                yield self.finding(ctx, m.start(), m.end(),
                                   f"'{m.group()}' is an informal abbreviation; {name} news writes '{fixed}'",
                                   replacement=fixed, fix=FixSafety.UNSAFE, severity=Severity.INFO)
        if known_source:
            yield from self._source_habits(ctx, p, name, found)

    def _source_habits(self, ctx: Context, p: dict, name: str,
                       found: Callable[[str], Iterator[re.Match[str]]]) -> Iterator[Finding]:
        text = ctx.text
        # SI style (and Wikipedia) groups thousands with spaces too: a source habit only
        for m in found("space_groups"):
            fixed = re.sub(_SP, ",", m.group())
            yield self.finding(ctx, m.start(), m.end(),
                               f"spaces grouping thousands in '{m.group()}': {name} news writes '{fixed}'",
                               replacement=fixed, fix=FixSafety.UNSAFE, severity=Severity.INFO)
        for m in found("thousand_word"):
            yield self.finding(ctx, m.start(), m.end(),
                               f"'{m.group()}' counts thousands in words the source's way; {name} news "
                               "writes the figure (207,000)", severity=Severity.INFO)
        for m in p["spaced_percent"].finditer(text) if "%" in text else ():
            if not m.start() or not text[m.start() - 1].isdigit():
                continue
            yield self.finding(ctx, m.start(), m.end(), f"space before '%': {name} writes 5%",
                               replacement="%", fix=FixSafety.SAFE, severity=Severity.INFO)
        for m in found("currency_after"):
            fixed = f"{m.group(2)}{m.group(1)}"
            yield self.finding(ctx, m.start(), m.end(),
                               f"currency sign after the amount: {name} writes it before ({fixed})",
                               replacement=fixed, fix=FixSafety.UNSAFE, severity=Severity.INFO)
