"""Consistency of translations across a file or a corpus: the corpus-level pass.

Two rules (:mod:`normalize.rules.pair.inconsistent_translation`,
:mod:`normalize.rules.pair.inconsistent_source`):

- ``pair.inconsistent_translation``: a source segment seen before is translated
  otherwise here (reported at each later unit whose translation differs from the
  first one, naming that first unit);
- ``pair.inconsistent_source``: a translation seen before is given here to a
  different source segment (reported at the later unit, naming the first).

Segments are compared on a *key*: NFKC, case folded, every run of characters
that are not letters or digits made one space, so "Open file." and "open
file" are the same segment and a difference of punctuation or case alone is no
inconsistency. A unit counts only when its source has a word to translate (a
word of four letters or more that is not an acronym, or two CJK characters,
outside URLs and placeholders: :func:`has_words`) and its target
is not empty; for ``inconsistent_source`` the shared translation must have a
word to translate too (:func:`has_words`). PO entries with a ``msgctxt`` are keyed by it as well
(the same ``msgid`` in two contexts may well be translated twice). Keys are
kept per language pair.

**Severity.** ``info`` (variants: human translators vary too); for
``inconsistent_source``, ``warning`` when the two sources share almost
nothing: each unit also carries a 128-bit sketch of each key (one-permutation
MinHash of its words, and of character pairs in Han and kana,
:func:`sketch`), and two source sketches whose :func:`likeness` is below
:data:`DIFFERENT_BELOW` (both keys of :data:`SKETCH_MIN_CHARS` characters or
more) mean a translation attached to the wrong source. Two translations of
one source that share little are what independent translators write (11% of
the WMT22 reference A/B pairs), so ``inconsistent_translation`` only says
"quite differently" and stays ``info``.

**Memory.** Only a 64-bit hash of each key is kept, never the texts: per
distinct source segment its first translation's hash and its first place
(file, line, id), and the same per distinct translation. The first
:data:`SPILL_AT` of each direction are held in dicts (about 280 bytes per
distinct pair for both directions); past that, the index moves into a
temporary on-disk SQLite database with a page cache of :data:`CACHE_KIB`, so
memory stays the same whatever the corpus (the database takes ~60 bytes of
disk per distinct segment and direction, and SQLite deletes it when the index
is closed or the process ends). An index holds at most :data:`DEFAULT_LIMIT`
distinct segments per direction (``--consistency-limit``); past it, new
segments are not added, but every unit is still compared with those already
held, and the run ends with a note saying how many were left out. Two
different keys sharing a hash (about 1 in 10^7 for a corpus of a million
distinct segments) would hide or invent one finding.

**Determinism.** The batch engine hands results over in input order whatever
``--jobs`` (and Dask partitions are ordered), and the index sees them in that
order, so the same corpus gives the same findings, attached to the later unit.

Within one document (``normalize.check(text, source=...)``, ``mtnorm check
--source FILE``), the rules compare the aligned lines of that document
themselves; the batch engine adds the corpus pass over the units and records
of translation files (XLIFF, TMX, PO) and of JSONL/TSV/Parquet with
``--source-field``.
"""
from __future__ import annotations

import hashlib
import re
import sqlite3
import unicodedata
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .findings import Category, Finding, Severity

if TYPE_CHECKING:
    from .registry import Context, Rule

TRANSLATION_RULE = "pair.inconsistent_translation"
SOURCE_RULE = "pair.inconsistent_source"
RULES = (TRANSLATION_RULE, SOURCE_RULE)
#: Distinct segments an index keeps per direction (see the module docstring).
DEFAULT_LIMIT = 1_000_000
#: Distinct segments of one direction held in a dict before the index moves to disk.
SPILL_AT = 10_000
#: The on-disk index's page cache (KiB).
CACHE_KIB = 2048
#: Characters of a record id shown in a message naming another unit.
MAX_ID_CHARS = 60

