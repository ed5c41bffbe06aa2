"""What happens to one record: its text fields checked or fixed.

These functions run in worker processes (and in Dask tasks); they never
raise for a bad record. A record that cannot be read or processed is passed
through unchanged and recorded as a failure with its line, so the output
always has every input record and the summary says which ones failed.
"""
from __future__ import annotations

import codecs
import dataclasses
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..checker import get_linter
from ..document import Document, decode
from ..errors import InputError
from ..findings import Finding
from ..linter import Linter, Options

if TYPE_CHECKING:
    from ..pieces import Piece

#: A JSONL line or TSV row longer than this many bytes is refused (and passed
#: through): it is a binary or a mistake, and would defeat bounded memory.
MAX_RECORD_BYTES = 16 * 1024 * 1024

#: Maps a character offset in a record field's text to the 1-based column (in
#: code points) where that character is written in the file's line.
Locate = Callable[[int], int]


@dataclass(frozen=True)
class Task:
    """What to do to every record of a run: picklable, sent with each chunk."""

    mode: str  # "check" or "fix"
    #: JSONL fields / TSV columns / Parquet columns holding text to process.
    fields: tuple[str, ...] = ("text",)
    #: Field or column holding each record's id (reported with its findings).
    id_field: str | None = "id"
    #: Field or column holding each record's source text (enables source-aware rules).
    source_field: str | None = None
    unsafe: bool = False
    #: Collect a replayable log line per applied edit (``--show-fixes``).
    show_fixes: bool = False
    #: Produce a diff instead of fixed output (``--diff``).
    diff: bool = False
    #: The source text of a single text input (``--source FILE``).
    source_text: str | None = None
    #: Also give each finding's line-independent baseline key (``--baseline``).
    baseline_keys: bool = False
    #: ``--lang auto``: each record's language is detected (short ones keep the file's).
    auto_lang: bool = False
    #: Translation files: also check and fix units marked final, approved or locked.
    include_final: bool = False
    #: Translation files: each unit's source language as the file declares it (a TMX
    #: ``tuv``'s ``xml:lang``); off when ``--source-lang`` is given.
    unit_source_lang: bool = True
    #: The corpus pass (``pair.inconsistent_*``, :mod:`normalize.consistency`): each
    #: record with a source gives its segment hashes (``Outcome.segments``).
    consistency: bool = False


@dataclass(frozen=True)
class Failure:
    """A record (or file) that could not be processed: it went through unchanged."""

    path: str
    line: int | None
    record_id: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        ident = f" (id {self.record_id})" if self.record_id is not None else ""
        return f"{where}{ident}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "line": self.line, "id": self.record_id, "message": self.message}


@dataclass
class Outcome:
    """What a chunk of records produced, apart from the records themselves."""

    records: int = 0
    changed: int = 0
    failures: list[Failure] = field(default_factory=list)
    #: check: every finding; fix: the findings that remain. Line/column are
    #: positions in the input file (for records: the record's line, the column
    #: within the field), with ``data["record"]`` / ``data["field"]`` for records.
    findings: list[Finding] = field(default_factory=list)
    fixed: int = 0
    #: (rule, before, after) -> how often that edit was applied.
    replacements: Counter = field(default_factory=Counter)
    fix_log: list[str] = field(default_factory=list)
    #: Lines of records whose fixes did not settle (rules disagree).
    unsettled: list[int] = field(default_factory=list)
    #: With ``Task.baseline_keys``: the baseline key of each finding, in step with ``findings``.
    keys: list = field(default_factory=list)
    #: For ``--diff``: the diff text of this chunk.
    diff: str = ""
    #: The file as a whole could not be processed (a text file that does not
    #: decode): its output must not be written at all.
    abandon: bool = False
    #: Text fields left alone because they were null (JSON ``null``, a Parquet
    #: null): not a failure, but counted and reported, never silent.
    skipped: int = 0
    #: Where the first of them was (``path:line (id ..): field 'x' is null``).
    first_skipped: str | None = None
    #: With ``Task.consistency``: each record's :class:`~normalize.consistency.Segment`
    #: (hashes and place), for the run's corpus pass in the main process.
    segments: list = field(default_factory=list)

    def merge(self, other: Outcome) -> None:
        """Add ``other`` (the next chunk's outcome) to this one."""
        self.records += other.records
        self.changed += other.changed
        self.failures.extend(other.failures)
        self.findings.extend(other.findings)
        self.keys.extend(other.keys)
        self.fixed += other.fixed
        self.replacements.update(other.replacements)
        self.fix_log.extend(other.fix_log)
        self.unsettled.extend(other.unsettled)
        self.diff += other.diff
        self.abandon = self.abandon or other.abandon
        self.skipped += other.skipped
        self.first_skipped = self.first_skipped or other.first_skipped
        self.segments.extend(other.segments)


