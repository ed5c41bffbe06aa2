"""Tokens a translation must keep exactly: placeholders, markup and links.

Each kind has one pattern; :func:`tokens` returns the tokens of a segment in
order, and :func:`compare` tells which of the source's are missing from the
target, which the target adds, and which it altered (the same characters with
spaces put in, as MT does to ``%s`` and ``{name}``).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ...patterns import LazyPattern

#: kind -> (rule group, pattern). Order matters: earlier kinds claim their span first.
#: Compiled on first use (most segments hold none of the trigger characters).
PATTERNS: dict[str, tuple[str, LazyPattern]] = {
    # printf: %s %d %1$s %.2f %-5d %ld %@, and Python's %(name)s.
    "printf": ("placeholder", LazyPattern(
        r"(?<![%A-Za-z0-9_])%(?:\(\w+\)|\d+\$)?[-+#0]?\d*(?:\.\d+)?(?:hh|h|ll|l|L|z|j|t|q)?[sdiuxXofeEgGcp@]"
        r"(?![A-Za-z])")),
    # ICU / brace variables: {0}, {name}, {{name}}, ${name}, {count, plural, ...} (the name only).
    "brace": ("placeholder", LazyPattern(r"\$?\{\{?\s*(?:[A-Za-z_][\w.\-]*|\d+)\s*(?:\}\}?|(?=,))")),
    "dollar": ("placeholder", LazyPattern(r"(?<![A-Za-z0-9_$\\])\$[A-Za-z_]\w*")),
    # Masks of anonymised data sets and templates: #NAME#, #PRS_ORG#, #PHONENUMBER#.
    "mask": ("placeholder", LazyPattern(r"#[A-Z][A-Z0-9_]{1,30}#")),
    "tag": ("markup", LazyPattern(r"</?[A-Za-z][\w:.-]*(?:\s+[\w:.-]+(?:\s*=\s*(?:\"[^\"<>]*\"|'[^'<>]*'|[^\s<>\"']+))?)*\s*/?>")),
    "entity": ("markup", LazyPattern(r"&(?:[A-Za-z][A-Za-z0-9]{1,9}|#\d{1,7}|#x[0-9A-Fa-f]{1,6});")),
    "url": ("link", LazyPattern(
        r"(?<![A-Za-z0-9])(?:(?:https?|ftp)://|www\.)[A-Za-z0-9\-._~:/?#\[\]@!$&*+,;=%]+[A-Za-z0-9/_\-=#&%~]"
        r"|(?<![A-Za-z0-9])(?:https?|ftp)://[A-Za-z0-9\-]+")),
    "email": ("link", LazyPattern(r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}(?![A-Za-z0-9])")),
    "path": ("link", LazyPattern(
        r"(?<![\w/.:])(?:~|\.{1,2})?/(?:[\w.\-]+/)+[\w.\-]*"
        r"|\b[A-Za-z]:\\(?:[\w.\-]+\\)*[\w.\-]+"
        r"|(?<![\w/.:])[\w\-]+(?:/[\w.\-]+)+\.[A-Za-z][A-Za-z0-9]{0,4}\b")),
    # Escaped control characters of program strings ("Line one\\nLine two"); after
    # "path" so that "C:\\new" stays a path.
    "escape": ("placeholder", LazyPattern(r"\\(?:[ntr]|u[0-9A-Fa-f]{4})")),
    "handle": ("link", LazyPattern(r"(?<![A-Za-z0-9_.@])@[A-Za-z0-9_]{2,30}(?![A-Za-z0-9_])")),
    "hashtag": ("link", LazyPattern(r"(?<![A-Za-z0-9_&#/])#[^\W\d_][\w]{1,60}")),
}
#: Characters one of the patterns needs: a segment without any is skipped at once.
TRIGGERS = {"printf": "%", "brace": "{", "dollar": "$", "mask": "#", "tag": "<", "entity": "&",
            "url": "/w", "email": "@", "path": "/\\", "escape": "\\", "handle": "@", "hashtag": "#"}


@dataclass(frozen=True)
class Token:
    kind: str
    start: int
    end: int
    text: str

    @property
    def key(self) -> str:
        """What must be kept: the text, with a tag's attributes (translatable
        titles) left out and case kept."""
        if self.kind == "tag":
            m = re.match(r"</?[A-Za-z][\w:.-]*", self.text)
            return (m.group() if m else self.text) + ("/>" if self.text.endswith("/>") else ">")
        if self.kind == "brace":
            return re.sub(r"\s+", "", self.text).rstrip(",")
        return self.text


def tokens(text: str, group: str | None = None) -> list[Token]:
    """The tokens of ``text`` (of one rule group, or all), in text order, not overlapping."""
    found: list[Token] = []
    taken: list[tuple[int, int]] = []
    for kind, (kind_group, pattern) in PATTERNS.items():
        if not any(c in text for c in TRIGGERS[kind]):
            continue
        for m in pattern.finditer(text):
            s, e = m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            taken.append((s, e))
            if group is None or kind_group == group:
                found.append(Token(kind, s, e, m.group()))
    return sorted(found, key=lambda t: t.start)


@dataclass(frozen=True)
class Difference:
    """A source token missing from the target (``target`` None), a target token the
    source lacks (``source`` None), or a source token the target altered."""

    source: Token | None
    target: Token | None
    #: For an altered token, where the altered form stands in the target.
    span: tuple[int, int] | None = None


def _spaced(token: str) -> re.Pattern[str]:
    """``token`` with optional whitespace between its characters ("% s", "{ name }")."""
    return re.compile(r"\s*".join(re.escape(c) for c in token if not c.isspace()))


def compare(source: str, target: str, group: str) -> list[Difference]:
    """How the target's tokens of ``group`` differ from the source's, as a multiset."""
    src = tokens(source, group)
    tgt = tokens(target, group)
    if not src and not tgt:
        return []
    left = Counter(t.key for t in tgt)
    missing = []
    for s in src:
        if left[s.key]:
            left[s.key] -= 1
        else:
            missing.append(s)
    spare = Counter(t.key for t in tgt) - Counter(s.key for s in src)
    added = []
    for t in tgt:
        if spare[t.key]:
            spare[t.key] -= 1
            added.append(t)
    out: list[Difference] = []
    covered = [(t.start, t.end) for t in tgt]
    for s in missing:
        # An altered form: the same characters with spaces put in, not a token itself.
        m = None
        for cand in _spaced(s.text).finditer(target):
            if not any(cand.start() < e and b < cand.end() for b, e in covered) and cand.group() != s.text:
                m = cand
                break
        if m is not None:
            covered.append(m.span())
            out.append(Difference(s, None, m.span()))
        else:
            out.append(Difference(s, None))
    out.extend(Difference(None, t) for t in added)
    return out
