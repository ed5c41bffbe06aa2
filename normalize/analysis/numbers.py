"""Numbers and dates of a segment as values, whatever the language writes them like.

"30 000" (French), "30.000" (German) and "30,000" (English) are one value;
"1,5 million" is 1.5e6; "five" is 5; "March" is 3 next to a numeric date;
"15 Uhr" may be "3 p.m.". Each number becomes a :class:`Num` with the set of
values it may stand for, so that comparing two segments is comparing sets.

The per-language facts (decimal and thousands separators, number words,
scale words, months, clock markers) are data: ``corpora/rules/<lang>/numbers.yaml``.
Chinese and Japanese numbers are read by script, whatever the language code:
a figure next to a Han character ("有6个") is a figure, "140亿" is 1.4e10 (万 is
10^4, 亿 10^8), and numerals written in Han characters ("三百万", "二〇二〇")
have their values.
"""
from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass, replace

from ..errors import UsageError
from ..languages import get_language

_SPACES = " \u00a0\u202f\u2009"
#: A run of digits with inner separators (one scan; classified in Python).
_RUN = re.compile(r"\d+(?:(?:[.,'\u2019/:]|[ \u00a0\u202f\u2009](?=\d{3}(?!\d)))\d+)*")
_SEP_SPLIT = re.compile(r"([.,'\u2019 \u00a0\u202f\u2009])")
_DIGITS = re.compile(r"\d+")
_HYPHEN = re.compile(r"[-\u2010]")
_DMY = re.compile(r"(\d{1,2})[./](\d{1,2})[./](\d{4}|\d{2})")
_DM = re.compile(r"\d{1,2}\.\d{1,2}")
_CLOCK = re.compile(r"\d{1,2}:\d{2}")
_HM_DOT = re.compile(r"\d{1,2}\.\d{2}")
_CLOCK_AFTER = re.compile(r"\s*(?:uhr\b|h\b|heures?\b|hours\b|hrs\b|o['\u2019]clock|[ap]\.?m\b)", re.IGNORECASE)
_DECADE_AFTER = re.compile(r"(?:s|er|ies)\b")
_YEAR_BEFORE = re.compile(r"\d{4}\Z")
_ROMAN = re.compile(r"\b([IVXLC]{2,7})(?:e|er|ème|eme|th|st|nd|rd)?\b")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_WORDS = re.compile(r"[^\W\d_]+(?:[-\u2010][^\W\d_]+)*")

#: One capital letter against a figure, then no letter: "3D", "4K", "5G".
_CODE_AFTER = re.compile(r"[A-Z](?![A-Za-z0-9])")
#: Currency codes written against the figure ("RM2 million", "USD5"): the figure counts.
_CURRENCY_BEFORE = re.compile(r"(?<![A-Za-z])(?:RM|Rs|Rp|RMB|USD|EUR|GBP|CHF|CNY|JPY|AUD|CAD|HKD|SGD)\Z")

#: Han numerals: digits, the small units (10, 100, 1000) and the big ones (10^4, 10^8).
_HAN_DIGITS = {"\u3007": 0, "零": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5,
               "六": 6, "七": 7, "八": 8, "九": 9}
_HAN_SMALL = {"十": 10, "百": 100, "千": 1000}
_HAN_BIG = {"万": 1e4, "萬": 1e4, "亿": 1e8, "億": 1e8}
_HAN_NUMERAL = re.compile("[" + "".join(_HAN_DIGITS) + "十百千万萬亿億]+")
#: Scale characters written after a figure ("140亿", "3.5万", "1千万"); 兆 is 10^12
#: in Japanese and older Chinese but "mega" in modern Chinese units, so both.
_HAN_SCALE_AFTER = re.compile("[百千万萬亿億兆]+")
_HAN_SCALE_LEAD = re.compile("[ \u00a0余多几]")
#: "2万4801": the figure after a big unit adds to it (24,801).
_HAN_REST = re.compile(r"\d{1,4}(?!\d|\.\d)")
#: "20世纪" is the twentieth century; "80年代" the eighties (1980s).
_CENTURY_AFTER = re.compile("世纪|世紀")
_DECADE_CJK_AFTER = re.compile("年代")
_HAN_SCALE = {"百": [100.0], "千": [1e3], "万": [1e4], "萬": [1e4], "亿": [1e8], "億": [1e8],
              "兆": [1e6, 1e12]}
