"""What a worker does with a chunk of translation units: check or fix each target.

A target is checked as a document whose source is its unit's source, exactly
as a JSONL record with ``--source-field``. A fixed target is written back
into the chunk's bytes at its own span; an edit that would cross a tag is
not applied (and what it would have fixed is reported as remaining).
"""
from __future__ import annotations

import dataclasses

from ..batch.records import Failure, Outcome, Task, linter_for, process_text
from ..findings import FixSafety
from ..fixer import unified_diff
from ..linter import Linter, Options
from .inline import Inline, plain_edits, po_content, xml_content
from .units import Unit

#: The field name findings of a unit's target carry (``data["field"]``).
FIELD = "target"


def process_units(task: Task, options: Options, path: str, payload: tuple[bytes, list[Unit]],
                  outcome: Outcome) -> bytes:
    """Check or fix every unit of a chunk; return the chunk's bytes (fixed targets in place).

    Units without a target, and final/approved/locked ones unless
    ``task.include_final``, are left alone and not counted as records.
    """
    data, units = payload
    out: list[bytes] = []
    pos = 0
    for unit in units:
        if unit.target_span is None or (unit.final and not task.include_final):
            continue
        outcome.records += 1
        linter = _linter_for_unit(options, unit, task)
        try:
            target = unit.target(data)
            source = unit.source(data)
            assert target is not None
            new_raw = _process_unit(linter, task, unit, target, source, path, outcome)
        except Exception as exc:  # a bad unit or a rule bug must not lose the file
            problem = (f"not valid UTF-8: {exc}" if isinstance(exc, UnicodeDecodeError)
                       else f"internal error: {exc!r}")
            outcome.failures.append(Failure(path, unit.line, unit.id, problem))
            continue
        if new_raw is None:
            continue
        start, end = unit.target_span
        out.append(data[pos:start])
        out.append(new_raw.encode("utf-8"))
        pos = end
        outcome.changed += 1
    if not out:
        return data
    out.append(data[pos:])
    new = b"".join(out)
    if task.diff:
        # Numbered within the chunk; the run places the hunks in the whole file.
        outcome.diff += unified_diff(data.decode("utf-8", "replace"),
                                     new.decode("utf-8", "replace"), path)
    return new


def _linter_for_unit(options: Options, unit: Unit, task: Task) -> Linter:
    """The linter of ``options``, told the unit's own source language when the file gives
    one (a TMX mixes pairs) and the user did not; :func:`linter_for` caches each."""
    if not task.unit_source_lang or not unit.source_lang:
        return linter_for(options)
    lang = unit.source_lang.replace("_", "-").split("-")[0].lower()
    if lang == options.source_lang:
        return linter_for(options)
    return linter_for(dataclasses.replace(options, source_lang=lang))


def _process_unit(linter: Linter, task: Task, unit: Unit, target: Inline, source: Inline | None,
                  path: str, outcome: Outcome) -> str | None:
    """Check or fix one target; its new raw content, or None when unchanged."""
    scratch = Outcome()
    source_text = source.text if source is not None else None
    new_text = process_text(linter, task, target.text, scratch, path=path, line=unit.line,
                            record_id=unit.id, field_name=FIELD, source=source_text)
    new_raw = None
    final = target
    if new_text != target.text:
        new_raw, refused = target.apply(plain_edits(target.text, new_text))
        final = (po_content if unit.syntax == "po" else xml_content)(new_raw)
        if refused:
            # Some edit would have broken a tag: the target keeps those places as they
            # were, and what is left to report is what this text still has.
            kept = final.text
            recheck = Outcome()
            process_text(linter, dataclasses.replace(task, mode="check", show_fixes=False), kept,
                         recheck, path=path, line=unit.line, record_id=unit.id, field_name=FIELD,
                         source=source_text)
            scratch.findings, scratch.keys = recheck.findings, recheck.keys
            scratch.fixed = max(0, scratch.fixed - refused)
            if kept == target.text:
                new_raw = None
    outcome.merge(_placed(scratch, unit, final))
    return new_raw


#: Said of a finding whose fix would cross or replace inline markup.
NOT_FIXED = " [not fixed: the fix would break inline markup]"


def _placed(scratch: Outcome, unit: Unit, target: Inline) -> Outcome:
    """Findings placed at the unit's line, column 1 (their place inside the target is in
    ``data``: ``field_line``/``field_column``, and ``start``/``end`` into the target),
    and those whose fix would break a tag of ``target`` marked as not fixable."""
    extra = {"msgctxt": unit.context} if unit.context else {}
    hard = [tag for tag in target.tags if tag.hard]
    placed = []
    for finding in scratch.findings:
        changes: dict = {"column": 1, "data": {**finding.data, **extra}}
        if hard and finding.fix is not FixSafety.NONE and any(
                tag.inside(e.start, e.end) for e in finding.edits() for tag in hard):
            changes.update(fix=FixSafety.NONE, message=finding.message + NOT_FIXED)
        placed.append(dataclasses.replace(finding, **changes))
    scratch.findings = placed
    return scratch