_NOT_WORD = re.compile(r"[\W_]+")
_LETTERS = re.compile(r"[^\W\d_]+")
_TOKEN = re.compile(r"https?://\S+|www\.\S+|\S+@\S+\.\w+|[{%$][\w.{}%$:-]*|<[^>]*>")


def has_words(text: str) -> bool:
    """Whether ``text`` has something to translate: a word of four letters or more that
    is not an acronym, or two CJK characters (URLs, e-mail addresses, placeholders and
    tags aside). Figures, codes and "OK" alone do not count."""
    from .analysis.segments import is_cjk

    for m in _LETTERS.finditer(_TOKEN.sub(" ", text)):
        word = m.group()
        if is_cjk(word[0]):
            if len(word) >= 2:
                return True
        elif len(word) >= 4 and not word.isupper():
            return True
    return False


def segment_key(text: str) -> str:
    """The form two segments are compared in: NFKC, case folded, punctuation and
    spacing made single spaces."""
    return _NOT_WORD.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def pair_name(source_lang: str | None, target_family: str) -> str:
    """The language pair segments are keyed by ("en>de"; "" for an unknown source)."""
    family = (source_lang or "").replace("_", "-").split("-")[0].lower()
    return f"{family}>{target_family}"


#: Buckets of a segment's sketch (one-permutation MinHash over its words).
SKETCH_BUCKETS = 8
#: Below this estimated likeness (shared trigrams) two segments are "different" ones.
DIFFERENT_BELOW = 0.25
#: Keys shorter than this are not sketched: "Hello" and "Hi" are variants, not errors.
SKETCH_MIN_CHARS = 20


def sketch(key: str) -> int:
    """A 128-bit sketch of a key: per bucket, the least 16-bit CRC-32 of the key's
    features falling in it (0xFFFF when none): its words, and the character pairs of
    runs in scripts written without spaces (Han, kana). Two sketches estimate how much
    the keys share (:func:`likeness`) without keeping the texts. 0 for a key shorter
    than :data:`SKETCH_MIN_CHARS` (never "different")."""
    if len(key) < SKETCH_MIN_CHARS:
        return 0
    mins = [0xFFFF] * SKETCH_BUCKETS
    crc = zlib.crc32
    features: list[str] = []
    for word in key.split():
        if len(word) > 2 and word[0] >= "\u3000":   # CJK and the like: character pairs
            features.extend(word[i:i + 2] for i in range(len(word) - 1))
        else:
            features.append(word)
    for h in [crc(f.encode("utf-8", "surrogatepass")) for f in features]:
        bucket = h % SKETCH_BUCKETS
        low = h >> 16
        if low < mins[bucket]:  # noqa: PLR1730 - min() costs a third of the sketch's time
            mins[bucket] = low
    out = 0
    for value in mins:
        out = (out << 16) | value
    return out


def likeness(a: int, b: int) -> float:
    """The share of equal buckets of two sketches (about the Jaccard likeness of the keys'
    feature sets: near-identical sentences ~0.5 or more, unrelated ones ~0); 1.0
    when either key was too short to sketch."""
    if not a or not b:
        return 1.0
    same = used = 0
    for shift in range(0, 16 * SKETCH_BUCKETS, 16):
        x, y = (a >> shift) & 0xFFFF, (b >> shift) & 0xFFFF
        if x == 0xFFFF and y == 0xFFFF:
            continue
        used += 1
        same += x == y
    return same / used if used else 1.0


def _digest(*parts: str) -> int:
    h = hashlib.blake2b("\x00".join(parts).encode("utf-8", "surrogatepass"), digest_size=8)
    return int.from_bytes(h.digest(), "big")


#: Flags of a segment: its source (bit 1) / its target (bit 2) has a word to translate.
SOURCE_WORDS = 1
TARGET_WORDS = 2


