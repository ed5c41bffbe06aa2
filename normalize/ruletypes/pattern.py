"""The ``pattern`` rule type: regexes with conditions and a message template.

Each entry of ``patterns`` is a ``pattern`` (a Python regex, case-insensitive
unless ``case_sensitive``; a group named ``span`` narrows what is reported) or
literal ``phrases``, with optional conditions on its line: ``near`` (a regex
that must also match there), ``unless`` (one that must not), ``after`` (one
that must match just before the match) and ``before`` (just after it). The
fix is ``replace`` (the whole match) or ``rewrite: [regex, replacement]``
applied to it, in the case of the text, with the rule's ``fix`` safety.

``anchors`` make a pattern cheap on long texts: whole lower-case words one of
which every match contains; the words are looked up once for all entries and
an entry's regex runs only on a window around its anchors (``reach``
characters before, up to 80, and 120 after). The first match at a place wins
over later ones that overlap it (the longest, then the first entry).

The message is the rule's ``message`` template, or the entry's, or the first
template of ``message_if`` whose flag the entry sets (``ambiguous``). Fields:
``match``, ``replacement``, ``write`` (the replacement or ``suggest``,
quoted), ``source_language`` (its name) and the entry's ``source``,
``means``, ``suggest`` and ``id``. ``source``, ``means`` and ``suggest`` may be
a mapping from source language to text (a file included by several).

With ``data: calques/{source}`` the entries come from
``<lang>/calques/<source language>.yaml`` for the document's language and its
parents; the rule then runs only with ``--source-lang`` and a file for the pair.
A layer may ``include:`` other files of its folder.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..errors import DataError
from ..findings import Finding, FixSafety, Severity
from ..patterns import (
    LazyPattern,
    required_literals,
)
from ..registry import Context
from ..rules._text import transfer_case
from . import DataRule, Located, check, layer_schema, read, template
from .triggers import hits

_WORD = LazyPattern(r"^\w+$")
#: Marks that may stand between a space and the first word of a match.
_OPENERS = frozenset("\u201c\"'(\u00ab\u2018[\u201e")
#: An anchored entry's regex runs on a window around the anchor: this many
#: characters before it (a match starts at most that far back) and after it.
LEFT, RIGHT = 80, 120
#: Texts from this many characters on skip the entries whose window lacks a required string.
SHORTCUT_MIN = 32_768
#: ... or once an entry's anchor has fired in this many shorter texts before.
SHORTCUT_FIRINGS = 2


@dataclass(frozen=True)
class Entry:
    id: str
    regex: re.Pattern[str]
    anchors: tuple[str, ...]
    reach: int
    near: re.Pattern[str] | None
    unless: re.Pattern[str] | None
    after: re.Pattern[str] | None
    before: re.Pattern[str] | None
    fields: dict[str, str]
    flags: frozenset[str]
    message: str | None
    severity: Severity | None
    replace: str | None
    rewrite: tuple[re.Pattern[str], str] | None


@dataclass(frozen=True)
class Compiled:
    entries: tuple[Entry, ...]
    by_anchor: dict[str, tuple[int, ...]]
    free: tuple[int, ...]
    source_name: str
    #: Each entry's required strings (:func:`_required`), worked out when its anchor first
    #: fires on a long text, or fires a third time in short ones: parsing ~300 regexes up
    #: front would add ~30 ms to a one-article check with --source-lang.
    required: list[tuple[tuple[str, ...], ...] | None]
    #: How often each entry's anchor has fired in short texts (see ``required``).
    fired: list[int]


def _phrase_regex(phrase: str) -> str:
    return r"\s+".join(re.escape(w) for w in phrase.split())


def _phrase_reach(phrases: list[str], anchors: tuple[str, ...]) -> int:
    """How far into its phrase an anchor can stand (the match starts that far before it)."""
    most = 0
    for phrase in phrases:
        low = phrase.lower()
        offsets = [m.start() for a in anchors for m in re.finditer(rf"(?<!\w){re.escape(a)}(?!\w)", low)]
        if offsets:
            # Spaces may be runs of spaces in the text: leave some slack.
            most = max(most, min(offsets) + 2 * low[:min(offsets)].count(" "))
    return most


def _text(value: Any, source: str | None) -> str:
    """A text field, or its value for the source language when it is a mapping."""
    if isinstance(value, dict):
        return str((value.get(source) if source else None) or " / ".join(str(v) for v in value.values()))
    return "" if value is None else str(value)


#: Entry keys given to the message template as they are (or per source language).
TEXT_FIELDS = ("source", "means", "suggest")


def _required(entry: Entry) -> tuple[tuple[str, ...], ...]:
    """What every match of ``entry`` contains besides its anchors (:func:`required_literals`,
    less the groups that name one): a window that lacks one of a group holds no match."""
    return tuple(g for g in required_literals(entry.regex) if not any(r in entry.anchors for r in g))


def _compile_at(raw: dict[str, Any], doc: Located | None, path: tuple[Any, ...], fallback: str,
                source: str | None) -> Entry:
    """:func:`_compile`, naming the entry's file and line only when it fails."""
    try:
        return _compile(raw, "", source)
    except DataError as exc:
        where = doc.at(path) if doc is not None else fallback
        raise DataError(f"{where}: entry {raw.get('id', '?')!r}{exc!s}") from None


