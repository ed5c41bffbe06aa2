"""The ``existence`` rule type: words, phrases or patterns that should not be in the text.

``words`` are whole words or phrases (case-insensitive unless
``case_sensitive``; a space matches any run of spaces). ``patterns`` are
regexes, each with an ``id`` and a ``scope``: ``line`` (the pattern is the
whole line, short lines only: "Read more"), ``token`` (anywhere; with
``starts``, every token pattern begins with one of those characters, and the
scan jumps between them) or ``text`` (anywhere, a plain regex scan). The fix,
when ``fix`` is ``safe`` or ``unsafe``, removes the match with the spaces or
line around it. All patterns of a language are compiled into one alternation
per scope, so the text is scanned a fixed number of times whatever their number.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..errors import DataError
from ..findings import Finding, FixSafety
from ..registry import Context
from ..rules._scan import matches_at
from ..rules._text import removal_span
from . import DataRule, template

#: Default for ``max_line``: lines longer than this are prose, not a "Read more" link.
MAX_LINE = 200
_WB_BEFORE, _WB_AFTER = r"(?<!\w)", r"(?!\w)"


@dataclass(frozen=True)
class Compiled:
    line: re.Pattern[str] | None
    token: re.Pattern[str] | None
    text: re.Pattern[str] | None
    #: group name -> the pattern entry (id, message ...).
    groups: dict[str, dict[str, Any]]


def phrase_regex(phrase: str) -> str:
    """A literal phrase whose spaces match any run of spaces or tabs."""
    return r"[^\S\r\n]+".join(re.escape(w) for w in phrase.split())


@functools.cache
def compiled(cls: type[ExistenceRule], code: str) -> Compiled:
    """The rule's patterns for language ``code``, one alternation per scope."""
    spec = cls.spec
    starts = spec.get("starts", "")
    flags = 0 if spec.get("case_sensitive") else re.IGNORECASE
    parts: dict[str, list[str]] = {"line": [], "token": [], "text": []}
    groups: dict[str, dict[str, Any]] = {}
    for i, (entry, doc, path) in enumerate(cls.items(code, "patterns")):
        assert isinstance(entry, dict)
        scope = entry.get("scope", "token")
        if scope == "token" and starts and not entry["pattern"].lstrip("\\").startswith(tuple(starts)):
            shown = " or ".join(f"\\{c}" if c in "[]{}()" else c for c in starts)
            raise DataError(f"{doc.at(path) if doc is not None else cls.where}: token pattern {entry.get('id', i)!r} must start with "
                            f"{shown} (the scan looks for those characters first); use scope: line "
                            "for other debris")
        group = f"p{i}"
        groups[group] = entry
        parts[scope].append(f"(?P<{group}>{entry['pattern']})")
    words = [str(w) for w, _doc, _path in cls.items(code, "words")]
    if words:
        group = f"p{len(groups)}"
        groups[group] = {"id": "words"}
        # Longest first, so a phrase wins over the word it starts with.
        alternatives = "|".join(phrase_regex(w) for w in sorted(words, key=lambda w: (-len(w), w)))
        parts["text"].append(f"(?P<{group}>{_WB_BEFORE}(?:{alternatives}){_WB_AFTER})")
    try:
        return Compiled(
            line=(re.compile(r"[ \t]*(?:" + "|".join(parts["line"]) + r")[ \t]*", flags)
                  if parts["line"] else None),
            token=re.compile("|".join(parts["token"]), flags) if parts["token"] else None,
            text=re.compile("|".join(parts["text"]), flags) if parts["text"] else None,
            groups=groups)
    except re.error:
        # Find the entry at fault (only now: each pattern compiled on its own costs time).
        for entry, doc, path in cls.items(code, "patterns"):
            assert isinstance(entry, dict)
            try:
                re.compile(entry["pattern"])
            except re.error as exc:
                raise DataError(f"{doc.at(path) if doc is not None else cls.where}: pattern {entry.get('id')!r}: {exc}") from None
        raise


class ExistenceRule(DataRule):
    """Report (and, with a fix safety, remove) what should not be in the text."""

    scope = "line"
    fix = FixSafety.NONE

    def check(self, ctx: Context) -> Iterator[Finding]:
        data = compiled(type(self), ctx.language.code)  # type: ignore[arg-type]  # mypy does not see a class object as Hashable
        text = ctx.text
        hits: list[re.Match[str]] = []
        if data.line is not None:
            # Line-scoped patterns are short: only short lines are tried, one
            # anchored match each, instead of a regex scan of the whole text.
            limit = self.spec.get("max_line", MAX_LINE)
            pos = 0
            length = len(text)
            while pos < length:
                end = text.find("\n", pos)
                if end == -1:
                    end = length
                # A CRLF line is matched without its \r, so "[^\n]*" tails stop before it.
                stop = end - 1 if end > pos and text[end - 1] == "\r" else end
                if stop - pos <= limit:
                    m = data.line.fullmatch(text, pos, stop)
                    if m is not None:
                        hits.append(m)
                pos = end + 1
        if data.token is not None:
            starts = self.spec.get("starts", "")
            hits.extend(matches_at(data.token, text, starts) if starts else data.token.finditer(text))
        if data.text is not None:
            hits.extend(data.text.finditer(text))
        # Without a rule template, an entry's own message is said as it stands.
        message = self.spec.get("message")
        removes = self.fix is not FixSafety.NONE
        for m in hits:
            group = m.lastgroup or ""
            entry = data.groups[group]
            start, end = m.span(group)
            fields = {"match": text[start:end], "id": entry.get("id", group),
                      "message": entry.get("message", "")}
            if message is None and fields["message"]:
                said = fields["message"]
            else:
                said = template(message or "'{match}' should not be here", fields, self.where)
            if removes:
                yield self.finding(ctx, start, end, said, replacement="",
                                   replaces=removal_span(text, start, end),
                                   data={"pattern": entry.get("id", "")})
            else:
                yield self.finding(ctx, start, end, said, data={"pattern": entry.get("id", "")})


RULE = ExistenceRule