@dataclass(frozen=True)
class Segment:
    """One unit as the corpus pass sees it (made in the worker, judged in the main process).

    ``source``/``target`` are hashes of the keys; ``text`` is the target (the
    span of a finding), ``line``/``column`` where it is written.
    """

    source: int
    target: int
    flags: int
    line: int
    column: int
    record: str | None
    field: str | None
    text: str
    lang: str = ""
    #: Sketches of the source and target keys (:func:`sketch`).
    source_sketch: int = 0
    target_sketch: int = 0

    def with_context(self, context: str) -> Segment:
        """The same unit keyed by a PO ``msgctxt`` too."""
        from dataclasses import replace

        return replace(self, source=_digest(str(self.source), context))


def segment(source: str, target: str, *, pair: str, line: int, column: int = 1,
            record: str | None = None, field: str | None = None) -> Segment | None:
    """The segment of a unit, or None when it takes no part (an empty side)."""
    skey, tkey = segment_key(source), segment_key(target)
    if not skey or not tkey:
        return None
    flags = (SOURCE_WORDS if has_words(source) else 0) | (TARGET_WORDS if has_words(target) else 0)
    if not flags & SOURCE_WORDS:
        return None
    return Segment(_digest(pair, "s", skey), _digest(pair, "t", tkey), flags, line, column,
                   record, field, target, pair, sketch(skey), sketch(tkey))


@dataclass(frozen=True)
class Place:
    """Where a segment was first seen."""

    file: str
    line: int
    record: str | None

    def describe(self, here: str) -> str:
        where = f"line {self.line}" if self.file == here else f"{self.file}:{self.line}"
        if self.record is not None:
            rid = self.record if len(self.record) <= MAX_ID_CHARS else self.record[:MAX_ID_CHARS] + "…"
            where += f" (id {rid})"
        return where


class _Firsts:
    """The first sighting of each segment of one direction: key hash -> ``(other side's
    hash, its sketch, place)``. A dict while small; past ``spill_at`` entries a table of
    the index's temporary database (:meth:`ConsistencyIndex._database`)."""

    def __init__(self, table: str, spill_at: int, index: ConsistencyIndex) -> None:
        self.table = table
        self.spill_at = spill_at
        self._index = index
        self._held: dict[int, tuple[int, int, Place]] | None = {}
        self._count = 0
        self._get_sql = f"SELECT v, sketch, file, line, record FROM {table} WHERE k = ?"
        self._add_sql = f"INSERT INTO {table} VALUES (?, ?, ?, ?, ?, ?)"

    def __len__(self) -> int:
        return self._count

    def get(self, key: int) -> tuple[int, int, Place] | None:
        if self._held is not None:
            return self._held.get(key)
        try:
            row = self._index._database().execute(self._get_sql, (_signed(key),)).fetchone()
        except sqlite3.Error as exc:   # the disk went away: taken for a new segment
            self._index._failed(exc)
            return None
        if row is None:
            return None
        other, sketch_bytes, file_no, line, record = row
        return (_unsigned(other), int.from_bytes(sketch_bytes, "little"),
                Place(self._index._file_names[file_no], line, record))

    def add(self, key: int, value: tuple[int, int, Place]) -> bool:
        """Remember ``key``; False when it could not be (the database failed)."""
        if self._held is not None:
            self._count += 1
            self._held[key] = value
            if len(self._held) >= self.spill_at and self._index.disk_problem is None:
                try:
                    self._index._database().executemany(
                        self._add_sql, (self._row(k, v) for k, v in self._held.items()))
                except sqlite3.Error as exc:
                    # No temporary database (an unwritable or full disk): the dict stays,
                    # as before the index could move (memory grows; the note says why).
                    self._index._failed(exc)
                else:
                    self._held = None
            return True
        try:
            self._index._database().execute(self._add_sql, self._row(key, value))
        except sqlite3.Error as exc:
            self._index._failed(exc)
            return False
        self._count += 1
        return True

    def _row(self, key: int, value: tuple[int, int, Place]) -> tuple:
        other, sketch_value, place = value
        return (_signed(key), _signed(other), sketch_value.to_bytes(16, "little"),
                self._index._file_no(place.file), place.line, place.record)