def linter_for(options: Options) -> Linter:
    """The worker's linter for ``options`` (built once per process, shared with every
    other entry point of the process: :func:`normalize.checker.get_linter`)."""
    return get_linter(options)


# -- one text -------------------------------------------------------------------
def process_text(linter: Linter, task: Task, text: str, outcome: Outcome, *, path: str,
                 line: int, record_id: str | None = None, field_name: str | None = None,
                 source: str | None = None, encoding: str = "utf-8", bom: bytes = b"",
                 context: tuple[str, str, Piece] | None = None) -> str:
    """Check or fix ``text``; add findings/edits to ``outcome``; return the (new) text.

    ``line`` is the input line the text starts on. For a record field
    (``field_name`` given) every finding is placed on that line, and ``data``
    says where it is inside the field (``field_line``, ``field_column``; the
    caller may then set ``column`` to where it is written in the file's line);
    for a text file the lines count on from ``line``.
    """
    if task.auto_lang and field_name is not None:
        from ..languages.detect import options_for_text

        linter = linter_for(options_for_text(linter.options, text))
    options = linter.options
    head = tail = ""
    piece = None
    if context is not None:
        # A piece of a large text, checked with the lines around it: the findings are
        # those of its own lines (Linter.raw drops the rest), placed in the whole file.
        head, tail, piece = context
    doc = Document(head + text + tail, path=path, lang=options.lang, style=options.style,
                   source_lang=options.source_lang, source=source, encoding=encoding, bom=bom,
                   piece=piece)
    if task.mode == "check":
        found = linter.check(doc)
        new_text = text
    else:
        # Imported by fix only: a check does not load the fixer.
        from ..fixer import fix_document

        result = fix_document(linter, doc, unsafe=task.unsafe)
        found = result.remaining
        new_text = _own_text(result.text, head, tail, text)
        outcome.fixed += len(result.applied)
        for edit in result.applied:
            outcome.replacements[(edit.rule, edit.before, edit.after)] += 1
        if task.show_fixes:
            for edit in result.applied:
                where = _place(line, edit.line, edit.column, field_name)
                outcome.fix_log.append(f"{path}:{where}: pass {edit.pass_no} {edit.rule} "
                                       f"{edit.before!r} -> {edit.after!r}")
        if not result.converged:
            outcome.unsettled.append(line)
    own = found   # offsets into the text's own lines (a piece's context lines left out)
    if piece is not None:
        from .formats import shifted  # (formats imports this module)

        if head and task.baseline_keys:
            own = [shifted(f, -len(head), 0) for f in found]
        # Placed in the whole file in one copy each: Piece.offset and lines_before count
        # the characters and lines before the piece's context lines.
        by, down = piece.offset, piece.lines_before
        if by or down:
            found = [shifted(f, by, down, line=f.line + down) for f in found]
        outcome.findings.extend(found)
    else:
        for finding in found:
            outcome.findings.append(_relocate(finding, line, record_id, field_name))
    if task.consistency and field_name is not None and source is not None:
        from ..consistency import pair_name, segment

        seg = segment(source, new_text, pair=pair_name(doc.source_lang, linter.language.family),
                      line=line, record=record_id, field=field_name)
        if seg is not None:
            outcome.segments.append(seg)
    if task.baseline_keys:
        from ..baseline import finding_keys  # only with --baseline/--write-baseline

        outcome.keys.extend(finding_keys(own, new_text))
    return new_text