#: A scale character that begins a unit word instead: 千克 (kg), 千米 (km), 百分 (per cent).
_HAN_UNIT_AFTER = {"千": "克米瓦焦卡赫字", "百": "分米", "兆": "瓦字赫"}


def is_cjk(ch: str) -> bool:
    """Han, kana, Hangul and CJK punctuation: characters between which a figure
    is written without a space, so one next to them is still a figure."""
    o = ord(ch)
    return 0x3000 <= o <= 0x9FFF or 0xAC00 <= o <= 0xD7AF or 0xF900 <= o <= 0xFAFF \
        or 0xFF00 <= o <= 0xFFEF or 0x20000 <= o <= 0x2FA1F


def _han_scale(seg: str, e: int) -> tuple[list[float], int]:
    """The multipliers of the Han scale characters right after ``seg[:e]`` and where they end
    ("820 万", "30余万" more than 300,000)."""
    m = _HAN_SCALE_AFTER.match(seg, e)
    if m is None:
        lead = _HAN_SCALE_LEAD.match(seg, e)
        m = _HAN_SCALE_AFTER.match(seg, lead.end()) if lead else None
        if m is None:
            return [1.0], e
        assert lead is not None  # m matched after it
        e = lead.end()
    chars = m.group()
    while chars and seg[e + len(chars):e + len(chars) + 1] and \
            seg[e + len(chars)] in _HAN_UNIT_AFTER.get(chars[-1], ""):
        chars = chars[:-1]
    mults = [1.0]
    for ch in chars:
        mults = [a * b for a in mults for b in _HAN_SCALE[ch]]
    return mults, e + len(chars)


def han_value(run: str) -> set[float]:
    """The values a run of Han numerals may stand for ("三百万" 3e6, "七八十" 70 or 80,
    "二〇二〇" 2020, "六一" 61 or 6 and 1); empty when it is not a number."""
    if all(c in _HAN_DIGITS for c in run):
        digits = [_HAN_DIGITS[c] for c in run]
        out = {float(d) for d in digits} if len(run) <= 2 else set()
        if len(run) >= 2:
            out.add(float("".join(str(d) for d in digits)))
        return out
    # Two digits before a unit are a range ("七八十" seventy or eighty).
    approx = re.fullmatch("([一二三四五六七八九])([一二三四五六七八九])([十百千万萬])", run)
    if approx:
        unit = _HAN_SMALL.get(approx.group(3)) or _HAN_BIG[approx.group(3)]
        return {_HAN_DIGITS[approx.group(1)] * unit, _HAN_DIGITS[approx.group(2)] * unit}
    if run in _HAN_BIG:
        return {_HAN_BIG[run]}  # "每万字" per ten thousand characters
    cut = next((i for i in range(1, len(run)) if run[i - 1] in _HAN_DIGITS and run[i] in _HAN_DIGITS), 0)
    if cut:
        # Two numbers side by side: "十四五" is the 14th five-year plan (14 and 5).
        return han_value(run[:cut]) | han_value(run[cut:])
    total = section = number = 0.0
    for ch in run:
        if ch in _HAN_DIGITS:
            number = _HAN_DIGITS[ch]
        elif ch in _HAN_SMALL:
            section += (number or 1) * _HAN_SMALL[ch]
            number = 0
        else:
            unit = _HAN_BIG[ch]
            section += number
            if section == 0 and total == 0:
                return set()  # "万一" (in case), "亿万": not a quantity
            # 亿 after 万 multiplies what came before it ("一万亿" 10^12).
            total = (total + section) * unit if unit > 1e4 else total + section * unit
            section = number = 0
    return {total + section + number}


def _han_numerals(seg: str, add, digit_kind: bool) -> None:
    """Han numerals of ``seg``: with a big unit and a digit ("三百万", "十四亿") they are
    figures when ``digit_kind``; all others ("三", "第二", "十分") only absorb."""
    for m in _HAN_NUMERAL.finditer(seg):
        run = m.group()
        vals = han_value(run)
        if not vals:
            continue
        big = any(c in _HAN_BIG for c in run) and any(c in _HAN_DIGITS for c in run.rstrip("万萬亿億"))
        if big == digit_kind:
            add(m.start(), m.end(), vals, kind="digit" if big else "word")