def _signed(value: int) -> int:
    """A 64-bit hash as SQLite's signed integer."""
    return value - (1 << 64) if value >= 1 << 63 else value


def _unsigned(value: int) -> int:
    return value + (1 << 64) if value < 0 else value


class ConsistencyIndex:
    """First translation of each source and first source of each translation, by hash.

    :meth:`observe` takes segments in input order and returns the findings of
    those that disagree with what came before. ``limit`` caps the distinct
    segments held per direction.
    """

    def __init__(self, limit: int = DEFAULT_LIMIT, *, spill_at: int | None = None) -> None:
        self.limit = limit
        spill_at = SPILL_AT if spill_at is None else spill_at
        #: source hash -> (first target hash, its sketch, first place); and the mirror.
        self._by_source = _Firsts("by_source", spill_at, self)
        self._by_target = _Firsts("by_target", spill_at, self)
        self._files: dict[str, int] = {}
        self._file_names: list[str] = []
        self._db: sqlite3.Connection | None = None
        #: Segments not added because the index was full (per direction, summed).
        self.dropped = 0
        self.seen = 0
        #: Why the temporary database failed (None: it did not, or was not needed).
        self.disk_problem: str | None = None

    def _file(self, path: str) -> str:
        return self._file_names[self._file_no(path)]   # one string per file, shared by its places

    def _file_no(self, path: str) -> int:
        number = self._files.get(path)
        if number is None:
            number = self._files[path] = len(self._file_names)
            self._file_names.append(path)
        return number

    def _database(self) -> sqlite3.Connection:
        """The temporary database the index moves to once large (made at first use)."""
        if self._db is None:
            # "": a private temporary database on disk, deleted when closed; a fresh
            # index written once and read in order needs no journal nor syncing.
            db = sqlite3.connect("", isolation_level=None)
            db.execute("PRAGMA journal_mode = OFF")
            db.execute("PRAGMA synchronous = OFF")
            db.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
            for table in ("by_source", "by_target"):
                db.execute(f"CREATE TABLE {table} (k INTEGER PRIMARY KEY, v INTEGER, "
                           "sketch BLOB, file INTEGER, line INTEGER, record TEXT)")
            db.execute("BEGIN")   # one transaction: nothing needs to outlive the process
            self._db = db
        return self._db

    def _failed(self, exc: sqlite3.Error) -> None:
        if self.disk_problem is None:
            self.disk_problem = str(exc) or type(exc).__name__

    @property
    def on_disk(self) -> bool:
        """Whether the index has moved to its temporary database."""
        return self._db is not None

    def close(self) -> None:
        """Remove the temporary database, if any: call it when done (SQLite also removes it
        when the process ends)."""
        if self._db is not None:
            self._db.close()
            self._db = None

    def observe(self, path: str, segments: Iterable[Segment], *,
                translation: bool = True, source: bool = True) -> list[Finding]:
        """Findings for ``segments`` of the file ``path`` (in input order)."""
        out: list[Finding] = []
        path = self._file(path)
        for seg in segments:
            self.seen += 1
            place: Place | None = None
            first = self._by_source.get(seg.source)
            if first is None:
                place = Place(path, seg.line, _short(seg.record))
                if len(self._by_source) >= self.limit or \
                        not self._by_source.add(seg.source, (seg.target, seg.target_sketch, place)):
                    self.dropped += 1
            elif first[0] != seg.target and translation:
                alike = likeness(first[1], seg.target_sketch)
                what = "differently" if alike >= DIFFERENT_BELOW else "quite differently"
                out.append(_finding(TRANSLATION_RULE, seg, f"this source segment is translated "
                                    f"{what} at {first[2].describe(path)}", first[2], alike))
            if not seg.flags & TARGET_WORDS:
                continue
            other = self._by_target.get(seg.target)
            if other is None:
                place = place or Place(path, seg.line, _short(seg.record))
                if len(self._by_target) >= self.limit or \
                        not self._by_target.add(seg.target, (seg.source, seg.source_sketch, place)):
                    self.dropped += 1
            elif other[0] != seg.source and source:
                alike = likeness(other[1], seg.source_sketch)
                what = "a different" if alike >= DIFFERENT_BELOW else "an unrelated"
                out.append(_finding(SOURCE_RULE, seg, "this translation is also given to "
                                    f"{what} source segment at {other[2].describe(path)}",
                                    other[2], alike))
        return out

    def note(self) -> str | None:
        """What to tell the user when the cap was reached or the temporary database failed
        (None otherwise)."""
        notes = []
        if self.disk_problem is not None:
            notes.append(f"consistency: the index's temporary database failed ({self.disk_problem}); "
                         "segments were kept in memory or, once on disk, not remembered")
        if self.dropped:
            notes.append(f"consistency: {self.limit:,} distinct segments per direction held; "
                         f"{self.dropped:,} later ones were compared with those but not remembered"
                         if self.disk_problem is None else
                         f"consistency: {self.dropped:,} segments were compared but not remembered")
        return "; ".join(notes) or None