def _compile(raw: dict[str, Any], where: str, source: str | None) -> Entry:
    try:
        flags = re.MULTILINE if raw.get("case_sensitive") else re.MULTILINE | re.IGNORECASE
        phrases = [str(p) for p in raw.get("phrases") or []]
        if phrases:
            pattern = "|".join(_phrase_regex(p) for p in phrases)
            anchors = raw.get("anchors") or [max(re.findall(r"\w+", p.lower()), key=len) for p in phrases]
        elif raw.get("pattern"):
            pattern = raw["pattern"]
            anchors = raw.get("anchors") or []
        else:
            raise DataError(f"{where}: an entry needs 'pattern' or 'phrases'")
        anchors = tuple(dict.fromkeys(str(a).lower() for a in anchors))
        bad = [a for a in anchors if not _WORD.match(a)]
        if bad:
            raise DataError(f"{where}: anchors must be whole words (got {bad})")
        reach = raw.get("reach")
        if reach is None:
            reach = _phrase_reach(phrases, anchors) if phrases else 0
        rewrite = None
        if raw.get("rewrite"):
            old, new = raw["rewrite"]
            rewrite = (re.compile(str(old), re.IGNORECASE), str(new))
        regex = re.compile(rf"(?<!\w)(?:{pattern})(?!\w)", flags)
        return Entry(
            id=str(raw["id"]), regex=regex,
            anchors=anchors, reach=int(reach),
            near=re.compile(raw["near"], re.IGNORECASE) if raw.get("near") else None,
            unless=re.compile(raw["unless"], re.IGNORECASE) if raw.get("unless") else None,
            after=re.compile(rf"(?:{raw['after']})[^\S\n]*\Z", re.IGNORECASE) if raw.get("after") else None,
            before=re.compile(rf"[^\S\n]*(?:{raw['before']})", re.IGNORECASE) if raw.get("before") else None,
            fields={k: _text(raw.get(k), source) for k in TEXT_FIELDS},
            flags=frozenset(k for k in ("ambiguous",) if raw.get(k)),
            message=raw.get("message"),
            severity=Severity.parse(raw["severity"]) if raw.get("severity") else None,
            replace=raw.get("replace"), rewrite=rewrite)
    except (re.error, ValueError) as exc:
        raise DataError(f"{where}: {exc}") from None


def _layer_files(cls: type[PatternRule], code: str, name: str, seen: tuple[str, ...] = ()
                 ) -> list[Located]:
    """The layers ``<lang>/<name>.yaml`` down ``code``'s chain, then what they include."""
    from ..languages import get_language

    assert cls.root is not None
    folder, _, stem = name.rpartition("/")
    docs: list[Located] = []
    includes: list[str] = []
    for lang in reversed(get_language(code).chain()):
        node = cls.root.joinpath(lang)
        for part in filter(None, folder.split("/")):
            node = node.joinpath(part)
        node = node.joinpath(f"{stem}.yaml")
        if not node.is_file():
            continue
        doc = read(node, f"{_where_root(cls)}/{lang}/{name}.yaml")
        if doc.data is None:
            continue
        check(doc, layer_schema("pattern"), regexes=False)
        docs.append(doc)
        includes += [i for i in doc.data.get("include") or [] if i not in includes]
    for other in includes:
        if other in seen or other == stem:
            continue
        docs += _layer_files(cls, code, f"{folder}/{other}" if folder else other, (*seen, stem))
    return docs