def _own_text(fixed: str, head: str, tail: str, text: str) -> str:
    """A fixed piece without its context lines. The fixer edits only the piece's own
    findings, but a deletion may take a line break of the context with it: then the
    piece is left as it was (its findings still reported)."""
    if not head and not tail:
        return fixed
    if fixed.startswith(head) and fixed.endswith(tail) and len(fixed) >= len(head) + len(tail):
        return fixed[len(head):len(fixed) - len(tail)]
    return text


def _place(base: int, line: int, column: int, field_name: str | None) -> str:
    if field_name is None:
        return f"{base + line - 1}:{column}"
    return f"{base}: [{field_name} {line}:{column}]"


def _relocate(finding: Finding, base: int, record_id: str | None, field_name: str | None) -> Finding:
    if field_name is None:
        return finding if base == 1 else finding.with_position(base + finding.line - 1, finding.column)
    data = {**finding.data, "field": field_name,
            **({"record": record_id} if record_id is not None else {}),
            "field_line": finding.line, "field_column": finding.column}
    return finding.evolve(line=base, data=data)


# -- text files -------------------------------------------------------------------
def process_text_chunk(task: Task, options: Options, path: str, first_line: int, data: bytes,
                       outcome: Outcome,
                       piece: tuple[bytes, bytes, Any, bool, int] | None = None) -> bytes:
    """A text file (or a line-aligned piece of a large one) as one document.

    ``piece`` (for a piece): the context lines before and after it, its document
    facts and whether it ends the text (see :mod:`normalize.pieces`).
    Findings are of the piece's own lines, placed from ``first_line`` and the piece's
    own first character; the text returned is the piece's own.
    """
    outcome.records += 1
    try:
        text, encoding, bom = decode(data, path)
    except InputError as exc:
        line = first_line + exc.line - 1 if exc.line is not None else None
        outcome.failures.append(Failure(path, line, None, exc.problem))
        outcome.abandon = True
        return b""  # nothing of a file that cannot be read reaches any output
    linter = linter_for(options)
    context = None
    if piece is not None:
        before, after, facts, last, first_char = piece
        head, tail, where = _piece_context(before, after, facts, last, text)
        context = head, tail, dataclasses.replace(
            where, offset=first_char + where.offset, lines_before=first_line - 1 + where.lines_before)
    try:
        new = process_text(linter, task, text, outcome, path=path, line=first_line,
                           source=task.source_text, encoding=encoding, bom=bom,
                           context=context)
    except Exception as exc:  # a rule bug must not lose the file; it is reported
        outcome.failures.append(Failure(path, first_line, None, f"internal error: {exc!r}"))
        outcome.abandon = True
        return b""
    if new == text:
        return data
    outcome.changed += 1
    if task.diff:
        # The BOM is no part of the text but is of the file's first line, which patch matches.
        lead = "\ufeff" if bom == codecs.BOM_UTF8 and first_line == 1 else ""
        # Hunks are numbered within the piece; the run places them in the whole file.
        from ..fixer import unified_diff

        outcome.diff += unified_diff(lead + text, lead + new, path)
    return bom + new.encode(encoding)


def _piece_context(before: bytes, after: bytes, facts: Any, last: bool,
                   text: str) -> tuple[str, str, Piece]:
    """The context lines of a piece (decoded) and its :class:`~normalize.pieces.Piece`,
    with offsets relative to the piece's own start (placed by the caller)."""
    from ..pieces import Piece

    # A bad byte in the context is the neighbouring piece's to report.
    head = before.decode("utf-8", "replace")
    tail = after.decode("utf-8", "replace")
    piece = Piece(offset=-len(head), lines_before=-head.count("\n"), own_from=len(head),
                  own_to=None if last else len(head) + len(text), facts=facts)
    return head, tail, piece