@dataclass(frozen=True)
class Locale:
    decimal: str
    groups: frozenset[str]
    words: dict[str, float]
    scales: dict[str, float]
    attached: dict[str, float]
    months: dict[str, int]
    scale_re: re.Pattern[str] | None
    attached_re: re.Pattern[str] | None
    pm_re: re.Pattern[str] | None
    clock_re: re.Pattern[str] | None
    #: What may stand between the two ends of a range ("2 to 3 million"): the gap, whole.
    range_re: re.Pattern[str] | None = None


@dataclass(frozen=True)
class Num:
    """One number of a segment: where it is, how it is written, what it may mean."""

    start: int
    end: int
    raw: str
    values: frozenset[float]
    base: frozenset[float]
    scale: float
    #: "digit" (reported when unmatched), "word" (only absorbs) or "roman" (absorbs;
    #: a Roman numeral of the source matching nothing pairs with a stray target figure).
    kind: str

    def shown(self) -> str:
        return " or ".join(fmt(v) for v in sorted(self.values)[:2])


def fmt(v: float) -> str:
    if v == int(v) and abs(v) < 1e15:
        return f"{int(v):,}"
    return f"{v:,.6g}" if abs(v) >= 1 else f"{v:.6g}"


def key(v: float) -> float:
    return float(f"{v:.9g}")


def _alt(words) -> str:
    return "|".join(re.escape(w).replace("\\ ", "[ \u00a0]") for w in sorted(set(words), key=lambda w: (-len(w), w)))


@functools.cache
def locale(code: str | None) -> Locale | None:
    """The number conventions of a language, or None for an unknown one."""
    if not code:
        return None
    try:
        data = get_language(code).data("numbers")
    except UsageError:
        return None
    if not data.get("decimal"):
        return None
    words = {str(k).lower(): float(v) for k, v in (data.get("words") or {}).items()}
    words.update({str(k).lower(): float(v) for k, v in (data.get("ordinals") or {}).items()})
    scales = {str(k).lower(): float(v) for k, v in (data.get("scales") or {}).items()}
    attached = {str(k).lower(): float(v) for k, v in (data.get("attached_scales") or {}).items()}
    months = {str(k).lower(): int(v) for k, v in (data.get("months") or {}).items()}
    pm = data.get("pm_markers") or []
    clock = data.get("clock_markers") or []
    ranges = [str(w) for w in data.get("range_words") or []]
    return Locale(
        decimal=str(data["decimal"]), groups=frozenset(str(g) for g in data.get("group", [])),
        words=words, scales=scales, attached=attached, months=months,
        scale_re=re.compile(rf"[ \u00a0\u202f]*(?:{_alt(scales)})(?!\w)\.?", re.IGNORECASE) if scales else None,
        attached_re=re.compile(rf"(?:{_alt(attached)})(?!\w)", re.IGNORECASE) if attached else None,
        pm_re=re.compile(rf"[ \u00a0\u202f]*(?:{_alt(pm)})(?!\w)", re.IGNORECASE) if pm else None,
        clock_re=re.compile(rf"[ \u00a0\u202f]*(?:{_alt(clock)})(?!\w)", re.IGNORECASE) if clock else None,
        range_re=re.compile(rf"[ \u00a0]*[-\u2013\u2014][ \u00a0]*|[ \u00a0]+(?:{_alt(ranges)})[ \u00a0]+",
                            re.IGNORECASE) if ranges else None)


_GENERIC = (  # how to read a number when the language is unknown: both ways
    (".", frozenset(",")),
    (",", frozenset(". \u00a0\u202f\u2009")),
)


