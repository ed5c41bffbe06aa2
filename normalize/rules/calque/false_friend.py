"""calque.false_friend: source-language expressions rendered word for word, and false friends.

The entries are data, keyed by the language pair:
``corpora/rules/<target>/calques/<source>.yaml`` (``en/calques/fr.yaml`` holds
French "reprise des combats" -> "the return from the fighting"); the format is
described in ``corpora/rules/en/calques/README.md``. The rule runs only with
``--source-lang`` and only for pairs that have a file.

Every entry names whole-word anchors; the document's words are looked up once
(one vectorised pass for all anchors, see ``garble/_lookup.py``) and an entry's
regex runs only on the lines holding one of its anchors.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from ...errors import DataError
from ...findings import Category, Finding, FixSafety, Severity
from ...languages import get_language, language_name
from ...registry import Context, Rule, register
from ...resources import load_yaml
from .._lookup import word_hits
from .._text import transfer_case

_WORD = re.compile(r"^\w+$")
#: Marks that may stand between a space and the first word of a match.
_OPENERS = frozenset("\u201c\"'(\u00ab\u2018[\u201e")
#: An entry's regex runs on a window around each anchor: this many characters
#: before it (a match starts at most that far back) and after it.
LEFT, RIGHT = 80, 120


@dataclass(frozen=True)
class Entry:
    id: str
    regex: re.Pattern[str]
    anchors: tuple[str, ...]
    before: int
    near: re.Pattern[str] | None
    unless: re.Pattern[str] | None
    source: str
    means: str
    suggest: str
    ambiguous: bool
    severity: Severity
    replace: str | None
    rewrite: tuple[re.Pattern[str], str] | None
    example: str


@dataclass(frozen=True)
class Calques:
    entries: tuple[Entry, ...]
    by_anchor: dict[str, tuple[int, ...]]
    source_name: str


def _phrase_regex(phrase: str) -> str:
    return r"\s+".join(re.escape(w) for w in phrase.split())


def _phrase_before(phrases: list[str], anchors: tuple[str, ...]) -> int:
    """How far into its phrase an anchor can stand (the match starts that far before it)."""
    most = 0
    for phrase in phrases:
        low = phrase.lower()
        offsets = [m.start() for a in anchors for m in re.finditer(rf"(?<!\w){re.escape(a)}(?!\w)", low)]
        if offsets:
            # Spaces may be runs of spaces in the text: leave some slack.
            most = max(most, min(offsets) + 2 * low[:min(offsets)].count(" "))
    return most


def _load(target: str, source: str, seen: tuple[str, ...] = ()) -> list[dict]:
    """Entries of ``calques/<source>.yaml`` for the target's language chain, with includes."""
    entries: list[dict] = []
    includes: list[str] = []
    for code in reversed(get_language(target).chain()):
        layer = load_yaml("rules", code, "calques", f"{source}.yaml") or {}
        if not isinstance(layer, dict):
            raise DataError(f"corpora/rules/{code}/calques/{source}.yaml: expected a mapping")
        includes += [i for i in layer.get("include", []) or [] if i not in includes]
        for entry in layer.get("entries", []) or []:
            entries.append({**entry, "_file": f"corpora/rules/{code}/calques/{source}.yaml"})
    for name in includes:
        if name in seen or name == source:
            continue
        entries += _load(target, name, seen + (source,))
    return entries


def _text(value, source: str) -> str:
    """A text field, or its value for the source language when it is a mapping
    (``common.yaml`` gives one per language: ``{fr: "depuis trois ans", de: ...}``)."""
    if isinstance(value, dict):
        return str(value.get(source) or " / ".join(str(v) for v in value.values()))
    return "" if value is None else str(value)


def _compile(raw: dict, source: str) -> Entry:
    where = f"{raw.get('_file')}: entry {raw.get('id', '?')!r}"
    try:
        flags = re.MULTILINE if raw.get("case_sensitive") else re.MULTILINE | re.IGNORECASE
        if "phrases" in raw:
            phrases = [str(p) for p in raw["phrases"]]
            pattern = "|".join(_phrase_regex(p) for p in phrases)
            anchors = raw.get("anchors") or [max(re.findall(r"\w+", p.lower()), key=len) for p in phrases]
        else:
            pattern = raw["pattern"]
            anchors = raw["anchors"]
        # YAML reads a bare on/off/yes/no as a boolean: quote such anchors ("on").
        bad = [a for a in anchors if isinstance(a, bool)]
        anchors = tuple(dict.fromkeys(str(a).lower() for a in anchors))
        bad += [a for a in anchors if not _WORD.match(a)]
        if bad or not anchors:
            raise DataError(f"{where}: anchors must be whole words (got {bad or 'none'})")
        before = raw.get("before")
        if before is None:
            before = _phrase_before(phrases, anchors) if "phrases" in raw else 0
        regex = re.compile(rf"(?<!\w)(?:{pattern})(?!\w)", flags)
        near = re.compile(raw["near"], re.IGNORECASE) if raw.get("near") else None
        unless = re.compile(raw["unless"], re.IGNORECASE) if raw.get("unless") else None
        severity = Severity.parse(raw.get("severity", "warning"))
        rewrite = None
        if raw.get("rewrite"):
            old, new = raw["rewrite"]
            rewrite = (re.compile(str(old), re.IGNORECASE), str(new))
        return Entry(
            id=str(raw["id"]), regex=regex, anchors=anchors, before=int(before), near=near,
            unless=unless,
            source=_text(raw.get("source"), source), means=_text(raw.get("means"), source),
            suggest=_text(raw.get("suggest"), source), ambiguous=bool(raw.get("ambiguous", False)),
            severity=severity, replace=raw.get("replace"), rewrite=rewrite, example=str(raw.get("example", "")))
    except KeyError as exc:
        raise DataError(f"{where}: missing key {exc}") from None
    except (re.error, ValueError) as exc:
        raise DataError(f"{where}: {exc}") from None