def collect_text_facts(options: Options, path: str, data: bytes, before: bytes, after: bytes,
                       first_char: int, first_line: int, last: bool
                       ) -> dict[str, Any]:
    """The first pass over a piece of a large text: the document facts of its own lines
    (kind name -> value), with positions into the whole text."""
    from ..pieces import collect_facts, facts_needed

    try:
        text, encoding, bom = decode(data, path)
    except InputError:
        return {}  # the second pass reports it
    linter = linter_for(options)
    head, tail, piece = _piece_context(before, after, None, last, text)
    piece = dataclasses.replace(piece, offset=first_char + piece.offset,
                                lines_before=first_line - 1 + piece.lines_before)
    doc = Document(head + text + tail, path=path, lang=options.lang, style=options.style,
                   source_lang=options.source_lang, encoding=encoding, bom=bom, piece=piece)
    ctx = linter.context(doc)
    return collect_facts(ctx, facts_needed(linter._active(ctx, None)))


# -- JSONL --------------------------------------------------------------------------
_WS = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()
_MISSING = object()


def _skip_ws(text: str, idx: int) -> int:
    """Where the JSON whitespace at ``idx`` ends (``idx`` itself when there is none)."""
    m = _WS.match(text, idx)
    assert m is not None  # the pattern matches the empty string
    return m.end()


def split_ending(raw: bytes) -> tuple[bytes, bytes]:
    """(line body, line ending) — the ending is kept byte for byte."""
    if raw.endswith(b"\r\n"):
        return raw[:-2], b"\r\n"
    if raw.endswith(b"\n"):
        return raw[:-1], b"\n"
    return raw, b""


def _decode_line(raw: bytes, line: int, path: str, outcome: Outcome
                 ) -> tuple[str, bytes, bytes] | None:
    """(text, line ending, BOM) of a record line; None for a blank line (kept, not a
    record) or one that is not UTF-8 (counted, and recorded as a failure).

    A UTF-8 BOM opening the file (line 1) is not part of the first record: it
    is returned apart, to be written back in front of the line.
    """
    body, ending = split_ending(raw)
    bom = codecs.BOM_UTF8 if line == 1 and body.startswith(codecs.BOM_UTF8) else b""
    body = body[len(bom):]
    if not body.strip():
        return None
    outcome.records += 1
    try:
        return body.decode("utf-8"), ending, bom
    except UnicodeDecodeError as exc:
        problem = f"not valid UTF-8: byte 0x{body[exc.start]:02x} at byte {len(bom) + exc.start + 1}"
        outcome.failures.append(Failure(path, line, None, problem))
        return None


def value_spans(text: str) -> dict[str, tuple[int, int]]:
    """Character spans of the values of a JSON object's top-level keys.

    Lets a fixed field be replaced in place, leaving every other byte of the
    record (key order, spacing, number formats, escapes) exactly as it was.
    For a repeated key the last one counts, as in :func:`json.loads`.
    """
    idx = _skip_ws(text, 0)
    if text[idx:idx + 1] != "{":
        raise ValueError("not a JSON object")
    idx = _skip_ws(text, idx + 1)
    spans: dict[str, tuple[int, int]] = {}
    if text[idx:idx + 1] == "}":
        return spans
    while True:
        if text[idx:idx + 1] != '"':
            raise ValueError(f"expected a key at character {idx + 1}")
        # json.decoder.scanstring is what JSONDecoder reads strings with; typeshed leaves it out.
        key, idx = json.decoder.scanstring(text, idx + 1)  # type: ignore[attr-defined]
        idx = _skip_ws(text, idx)
        if text[idx:idx + 1] != ":":
            raise ValueError(f"expected ':' at character {idx + 1}")
        idx = _skip_ws(text, idx + 1)
        _, end = _DECODER.raw_decode(text, idx)
        spans[key] = (idx, end)
        idx = _skip_ws(text, end)
        if text[idx:idx + 1] == ",":
            idx = _skip_ws(text, idx + 1)
            continue
        return spans


