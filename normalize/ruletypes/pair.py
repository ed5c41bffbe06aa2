"""The ``pair`` rule type: tokens that must be carried from source to target exactly.

Each entry of ``tokens`` declares a token class with a ``kind`` and either a
``pattern`` (a Python regex; a group named ``key`` narrows what must be kept)
or ``literals`` (a set of fixed strings, matched as whole words). Tokens are
compared as written (``case_sensitive: false`` compares them case-folded).
For each segment pair (the target's lines with the source's, as the other
``pair.*`` rules pair them), every token of the source that the target lacks,
every one the target adds and every one it changes is reported:

* ``changed``: a token of a kind missing and one of that kind added in the same
  segment (paired in order): the fix writes the source's token back, with the
  rule's ``fix`` safety;
* ``missing``: reported on the segment, no fix;
* ``extra``: reported on the target's token, no fix.

Messages are ``message_missing``, ``message_extra``, ``message_changed``
templates with ``{token}`` (the source's token, or the target's for
``extra``), ``{found}`` (the target's, for ``changed``) and ``{kind}``.
Examples are mappings ``{source: ..., text: ...}`` (``fixed`` adds
``fixed: ...``); the tests run them with the source.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..errors import DataError
from ..findings import Finding, FixSafety
from ..registry import Context
from . import DataRule, template

_MISSING = "the source's {kind} '{token}' is missing from the translation"
_EXTRA = "{kind} '{token}' is not in the source segment"
_CHANGED = "'{found}' is the source's {kind} '{token}' changed; keep it exactly"


@dataclass(frozen=True)
class TokenClass:
    kind: str
    regex: re.Pattern[str]
    folded: bool


@dataclass(frozen=True)
class Token:
    kind: str
    start: int
    end: int
    text: str
    key: str


@functools.cache
def token_classes(cls: type[PairRule], code: str) -> tuple[TokenClass, ...]:
    """The rule's token classes for documents in ``code`` (its own, then its layers')."""
    out = []
    for entry, doc, path in cls.items(code, "tokens"):
        assert isinstance(entry, dict)
        where = doc.at(path) if doc is not None else cls.where
        case = entry.get("case_sensitive", True)
        flags = 0 if case else re.IGNORECASE
        if ("pattern" in entry) == ("literals" in entry):
            raise DataError(f"{where}: token {entry['kind']!r} needs one of 'pattern' or 'literals'")
        if "literals" in entry:
            words = sorted({str(w) for w in entry["literals"]}, key=lambda w: (-len(w), w))
            source = r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)"
        else:
            source = entry["pattern"]
        try:
            regex = re.compile(source, flags)
        except re.error as exc:
            raise DataError(f"{where}: token {entry['kind']!r}: bad regex {source!r}: {exc}") from None
        out.append(TokenClass(str(entry["kind"]), regex, not case))
    return tuple(out)


def tokens(text: str, classes: tuple[TokenClass, ...]) -> list[Token]:
    """The tokens of ``text``, in text order; where two classes overlap, the first class wins."""
    found: list[Token] = []
    taken: list[tuple[int, int]] = []
    for tc in classes:
        keyed = "key" in tc.regex.groupindex
        for m in tc.regex.finditer(text):
            start, end = m.span("key") if keyed and m.group("key") is not None else m.span()
            if start == end or any(s < end and start < e for s, e in taken):
                continue
            surface = text[start:end]
            found.append(Token(tc.kind, start, end, surface, surface.casefold() if tc.folded else surface))
            taken.append((start, end))
    found.sort(key=lambda t: t.start)
    return found


def differences(source: str, target: str, classes: tuple[TokenClass, ...]
                ) -> list[tuple[str, Token | None, Token | None]]:
    """``(what, source token, target token)`` for each token not carried exactly:
    ``missing`` (no target token), ``extra`` (no source token) and ``changed``."""
    src = tokens(source, classes)
    if not src and not any(tc.regex.search(target) for tc in classes):
        return []
    tgt = tokens(target, classes)
    missing: list[Token] = []
    pool: dict[tuple[str, str], list[Token]] = {}
    for t in tgt:
        pool.setdefault((t.kind, t.key), []).append(t)
    for s in src:
        same = pool.get((s.kind, s.key))
        if same:
            same.pop(0)
        else:
            missing.append(s)
    extra = sorted((t for ts in pool.values() for t in ts), key=lambda t: t.start)
    out: list[tuple[str, Token | None, Token | None]] = []
    for s in missing:
        other = next((t for t in extra if t.kind == s.kind), None)
        if other is not None:
            extra.remove(other)
            out.append(("changed", s, other))
        else:
            out.append(("missing", s, None))
    out += [("extra", None, t) for t in extra]
    return out


class PairRule(DataRule):
    """Report the tokens of a class that the translation drops, adds or changes."""

    scope = "document"
    fix = FixSafety.UNSAFE
    needs_source = True

    def check(self, ctx: Context) -> Iterator[Finding]:
        from ..analysis.segments import segment_pairs

        classes = token_classes(type(self), ctx.language.code)  # type: ignore[arg-type]  # mypy does not see a class object as Hashable
        if not classes:
            return
        spec = self.spec
        fixes = self.fix is not FixSafety.NONE
        for pair in segment_pairs(ctx):
            for what, s, t in differences(pair.source, pair.target, classes):
                if what == "changed":
                    assert s is not None and t is not None
                    fields = {"token": s.text, "found": t.text, "kind": s.kind}
                    said = template(spec.get("message_changed", _CHANGED), fields, self.where)
                    yield self.finding(ctx, pair.start + t.start, pair.start + t.end, said,
                                       replacement=s.text if fixes else None,
                                       data={"kind": s.kind, "source": s.text})
                elif what == "missing":
                    assert s is not None
                    fields = {"token": s.text, "found": "", "kind": s.kind}
                    said = template(spec.get("message_missing", _MISSING), fields, self.where)
                    yield self.finding(ctx, pair.start, pair.end, said,
                                       data={"kind": s.kind, "source": s.text})
                else:
                    assert t is not None
                    fields = {"token": t.text, "found": t.text, "kind": t.kind}
                    said = template(spec.get("message_extra", _EXTRA), fields, self.where)
                    yield self.finding(ctx, pair.start + t.start, pair.start + t.end, said,
                                       data={"kind": t.kind})


RULE = PairRule