def _value(runs: list[str], seps: list[str], decimal: str, groups: frozenset[str]) -> float | None:
    """The value of digit runs joined by separators, read with one convention; None if
    the separators cannot be read that way."""
    whole = runs[0]
    frac = ""
    grouped = False
    for i, sep in enumerate(seps):
        run = runs[i + 1]
        last = i == len(seps) - 1
        if sep in _SPACES:
            if len(run) != 3 or frac:
                return None
            grouped = True
            whole += run
        elif sep == decimal and last:
            frac = run
        elif sep in groups and len(run) == 3 and not frac:
            grouped = True
            whole += run
        elif last and sep in ".,":
            frac = run  # a foreign decimal point ("1.5" in German copy)
        else:
            return None
    if grouped and (len(runs[0]) > 3 or runs[0].startswith("0")):
        return None
    return float(f"{whole}.{frac}") if frac else float(whole)


def _values(raw: str, loc: Locale | None) -> set[float]:
    parts = _SEP_SPLIT.split(raw)
    runs, seps = parts[0::2], parts[1::2]
    if not seps:
        return {float(raw)}
    conventions = [(loc.decimal, loc.groups)] if loc else list(_GENERIC)
    out = set()
    for decimal, groups in conventions:
        v = _value(runs, seps, decimal, groups)
        if v is not None:
            out.add(v)
    if not out and loc is not None:
        # Not a number in this language's notation ("36.658.166" in English):
        # read it as the other notation would, rather than as three numbers.
        return _values(raw, None)
    return out


def _roman(s: str) -> int | None:
    """The value of a Roman numeral (II to CCC), or None if it is not well formed."""
    total = 0
    for i, ch in enumerate(s):
        v = _ROMAN_VALUES[ch]
        total += -v if i + 1 < len(s) and _ROMAN_VALUES[s[i + 1]] > v else v
    return total if 0 < total < 400 and _to_roman(total) == s else None