@functools.cache
def calques(target: str, source: str) -> Calques | None:
    """The compiled entries for translations from ``source`` into ``target``, or None."""
    source = source.replace("_", "-").split("-")[0].lower()
    if not source.isalpha():
        return None
    raw = _load(target, source)
    if not raw:
        return None
    entries = tuple(_compile(r, source) for r in raw)
    ids = [e.id for e in entries]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise DataError(f"corpora/rules/*/calques/{source}.yaml: duplicate ids {dupes}")
    by_anchor: dict[str, list[int]] = {}
    for i, entry in enumerate(entries):
        for anchor in entry.anchors:
            by_anchor.setdefault(anchor, []).append(i)
    return Calques(entries, {k: tuple(v) for k, v in by_anchor.items()}, language_name(source))


@register
class FalseFriend(Rule):
    id = "calque.false_friend"
    category = Category.CALQUE
    scope = "line"
    severity = Severity.WARNING
    fix = FixSafety.UNSAFE
    mqm = "Accuracy/Mistranslation"
    needs_source_lang = True
    description = ("Calques and false friends of the source language, 'the return from the "
                   "fighting' for 'reprise des combats' (data: calques/<source>.yaml).")

    def applies_to(self, ctx: Context) -> bool:
        return super().applies_to(ctx) and \
            calques(ctx.language.code, ctx.source_lang or "") is not None

    def check(self, ctx: Context) -> Iterator[Finding]:
        data = calques(ctx.language.code, ctx.source_lang or "")
        if data is None:
            return
        text = ctx.text
        size = len(text)
        taken: set[tuple[int, int]] = set()
        found: list[Finding] = []
        near_ok: dict[tuple[int, int], bool] = {}
        for pos, _end, word in word_hits(ctx, data.by_anchor):
            line_start = text.rfind("\n", 0, pos) + 1
            line_end = text.find("\n", pos)
            if line_end == -1:
                line_end = size
            # Each entry's regex runs on a window around the anchor, not the whole line.
            lo = max(line_start, pos - LEFT)
            hi = min(line_end, pos + RIGHT)
            for i in data.by_anchor[word]:
                entry = data.entries[i]
                if entry.near is not None or entry.unless is not None:
                    ok = near_ok.get((i, line_start))
                    if ok is None:
                        ok = near_ok[(i, line_start)] = (
                            (entry.near is None or entry.near.search(text, line_start, line_end) is not None)
                            and (entry.unless is None or entry.unless.search(text, line_start, line_end) is None))
                    if not ok:
                        continue
                m = self._match(text, entry, pos, max(lo, pos - entry.before), hi)
                if m is None:
                    continue
                span = m.span("span") if "span" in entry.regex.groupindex else m.span()
                if span in taken or span[0] == span[1]:
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
    def _match(text: str, entry: Entry, pos: int, lo: int, hi: int) -> re.Match[str] | None:
        """The entry's match that covers the anchor at ``pos``: tried at each word start
        from ``lo`` (``entry.before`` characters back) to the anchor, leftmost first."""
        rx = entry.regex
        if lo < pos:
            starts = []
            j = pos
            while True:  # word starts after spaces, found with rfind (no regex scan)
                k = text.rfind(" ", max(lo - 1, 0), j)
                if k == -1:
                    break
                s = k + 2 if text[k + 1:k + 2] in _OPENERS else k + 1
                if s < pos:
                    starts.append(s)
                j = k
            if lo > 0 and text[lo - 1] == "\n" or lo == 0:
                starts.append(lo)
            for s in reversed(starts):
                m = rx.match(text, s, hi)
                if m is not None and m.end() > pos:
                    return m
        m = rx.match(text, pos, hi)
        return m if m is not None and m.end() > pos else None

    def _finding(self, ctx: Context, data: Calques, entry: Entry, start: int, end: int) -> Finding:
        surface = ctx.text[start:end]
        replacement = None
        if entry.replace:
            replacement = transfer_case(surface, entry.replace)
        elif entry.rewrite is not None:
            replacement = transfer_case(surface, entry.rewrite[0].sub(entry.rewrite[1], surface, count=1))
        suggest = f"'{replacement}'" if replacement else f"'{entry.suggest}'"
        if entry.ambiguous:
            message = (f"'{surface}' may render {data.source_name} '{entry.source}' = "
                       f"'{entry.means}'; if so, write {suggest}")
        else:
            message = (f"'{surface}' is a calque of {data.source_name} '{entry.source}' "
                       f"(= '{entry.means}'); write {suggest}")
        return self.finding(ctx, start, end, message, replacement=replacement,
                            severity=entry.severity,
                            data={"entry": entry.id, "source": entry.source, "means": entry.means})