def _where_root(cls: type[PatternRule]) -> str:
    from . import _label

    assert cls.root is not None
    return _label(cls.root)


@functools.cache
def compiled(cls: type[PatternRule], code: str, source: str | None) -> Compiled | None:
    """The entries for documents in ``code`` (translated from ``source``), or None when none."""
    from ..languages import language_name

    spec = cls.spec
    # (entry, its file, its key path): the line is looked up only for an error message.
    raw: list[tuple[dict[str, Any], Located | None, tuple[Any, ...]]] = []
    own = spec.get("patterns") or []
    from . import _DECLARATIONS

    decl = _DECLARATIONS.get(cls.where)
    for i, entry in enumerate(own):
        raw.append((entry, decl, ("patterns", i)))
    name = spec.get("data")
    if name:
        if "{source}" in name:
            if not source or not source.isalpha():
                return None
            name = name.replace("{source}", source)
        for doc in _layer_files(cls, code, name):
            for i, entry in enumerate(doc.data.get("patterns") or []):
                raw.append((entry, doc, ("patterns", i)))
    if not raw:
        return None
    entries = tuple(_compile_at(entry, doc, path, cls.where, source) for entry, doc, path in raw)
    ids = [e.id for e in entries]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise DataError(f"{cls.where}: duplicate pattern ids {dupes}"
                        + (f" (data: {name})" if name else ""))
    by_anchor: dict[str, list[int]] = {}
    free = []
    for i, entry in enumerate(entries):
        if not entry.anchors:
            free.append(i)
        for anchor in entry.anchors:
            by_anchor.setdefault(anchor, []).append(i)
    return Compiled(entries, {k: tuple(v) for k, v in by_anchor.items()}, tuple(free),
                    language_name(source) if source else "", [None] * len(entries), [0] * len(entries))


def _tried_start(text: str, s: int, lo: int) -> bool:
    """Whether a match of a pattern entry may start at ``s`` (``lo <= s``, before its
    anchor) in a window from ``lo`` (:meth:`PatternRule._match`): a word start after a
    space at ``max(lo - 1, 0)`` or later (after the opening mark that follows such a
    space), or ``lo`` where a line starts."""
    if s == lo and (lo == 0 or text[lo - 1] == "\n"):
        return True
    first_space = max(lo - 1, 0)
    if s - 1 >= first_space and text[s - 1] == " " and text[s] not in _OPENERS:
        return True
    return s - 2 >= first_space and text[s - 2] == " " and text[s - 1] in _OPENERS