def _to_roman(n: int) -> str:
    out = ""
    for v, r in ((100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"),
                 (5, "V"), (4, "IV"), (1, "I")):
        while n >= v:
            out += r
            n -= v
    return out


def _scale_words(seg: str, end: int, loc: Locale, scale: float = 1.0) -> tuple[float, int]:
    """``scale`` times the scale words ("million", "Mrd.") that follow ``end`` one after
    another, and where they stop (``scale`` and ``end`` when none does)."""
    while loc.scale_re is not None:
        sm = loc.scale_re.match(seg, end)
        if sm is None:
            break
        scale *= loc.scales[sm.group().strip(" \u00a0\u202f.").lower()]
        end = sm.end()
    return scale, end


def numbers(seg: str, loc: Locale | None) -> list[Num]:
    """The figures of a segment (with their scales, dates and clock times split in parts);
    see :func:`number_words` for numbers written as words.

    One regex scan finds runs of digits with inner separators; each run is then
    classified in Python (a date, a clock time, a number in the language's notation)."""
    out: list[Num] = []
    cjk = bool(seg) and max(seg) >= "\u3000"

    def add(s: int, e: int, vals, kind="digit", scale=1.0, base=None):
        vals = frozenset(key(v) for v in vals)
        out.append(Num(s, e, seg[s:e], vals, frozenset(key(v) for v in (base or vals)), scale, kind))

    if cjk:
        _han_numerals(seg, add, digit_kind=True)

    def parts(s: int, raw: str) -> None:
        """Each digit run of ``raw`` on its own; a two-digit run after a year may be a year."""
        runs = list(_DIGITS.finditer(raw))
        for i, r in enumerate(runs):
            v = int(r.group())
            vals = {v}
            if len(r.group()) == 2 and i and len(runs[i - 1].group()) == 4:
                vals |= {1900 + v, 2000 + v}  # "2021/22", "03.03.21"
            if r.group() == "00":
                add(s + r.start(), s + r.end(), vals, kind="word")
            else:
                add(s + r.start(), s + r.end(), vals)

    resume = -1  # the end of a figure read together with the one before ("2万4801")
    for m in _RUN.finditer(seg):
        s, e = m.span()
        if s < resume:
            continue
        raw = m.group()
        prev = seg[s - 1:s]
        if prev and (prev.isalpha() or prev == "_") and not is_cjk(prev) and not (
                prev in "xX" and s >= 2 and (seg[s - 2].isdigit() or seg[s - 2] == " ")) \
                and _CURRENCY_BEFORE.search(seg, max(0, s - 3), s) is None:
            continue  # "G7", "K1", "h30" (the minutes of "1h30", taken below); "x15" is a dimension
        if "/" in raw or ":" in raw:
            if ":" in raw and _CLOCK.fullmatch(raw):
                h, minute = (int(x) for x in raw.split(":"))
                if h <= 24 and minute <= 59:
                    colon = raw.index(":")
                    add(s, s + colon, {h, (h + 12) % 24 if h < 12 else h - 12})
                    add(s + colon + 1, e, {minute}, kind="digit" if minute else "word")
                    continue
            date = _DMY.fullmatch(raw)
            if date:
                parts(s, raw)
                if len(date.group(3)) == 2:
                    out[-1] = Num(out[-1].start, out[-1].end, out[-1].raw,
                                  out[-1].values | {key(2000 + int(date.group(3))),
                                                    key(1900 + int(date.group(3)))},
                                  out[-1].base, 1.0, "digit")
                continue
            parts(s, raw)
            continue
        if _DMY.fullmatch(raw):  # 03.03.2021
            parts(s, raw)
            continue
        if _HM_DOT.fullmatch(raw) and _CLOCK_AFTER.match(seg, e):  # 15.30 Uhr
            h, minute = (int(x) for x in raw.split("."))
            if h <= 24 and minute <= 59:
                add(s, s + raw.index("."), {h, (h + 12) % 24 if h < 12 else h - 12})
                add(s + raw.index(".") + 1, e, {minute}, kind="digit" if minute else "word")
                continue
        if loc is not None and loc.decimal == "," and _DM.fullmatch(raw) and seg[e:e + 1] == "." \
                and seg[e + 1:e + 2] not in ".0123456789":
            # "18.01." is a date in German; "4.5." may also be a version: both readings.
            parts(s, raw)
            add(s, e, {float(raw)}, kind="word")
            continue
        if raw.isdigit() and len(raw) <= 2 and seg[e:e + 1] in ("h", "H") and \
                seg[e + 1:e + 3].isdigit() and not seg[e + 3:e + 4].isdigit():
            h, minute = int(raw), int(seg[e + 1:e + 3])  # 15h30
            if h <= 24 and minute <= 59:
                add(s, e, {h, (h + 12) % 24 if h < 12 else h - 12})
                add(e + 1, e + 3, {minute}, kind="digit" if minute else "word")
                continue
        if raw[0] == "0" and raw.isdigit() and (len(raw) > 2 or raw == "00"):
            # "0815" (German for "run-of-the-mill"), dialling codes: not quantities.
            add(s, e, {int(raw)}, kind="word")
            continue
        if raw.isdigit() and _CODE_AFTER.match(seg, e):
            # "3D", "4K", "5G": a name more than a quantity ("dreidimensional").
            add(s, e, {int(raw)}, kind="word")
            continue
        vals = _values(raw, loc)
        if not vals:
            parts(s, raw)  # "1.2.3", "2020 300": separate numbers
            continue
        scale = 1.0
        end = e
        if cjk:
            ints = [v for v in vals if v == int(v)]
            mults, end = _han_scale(seg, e)
            if end > e:
                total = {v * m for v in vals for m in mults}
                rest = _HAN_REST.match(seg, end) if seg[end - 1] in "万萬亿億" else None
                if rest is not None:
                    total = {v + int(rest.group()) for v in total}
                    end = resume = rest.end()
                add(s, end, total, scale=mults[0], base=vals)
                continue
            if _CENTURY_AFTER.match(seg, e) and ints:
                add(s, e, {int(ints[0]), (int(ints[0]) - 1) * 100}, kind="word")
                continue
            if _DECADE_CJK_AFTER.match(seg, e) and len(raw) == 2 and ints:
                add(s, e, {int(ints[0]), 1900 + int(ints[0]), 2000 + int(ints[0])})
                continue
        if loc is not None:
            a = loc.attached_re.match(seg, e) if loc.attached_re else None
            if a is not None:
                scale *= loc.attached[a.group().lower()]
                end = a.end()
            else:
                scale, end = _scale_words(seg, end, loc, scale)
        extra = set()
        ints = [v for v in vals if v == int(v)]
        if len(raw) == 2 and ints:
            v = int(ints[0])
            if prev in ("'", "\u2019") or seg[s - 2:s] in ("' ", "\u2019 ") or \
                    _DECADE_AFTER.match(seg, e) or (prev in "-\u2013" and _YEAR_BEFORE.search(seg, 0, s - 1)):
                extra |= {1900 + v, 2000 + v}
        elif len(raw) == 4 and ints and raw[:2] in ("19", "20") and _DECADE_AFTER.match(seg, e):
            extra.add(int(ints[0]) % 100)  # "the 1960s" for "anii 60", "die 60er"
        if loc is not None and ints and int(ints[0]) <= 24:
            h = int(ints[0])
            if loc.pm_re is not None and loc.pm_re.match(seg, e):
                extra.add(h + 12 if h < 12 else h)
            if loc.clock_re is not None and loc.clock_re.match(seg, e):
                extra.add(h - 12 if h > 12 else h + 12)
        total = {v * scale for v in vals} | extra
        add(s, end if scale != 1.0 else e, total, scale=scale, base=vals)
    if cjk:
        out.sort(key=lambda n: n.start)
    return range_scaled(out, seg, loc)


def range_scaled(nums: list[Num], seg: str, loc: Locale | None) -> list[Num]:
    """``nums`` with the scale of a range's second end given to its first as well:
    "two to three million", "zwei bis drei Millionen", "2-3 million" are 2,000,000 to
    3,000,000 (the first end keeps its own value too)."""
    if loc is None or loc.range_re is None or len(nums) < 2:
        return nums
    ordered = sorted(nums, key=lambda n: n.start)
    out = list(ordered)
    for i, (a, b) in enumerate(itertools.pairwise(ordered)):
        if a.scale == 1.0 and b.scale > 1.0 and a.end < b.start \
                and loc.range_re.fullmatch(seg, a.end, b.start) is not None:
            out[i] = replace(a, values=a.values | {key(v * b.scale) for v in a.values})
    return out


def number_words(seg: str, loc: Locale | None) -> list[Num]:
    """Numbers written as words ("five", "fünf"), months, scale words and Roman numerals:
    they only absorb a figure of the other segment, they are never reported."""
    out: list[Num] = []

    def add(s: int, e: int, vals, kind="word", scale=1.0, base=None):
        vals = frozenset(key(v) for v in vals)
        out.append(Num(s, e, seg[s:e], vals, frozenset(key(v) for v in (base or vals)), scale, kind))

    if loc is not None:
        _words(seg, loc, add)
    if seg and max(seg) >= "\u3000":
        _han_numerals(seg, add, digit_kind=False)
    for m in _ROMAN.finditer(seg):  # "secolul XIV" = "the 14th century"
        value = _roman(m.group(1))
        if value:
            add(m.start(), m.end(), {value}, kind="roman")
    return out


def _compound(word: str, loc: Locale) -> float | None:
    """The number a compound starts with ("zehnmal", "tenfold", "dreistöckig"): the
    longest number word it begins with, when a short ending (six letters at most)
    follows. Such numbers only absorb figures, so a chance prefix costs little."""
    for cut in range(len(word) - 1, max(2, len(word) - 7), -1):
        value = loc.words.get(word[:cut])
        if value is not None:
            return value
    return None


def _words(seg: str, loc: Locale, add) -> None:
    low = seg.lower()
    for m in _WORDS.finditer(low):
        w = m.group()
        value = loc.words.get(w)
        if value is None and ("-" in w or "\u2010" in w):
            parts = _HYPHEN.split(w)
            if all(p in loc.words for p in parts):
                value = sum(loc.words[p] for p in parts)
                for p in parts:  # "four-years-old": the parts count too
                    add(m.start(), m.end(), {loc.words[p]}, kind="word")
            elif parts[0] in loc.words:
                value = loc.words[parts[0]]
        if value is None and len(w) >= 6:
            value = _compound(w, loc)
        if value is not None:
            scale, end = _scale_words(seg, m.end(), loc)
            add(m.start(), end, {value, value * scale}, kind="word", scale=scale, base={value})
            continue
        if w in loc.months:
            add(m.start(), m.end(), {loc.months[w]}, kind="word")
        elif w in loc.scales:
            add(m.start(), m.end(), {loc.scales[w]}, kind="word")