def replace_values(text: str, new_values: dict[str, str]) -> str:
    """``text`` (a JSON object) with the values of some top-level keys replaced."""
    spans = value_spans(text)
    out = text
    for key, (start, end) in sorted(((k, spans[k]) for k in new_values), key=lambda kv: -kv[1][0]):
        out = out[:start] + json.dumps(new_values[key], ensure_ascii=False) + out[end:]
    return out


def _record_id(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    if isinstance(value, str):
        # A JSON "\\ud800" decodes to a lone surrogate, which no output can
        # encode: shown escaped, as it was written.
        return value if _SURROGATE.search(value) is None else _escape_surrogates(value)
    if isinstance(value, (int, float, bool)):
        return json.dumps(value)
    return str(value)  # dates, decimals and the like (Parquet id columns)


def process_jsonl_line(linter: Linter, task: Task, raw: bytes, line: int, path: str,
                       outcome: Outcome) -> bytes:
    """One JSONL line: its text fields checked or fixed; the line back (changed or not)."""
    decoded = _decode_line(raw, line, path, outcome)
    if decoded is None:
        return raw
    text, ending, bom = decoded
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        outcome.failures.append(Failure(path, line, None,
                                        f"malformed JSON: {exc.msg} at column {exc.colno}"))
        return raw
    except (ValueError, RecursionError) as exc:  # an integer of 5,000 digits, nesting 100,000 deep
        problem = "nested too deep" if isinstance(exc, RecursionError) else str(exc)
        outcome.failures.append(Failure(path, line, None, f"unreadable JSON: {problem}"))
        return raw
    if not isinstance(obj, dict):
        outcome.failures.append(Failure(path, line, None, "not a JSON object"))
        return raw
    record_id = _record_id(obj.get(task.id_field)) if task.id_field else None
    values = _field_values(obj.get, task.fields, path, line, record_id, outcome)
    if values is None:
        return raw
    source = obj.get(task.source_field) if task.source_field else None
    spans: dict[str, tuple[int, int]] = {}

    def locate_in(name: str) -> Locate:
        if not spans:
            spans.update(value_spans(text))
        return _string_locator(text, spans[name][0])

    done = _process_fields(linter, task, values, source, outcome, path=path, line=line,
                           record_id=record_id, locate_in=locate_in)
    if done is None:
        return raw
    new_values, scratch = done
    if not new_values:
        outcome.merge(scratch)
        return raw
    new_line = replace_values(text, new_values)
    try:
        out = bom + new_line.encode("utf-8") + ending
    except UnicodeError as exc:  # cannot happen after _process_fields' checks; never a traceback
        outcome.failures.append(Failure(path, line, record_id, f"cannot write the fixed record: {exc}"))
        return raw
    outcome.merge(scratch)
    outcome.changed += 1
    if task.diff:
        outcome.diff += _line_diff(path, line, text, new_line, ending, bom)
    return out


def _string_locator(text: str, start: int) -> Locate:
    """Columns in the line ``text`` of the characters of the JSON string at ``start``.

    Escapes take several characters in the line for one in the value
    (``\\n``, ``\\u00e9``, a surrogate pair ``\\ud83d\\ude00`` for one
    code point), so the mapping walks the literal once. Columns do not count
    a BOM opening the file (as for text files).
    """
    if text[start:start + 1] != '"':  # not a string: no finding can be inside it
        return lambda index: start + 1
    columns: list[int] = []
    i = start + 1
    n = len(text)
    while i < n and text[i] != '"':
        columns.append(i + 1)
        if text[i] != "\\":
            i += 1
        elif text[i + 1:i + 2] != "u":
            i += 2
        elif (0xD800 <= int(text[i + 2:i + 6], 16) < 0xDC00 and text[i + 6:i + 8] == "\\u"
              and 0xDC00 <= int(text[i + 8:i + 12], 16) < 0xE000):
            i += 12
        else:
            i += 6
    columns.append(i + 1)  # the closing quote: where an insertion at the end goes
    return lambda index: columns[min(index, len(columns) - 1)]


_SURROGATE = re.compile("[\ud800-\udfff]")


def _escape_surrogates(text: str) -> str:
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _field_values(get, fields: Iterable[str], path: str, line: int | None, record_id: str | None,
                  outcome: Outcome) -> dict[str, str] | None:
    """The text of each field, or None after recording a failure.

    A null field (JSON ``null``, a Parquet null) is a value that is not there:
    not a failure, but skipped and counted (``Outcome.skipped``), so a
    corpus whose texts are mostly null does not pass as checked.
    """
    values: dict[str, str] = {}
    for name in fields:
        value = get(name, _MISSING)
        if value is _MISSING:
            outcome.failures.append(Failure(path, line, record_id, f"no field {name!r}"))
            return None
        if value is None:
            outcome.skipped += 1
            if outcome.first_skipped is None:
                outcome.first_skipped = str(Failure(path, line, record_id, f"field {name!r} is null"))
            continue
        if not isinstance(value, str):
            outcome.failures.append(Failure(path, line, record_id,
                                            f"field {name!r} is {type(value).__name__}, not text"))
            return None
        values[name] = value
    return values


def _process_fields(linter: Linter, task: Task, values: dict[str, str], source: Any,
                    outcome: Outcome, *, path: str, line: int, record_id: str | None,
                    locate_in: Callable[[str], Locate] | None = None
                    ) -> tuple[dict[str, str], Outcome] | None:
    """New values of the fields that changed, and what processing them found
    (for the caller to merge once the record is written); None (and a
    failure) if a field is not valid Unicode or a rule broke.

    ``locate_in(field)`` gives the field's :data:`Locate`, asked for only
    when the field has findings.
    """
    for name, value in values.items():
        bad = _SURROGATE.search(value)
        if bad is not None:
            # JSON can spell a lone surrogate ("\\ud800"): not a character,
            # it cannot be checked as text nor written as UTF-8.
            outcome.failures.append(Failure(
                path, line, record_id, f"field {name!r} has a lone surrogate "
                f"{_escape_surrogates(bad.group())} at character {bad.start() + 1}: not valid "
                "Unicode; record passed through unchanged"))
            return None
    source_text = source if isinstance(source, str) else None
    if source_text is not None and _SURROGATE.search(source_text):
        source_text = _SURROGATE.sub("\ufffd", source_text)  # only read, never written
    new_values: dict[str, str] = {}
    scratch = Outcome()
    try:
        for name, value in values.items():
            before = len(scratch.findings)
            segments = len(scratch.segments)
            new = process_text(linter, task, value, scratch, path=path, line=line,
                               record_id=record_id, field_name=name, source=source_text)
            if locate_in is not None and len(scratch.findings) > before:
                locate = locate_in(name)
                scratch.findings[before:] = [
                    f.evolve(column=locate(f.start)) for f in scratch.findings[before:]]
            if locate_in is not None and len(scratch.segments) > segments:
                column = locate_in(name)(0)
                scratch.segments[segments:] = [
                    dataclasses.replace(g, column=column) for g in scratch.segments[segments:]]
            if new != value:
                new_values[name] = new
    except Exception as exc:  # a rule bug must not lose the record; it is reported
        outcome.failures.append(Failure(path, line, record_id, f"internal error: {exc!r}"))
        return None
    return new_values, scratch


def _line_diff(path: str, line: int, before: str, after: str, ending: bytes, bom: bytes) -> str:
    """``--diff`` of one record line: a hunk ``patch -p1`` applies (headers as
    :func:`~normalize.fixer.unified_diff` names them; the line's own ending and
    the file's BOM kept, or patch would not match the line)."""
    from ..fixer import diff_path

    name = diff_path(path)
    lead = bom.decode("utf-8")
    tail = ending.decode("ascii") if ending else "\n\\ No newline at end of file\n"
    return (f"--- a/{name}\n+++ b/{name}\n@@ -{line} +{line} @@\n"
            f"-{lead}{before}{tail}+{lead}{after}{tail}")


# -- TSV ----------------------------------------------------------------------------
def process_tsv_row(linter: Linter, task: Task, raw: bytes, line: int, path: str,
                    columns: dict[str, int], outcome: Outcome) -> bytes:
    """One TSV row: the named columns checked or fixed; the row back (changed or not).

    ``columns`` maps the header names that matter (text, id, source) to indices.
    TSV has no quoting, so a fix that would put a tab or newline in a cell is
    refused (the row is reported and kept as it was).
    """
    decoded = _decode_line(raw, line, path, outcome)
    if decoded is None:
        return raw
    text, ending, bom = decoded
    cells = text.split("\t")
    width = max(columns.values()) + 1 if columns else 0
    if len(cells) < width:
        outcome.failures.append(Failure(path, line, None,
                                        f"{len(cells)} columns, expected at least {width}"))
        return raw
    record_id = cells[columns[task.id_field]] if task.id_field in columns else None
    values = {name: cells[columns[name]] for name in task.fields}
    source = cells[columns[task.source_field]] if task.source_field in columns else None

    def locate_in(name: str) -> Locate:
        # No quoting in TSV: a cell's characters are written as they are.
        first = sum(len(cell) + 1 for cell in cells[:columns[name]]) + 1
        return lambda index: first + index

    done = _process_fields(linter, task, values, source, outcome, path=path, line=line,
                           record_id=record_id, locate_in=locate_in)
    if done is None:
        return raw
    new_values, scratch = done
    if any(ch in value for value in new_values.values() for ch in "\t\r\n"):
        outcome.failures.append(Failure(path, line, record_id,
                                        "a fix would put a tab or line break into a TSV cell; row kept"))
        return raw
    outcome.merge(scratch)
    if not new_values:
        return raw
    outcome.changed += 1
    for name, value in new_values.items():
        cells[columns[name]] = value
    new_line = "\t".join(cells)
    if task.diff:
        outcome.diff += _line_diff(path, line, text, new_line, ending, bom)
    return bom + new_line.encode("utf-8") + ending


# -- column batches (Parquet, data frames) -------------------------------------------
def process_columns(linter: Linter, task: Task, columns: dict[str, list[Any]], path: str,
                    first_row: int, outcome: Outcome) -> dict[str, list[Any]]:
    """Rows given as columns (Parquet row groups, data-frame partitions).

    ``columns`` holds the text fields and, when present, the id and source
    columns. Returns the text columns with fixed values (same length, same
    order); rows are numbered from ``first_row`` (1-based) in failures.
    """
    n_rows = len(next(iter(columns.values()))) if columns else 0
    out = {name: list(columns[name]) for name in task.fields}
    ids = columns.get(task.id_field) if task.id_field else None
    sources = columns.get(task.source_field) if task.source_field else None
    for i in range(n_rows):
        row = first_row + i
        outcome.records += 1
        record_id = _record_id(ids[i]) if ids is not None else None
        values = _field_values(lambda name, default: columns[name][i], task.fields, path, row,  # noqa: B023 - called at once
                               record_id, outcome)
        if values is None:
            continue
        done = _process_fields(linter, task, values, sources[i] if sources else None,
                               outcome, path=path, line=row, record_id=record_id)
        if done is None:
            continue
        new_values, scratch = done
        outcome.merge(scratch)
        if new_values:
            outcome.changed += 1
            for name, value in new_values.items():
                out[name][i] = value
    return out