class PatternRule(DataRule):
    """Report each match of the entries' regexes where their conditions hold."""

    scope = "line"
    fix = FixSafety.UNSAFE

    def _data(self, ctx: Context) -> Compiled | None:
        source = None
        if "{source}" in (self.spec.get("data") or ""):
            source = (ctx.source_lang or "").replace("_", "-").split("-")[0].lower()
        return compiled(type(self), ctx.language.code, source)  # type: ignore[arg-type]  # mypy does not see a class object as Hashable

    def applies_to(self, ctx: Context) -> bool:
        return super().applies_to(ctx) and self._data(ctx) is not None

    def check(self, ctx: Context) -> Iterator[Finding]:
        data = self._data(ctx)
        if data is None:
            return
        text = ctx.text
        size = len(text)
        taken: set[tuple[int, int]] = set()
        found: list[Finding] = []
        near_ok: dict[tuple[int, int], bool] = {}
        # The required-strings shortcut pays on long texts, and for the entries that fire
        # again and again (a server checking article after article); for an article
        # checked once, parsing the regexes of the entries that fire would cost more than
        # it saves.
        long_text = size >= SHORTCUT_MIN
        holds = ctx.analysis.holds_required
        for pos, _end, word in hits(ctx, data.by_anchor) if data.by_anchor else ():
            line_start = text.rfind("\n", 0, pos) + 1
            line_end = text.find("\n", pos)
            if line_end == -1:
                line_end = size
            # Each entry's regex runs on a window around the anchor, not the whole line.
            lo = max(line_start, pos - LEFT)
            hi = min(line_end, pos + RIGHT)
            for i in data.by_anchor[word]:
                entry = data.entries[i]
                required = data.required[i]
                if required is None:
                    if not long_text and data.fired[i] < SHORTCUT_FIRINGS:
                        data.fired[i] += 1
                    else:
                        required = data.required[i] = _required(entry)
                # Every match lies in [lo, hi] and contains these strings: where one is
                # missing the regex cannot match.
                if required and not holds(required, lo, hi):
                    continue
                if entry.near is not None or entry.unless is not None:
                    ok = near_ok.get((i, line_start))
                    if ok is None:
                        ok = near_ok[(i, line_start)] = self._line_ok(entry, text, line_start, line_end)
                    if not ok:
                        continue
                m = self._match(text, entry, pos, max(lo, pos - entry.reach), hi)
                if m is None:
                    continue
                span = m.span("span") if "span" in entry.regex.groupindex else m.span()
                if span in taken or span[0] == span[1] or not self._around_ok(entry, text, *span):
                    continue
                taken.add(span)
                found.append(self._finding(ctx, data, entry, *span))
        for i in data.free:
            entry = data.entries[i]
            for m in entry.regex.finditer(text):
                span = m.span("span") if "span" in entry.regex.groupindex else m.span()
                if span in taken or span[0] == span[1]:
                    continue
                line_start = text.rfind("\n", 0, span[0]) + 1
                line_end = text.find("\n", span[1])
                if line_end == -1:
                    line_end = size
                if not self._line_ok(entry, text, line_start, line_end) \
                        or not self._around_ok(entry, text, *span):
                    continue
                taken.add(span)
                found.append(self._finding(ctx, data, entry, *span))
        # Overlapping matches of several entries: the longest (then the first) wins.
        found.sort(key=lambda f: (f.start, -(f.end - f.start)))
        last_end = -1
        for f in found:
            if f.start >= last_end:
                yield f
                last_end = f.end

    @staticmethod
    def _line_ok(entry: Entry, text: str, line_start: int, line_end: int) -> bool:
        return ((entry.near is None or entry.near.search(text, line_start, line_end) is not None)
                and (entry.unless is None or entry.unless.search(text, line_start, line_end) is None))

    @staticmethod
    def _around_ok(entry: Entry, text: str, start: int, end: int) -> bool:
        if entry.after is None and entry.before is None:
            return True
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        if line_end == -1:
            line_end = len(text)
        return ((entry.after is None or entry.after.search(text, line_start, start) is not None)
                and (entry.before is None or entry.before.match(text, end, line_end) is not None))

    @staticmethod
    def _match(text: str, entry: Entry, pos: int, lo: int, hi: int) -> re.Match[str] | None:
        """The entry's match that covers the anchor at ``pos``: the leftmost that starts at
        a word start from ``lo`` (``entry.reach`` characters back, see :func:`_tried_start`)
        or at the anchor itself, and ends after the anchor."""
        rx = entry.regex
        if lo >= pos:
            m = rx.match(text, pos, hi)
            return m if m is not None and m.end() > pos else None
        # The window's matches from the left, each searched for from just after the start
        # of the one before: a match found at a start is the one ``match`` would give
        # there, and starts where nothing matches are skipped at C speed.
        m = rx.search(text, lo, hi)
        while m is not None:
            s = m.start()
            if s > pos:
                return None
            if m.end() > pos and (s == pos or _tried_start(text, s, lo)):
                return m
            if s == pos:
                return None
            m = rx.search(text, s + 1, hi)
        return None

    def _finding(self, ctx: Context, data: Compiled, entry: Entry, start: int, end: int) -> Finding:
        surface = ctx.text[start:end]
        replacement = None
        if entry.replace:
            replacement = transfer_case(surface, entry.replace)
        elif entry.rewrite is not None:
            replacement = transfer_case(surface, entry.rewrite[0].sub(entry.rewrite[1], surface, count=1))
        if self.fix is FixSafety.NONE:
            replacement = None
        fields = {"match": surface, "id": entry.id, "replacement": replacement or "",
                  "source_language": data.source_name, **entry.fields,
                  "write": f"'{replacement}'" if replacement else f"'{entry.fields['suggest']}'"}
        message = entry.message
        if message is None:
            flagged = self.spec.get("message_if") or {}
            message = next((flagged[f] for f in flagged if f in entry.flags), None)
        if message is None:
            message = self.spec.get("message", "'{match}': write {write}")
        data_out = {"entry": entry.id}
        if entry.fields["source"] or entry.fields["means"]:
            data_out.update(source=entry.fields["source"], means=entry.fields["means"])
        return self.finding(ctx, start, end, template(message, fields, self.where),
                            replacement=replacement, severity=entry.severity, data=data_out)


RULE = PatternRule