def _short(record: str | None) -> str | None:
    if record is None or len(record) <= MAX_ID_CHARS:
        return record
    return record[:MAX_ID_CHARS]


def _declared(rule: str) -> tuple[Category, Severity, str]:
    from .registry import get_rule

    cls = get_rule(rule)
    return cls.category, cls.severity, cls.mqm


def _finding(rule: str, seg: Segment, message: str, first: Place, alike: float) -> Finding:
    data: dict = {"other": {**({"path": first.file} if first.file else {}), "line": first.line,
                            **({"record": first.record} if first.record is not None else {})},
                  "likeness": round(alike, 2)}
    if seg.field is not None:
        data.update(field=seg.field, field_line=1, field_column=1)
        if seg.record is not None:
            data["record"] = seg.record
    category, severity, mqm = _declared(rule)
    if rule == SOURCE_RULE and alike < DIFFERENT_BELOW:
        # One translation cannot render two unrelated sentences: a misplaced segment.
        # (Two unrelated translations of one source are what independent translators
        # write: inconsistent_translation stays info.)
        severity = Severity.WARNING
    return Finding(rule=rule, category=category, severity=severity, start=0,
                   end=len(seg.text), text=seg.text, message=message, mqm=mqm,
                   line=seg.line, column=seg.column, data=data)


def document_findings(ctx) -> dict[int, list[Finding]]:
    """The pass over the aligned lines of one document (``ctx``: a rule's context):
    findings by the offset of the target line they are about (computed once per
    document and shared by both rules)."""
    return ctx.analysis.shared(_document_findings)


def rule_findings(rule: Rule, ctx: Context) -> Iterator[Finding]:
    """``rule``'s findings of the in-document pass (:func:`document_findings`), made by
    the rule itself so that its options and severity apply."""
    for start, found in document_findings(ctx).items():
        for f in found:
            if f.rule == rule.id:
                yield rule.finding(ctx, start, start + len(f.text), f.message, severity=f.severity,
                                   data={"other": f.data["other"], "likeness": f.data["likeness"]})


def _document_findings(ctx) -> dict[int, list[Finding]]:
    from .analysis.segments import segment_pairs

    pairs = segment_pairs(ctx)
    if len(pairs) < 2:   # one record, one segment: the corpus pass compares those
        return {}
    pair = pair_name(ctx.source_lang, ctx.language.family)
    segments, starts = [], {}
    for aligned in pairs:
        line = ctx.document.position(aligned.start)[0]
        seg = segment(aligned.source, aligned.target, pair=pair, line=line)
        if seg is not None:
            segments.append(seg)
            starts[line] = aligned.start
    out: dict[int, list[Finding]] = {}
    for finding in ConsistencyIndex().observe("", segments):
        out.setdefault(starts[finding.line], []).append(finding)
    return out
