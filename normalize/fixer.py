"""Apply the edits that findings propose, safely and to a fixed point.

Each pass checks the text, takes the allowed edits in text order, skips any
that overlaps one already taken, and applies them. Passes repeat until no
edit is left (so ``fix(fix(x)) == fix(x)``) or a pass limit is hit, which
means two rules disagree: that is reported rather than looping forever.
The applied edits form a replayable plan, like ftfy's explanations.

Inline ``mtnorm:`` directives (:mod:`normalize.suppressions`) are read from
the whole current text each pass: a suppressed finding is never fixed, and
no edit ever touches a directive. Findings whose fixes contradict each other
(:func:`~normalize.findings.mark_conflicts`) are not fixed, in that pass nor
in later ones while other edits remain; when none remain, the doubts are
dropped and the text checked afresh, as a second run would (so fix stays
idempotent), and a contradiction that still stands is found again.
"""
from __future__ import annotations

import bisect
import difflib
import itertools
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .analysis.document import CARRIED
from .document import Document
from .findings import Edit, Finding, FixSafety
from .linter import Linter
from .pieces import own_range
from .registry import Context
from .suppressions import filter_suppressed

if TYPE_CHECKING:
    from .pieces import Piece

MAX_PASSES = 8


@dataclass(frozen=True)
class AppliedEdit:
    """One edit as applied in a given pass (offsets are into that pass's input)."""

    pass_no: int
    rule: str
    start: int
    end: int
    before: str
    after: str
    line: int
    column: int
    message: str

    def to_dict(self) -> dict[str, object]:
        return {"pass": self.pass_no, "rule": self.rule, "start": self.start, "end": self.end,
                "line": self.line, "column": self.column, "before": self.before,
                "after": self.after, "message": self.message}


@dataclass
class FixResult:
    """The fixed text, the plan that produced it, and what is left to report."""

    text: str
    applied: list[AppliedEdit] = field(default_factory=list)
    remaining: list[Finding] = field(default_factory=list)
    passes: int = 0
    converged: bool = True

    @property
    def changed(self) -> bool:
        return bool(self.applied)


def choose_edits(findings: list[Finding], unsafe: bool = False,
                 text: str | None = None) -> list[tuple[Edit, Finding]]:
    """The allowed, mutually non-overlapping edits, in text order (given ``text``, less
    the edits that would change nothing there: a rule proposing its own words again
    must not keep the fixer going).

    A finding's edits, and the edits of the allowed findings of one group (a
    spelling fixed at every place), are taken together or not at all. Where
    they overlap others, the one whose fix starts first wins, then the longer
    one, then the safe one: the rest wait for the next pass, where they are
    re-checked against the new text.
    """
    allowed = {FixSafety.SAFE, FixSafety.UNSAFE} if unsafe else {FixSafety.SAFE}
    units: dict[object, list[tuple[Edit, Finding]]] = {}
    for finding in findings:
        if finding.fix in allowed:
            unit = units.setdefault(finding.group or id(finding), [])
            unit.extend((e, finding) for e in finding.edits()
                        if text is None or text[e.start:e.end] != e.replacement)
    candidates = [sorted(unit, key=lambda ef: (ef[0].start, ef[0].end))
                  for unit in units.values() if unit]
    candidates.sort(key=lambda unit: (unit[0][0].start, -(unit[0][0].end - unit[0][0].start),
                                      unit[0][1].fix is not FixSafety.SAFE, unit[0][1].rule))
    taken: list[tuple[int, int]] = []   # sorted spans of chosen edits
    chosen: list[tuple[Edit, Finding]] = []
    for unit in candidates:
        edits = [e for e, _ in unit]
        if any(_clashes(taken, e) for e in edits) or _self_overlapping(edits):
            continue
        for e, finding in unit:
            bisect.insort(taken, (e.start, e.end))
            chosen.append((e, finding))
    chosen.sort(key=lambda ef: (ef[0].start, ef[0].end))
    return chosen


def _clashes(taken: list[tuple[int, int]], edit: Edit) -> bool:
    """True if ``edit`` overlaps a taken span (two insertions at one point clash too)."""
    i = bisect.bisect_left(taken, (edit.start, edit.start))
    for j in (i - 1, i):
        if 0 <= j < len(taken):
            lo, hi = taken[j]
            if edit.overlaps(Edit(lo, hi, "")) or (lo < edit.end and edit.start < hi):
                return True
    return False


def _self_overlapping(edits: list[Edit]) -> bool:
    return any(a.end > b.start or a.overlaps(b) for a, b in itertools.pairwise(edits))


def apply_edits(text: str, edits: list[Edit]) -> str:
    """Apply non-overlapping edits given in text order."""
    parts = []
    pos = 0
    for edit in edits:
        parts.append(text[pos:edit.start])
        parts.append(edit.replacement)
        pos = edit.end
    parts.append(text[pos:])
    return "".join(parts)


def fix_document(linter: Linter, doc: Document, unsafe: bool = False) -> FixResult:
    """Fix ``doc`` with ``linter``'s rules; the document itself is not modified.

    Only the first pass checks the whole text. After each pass, line-scope
    rules are re-run on the edited lines and their neighbours only, their
    other findings are shifted to the new offsets, and document-scope rules
    run on analyses carried over the same way (see
    :data:`normalize.analysis.document.CARRIED`).
    The result equals a full re-check of every pass; tests compare the two.
    """
    scope_of = linter.scope_of
    ctx = linter.context(doc)
    findings = linter.raw(ctx)
    current = doc
    result = FixResult(text=doc.text)
    held: list[_Held] = []
    #: What the report shows, when the last pass saw it already.
    final: list[Finding] | None = None
    for pass_no in range(1, MAX_PASSES + 1):
        # ``findings`` stay unfiltered (the incremental re-check carries them);
        # directives are applied on the full text of each pass, as check does.
        before = held
        visible, held = _settled(linter, current.text, findings, held)
        chosen = choose_edits(_own(visible, current, edits=True), unsafe, current.text)
        if not chosen and held:
            chosen, held = _release_held(linter, current.text, findings, unsafe, held)
        if not chosen:
            result.passes = pass_no - 1
            if len(held) == len(before):
                # ``_settled`` only adds doubts: none was added, so settling the same
                # findings and text again for the report would give ``visible`` again.
                final = visible
            break
        for edit, finding in chosen:
            line, column = current.position(edit.start)
            result.applied.append(AppliedEdit(
                pass_no, finding.rule, edit.start, edit.end, current.text[edit.start:edit.end],
                edit.replacement, line, column, finding.message))
        edits = [e for e, _ in chosen]
        new_doc = Document(apply_edits(current.text, edits), path=doc.path, lang=doc.lang,
                           style=doc.style, source_lang=doc.source_lang, encoding=doc.encoding,
                           bom=doc.bom, source=doc.source, piece=_piece_after(current, edits))
        # ``_recheck`` empties ``findings`` once done with them; nothing else may hold
        # them meanwhile, or the old text's findings stay in memory beside the new ones.
        del visible, chosen
        ctx, findings = _recheck(linter, ctx, new_doc, edits, findings, scope_of)
        held = _carry_held(held, edits)
        current = new_doc
    else:
        result.passes = MAX_PASSES
        final = _settled(linter, current.text, findings, held)[0]
        result.converged = not choose_edits(final, unsafe, current.text)
    if final is None:
        final = _settled(linter, current.text, findings, held)[0]
    result.text = current.text
    result.remaining = linter.positioned(current, _own(final, current))
    return result


def _own(findings: list[Finding], doc: Document, edits: bool = False) -> list[Finding]:
    """The findings of a piece's own text (all of them for a whole document); with
    ``edits``, only those whose every edit stays inside it (the context lines around a
    piece are the neighbouring pieces' to fix)."""
    piece = doc.piece
    if piece is None or (not piece.own_from and piece.own_to is None):
        return findings
    lo, hi = own_range(doc)
    if not edits:
        return [f for f in findings if lo <= f.start < hi]
    return [f for f in findings if lo <= f.start < hi
            and all(lo <= e.start and e.end <= hi for e in f.edits())]


def _piece_after(doc: Document, edits: list[Edit]) -> Piece | None:
    """The piece ``doc`` is, after ``edits`` (inside its own text) are applied."""
    piece = doc.piece
    if piece is None or piece.own_to is None:
        return piece
    grown = sum(len(e.replacement) - (e.end - e.start) for e in edits if e.end <= piece.own_to)
    return replace(piece, own_to=piece.own_to + grown)


@dataclass(frozen=True)
class _Held:
    """A fix found contradicted in some pass: ``rule``'s fix of ``[start, end)``
    (offsets of the current pass), held back in every later pass too."""

    rule: str
    start: int
    end: int
    #: What the conflict added: its ``conflicts`` and the note closing its message.
    conflicts: tuple[str, ...]
    note: str


def _settled(linter: Linter, text: str, findings: list[Finding],
             held: list[_Held]) -> tuple[list[Finding], list[_Held]]:
    """What a pass sees: the findings less the suppressed ones, contradicting fixes
    marked (not applied), and fixes contradicted in an earlier pass still held back
    (the other finding may be gone; the doubt is not). Also the updated ``held``."""
    visible = filter_suppressed(text, findings)
    marked = linter.conflicts(text, visible)
    if marked is visible and not held:   # the common case: nothing contradicts
        return visible, held
    held = list(held)
    known = {(h.rule, h.start, h.end) for h in held}
    by_rule: dict[str, list[_Held]] = {}
    for h in held:
        by_rule.setdefault(h.rule, []).append(h)
    out = []
    for before, f in zip(visible, marked):
        edit = f.edit()
        if f.conflicts and edit is not None and (f.rule, edit.start, edit.end) not in known:
            held.append(_Held(f.rule, edit.start, edit.end, f.conflicts,
                              f.message[len(before.message):]))
            known.add((f.rule, edit.start, edit.end))
        elif f.fix is not FixSafety.NONE and f.rule in by_rule and edit is not None:
            for h in by_rule[f.rule]:
                if edit.overlaps(Edit(h.start, h.end, "")):
                    f = replace(f, fix=FixSafety.NONE, conflicts=h.conflicts,
                                message=f.message + h.note)
                    break
        out.append(f)
    return out, held


def _release_held(linter: Linter, text: str, findings: list[Finding], unsafe: bool,
                  held: list[_Held]) -> tuple[list[tuple[Edit, Finding]], list[_Held]]:
    """Once nothing is left to apply: the edits that a fresh run of fix would take, with
    the doubts of earlier passes forgotten, and what it holds. A contradiction that no
    longer stands (the other finding was fixed away) must not leave work for a second
    run, or fix would not be idempotent; one that still stands is found again here."""
    fresh, fresh_held = _settled(linter, text, findings, [])
    chosen = choose_edits(fresh, unsafe, text)
    return (chosen, fresh_held) if chosen else ([], held)


def _carry_held(held: list[_Held], edits: list[Edit]) -> list[_Held]:
    """``held`` moved to the offsets after ``edits``; one an edit overlapped is dropped
    (its words were rewritten by another fix)."""
    if not held:
        return held
    shift = _Shift(edits)
    starts = shift.starts   # the edits are in text order and disjoint

    def rewritten(h: _Held) -> bool:
        span = Edit(h.start, h.end, "")
        j = bisect.bisect_right(starts, h.end) - 1
        while j >= 0 and edits[j].end >= h.start:
            if edits[j].overlaps(span):
                return True
            j -= 1
        return False

    return [replace(h, start=shift(h.start), end=shift(h.end)) for h in held if not rewritten(h)]


class _Shift:
    """Maps offsets of the text before a pass to offsets after it (outside the edits)."""

    def __init__(self, edits: list[Edit]) -> None:
        self.starts = [e.start for e in edits]
        #: Offsets below this one stay where they are (no edit starts at or before them).
        self.first = self.starts[0] if self.starts else float("inf")
        self.deltas = []
        delta = 0
        for e in edits:
            delta += len(e.replacement) - (e.end - e.start)
            self.deltas.append(delta)

    def __call__(self, offset: int) -> int:
        i = bisect.bisect_right(self.starts, offset) - 1
        return offset + (self.deltas[i] if i >= 0 else 0)


def _line_range(text: str, start: int, end: int, extra_lines: int) -> tuple[int, int]:
    """``[start, end)`` widened to whole lines plus ``extra_lines`` lines each side."""
    lo = text.rfind("\n", 0, start) + 1
    for _ in range(extra_lines):
        if lo == 0:
            break
        lo = text.rfind("\n", 0, lo - 1) + 1
    hi = text.find("\n", end)
    hi = len(text) if hi == -1 else hi + 1
    for _ in range(extra_lines):
        if hi >= len(text):
            break
        nxt = text.find("\n", hi)
        hi = len(text) if nxt == -1 else nxt + 1
    return lo, hi


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for lo, hi in sorted(spans):
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


def _extent(f: Finding) -> tuple[int, int]:
    if f.replaces:
        return min(f.start, f.replaces[0]), max(f.end, f.replaces[1])
    return f.start, f.end


def _moved(item, shift: _Shift, offset: int | None = None):
    """A copy of a finding or analysis item with its offsets moved: by ``offset``
    (from a window's sub-document) or, without one, through ``shift``; the item
    itself when ``shift`` leaves it where it was (it lies before the first edit)."""
    if offset is None and _reach(item) < shift.first:
        # Both kinds of item are frozen: sharing one is the same as copying it, and
        # skipping ``replace`` saves most of the cost of carrying a finding over.
        return item
    move = shift if offset is None else (lambda pos: pos + offset)
    start, end = move(item.start), move(item.end)
    if isinstance(item, Finding):
        replaces = item.replaces
        if replaces is not None:
            replaces = (move(replaces[0]), move(replaces[1]))
        also = tuple(replace(e, start=move(e.start), end=move(e.end)) for e in item.also)
        # Group names hold an offset of the window they were found in: keep them apart
        # from the groups of other windows (the linter renames them for output).
        group = f"{item.group}+{offset}" if item.group and offset is not None else item.group
        return item.evolve(start=start, end=end, replaces=replaces, also=also, group=group)
    return replace(item, start=start, end=end)


def _reach(item) -> int:
    """The largest offset :func:`_moved` moves in ``item``."""
    reach: int = item.end
    if isinstance(item, Finding):
        if item.replaces is not None:
            reach = max(reach, item.replaces[1])
        for e in item.also:
            reach = max(reach, e.end)
    return reach


def _recheck(linter: Linter, ctx, new_doc: Document, edits: list[Edit],
             findings: list[Finding], scope_of: dict[str, str]):
    """Findings for ``new_doc``, re-running rules only where the edits can have changed them.

    ``findings`` (the old text's) are emptied once what is kept of them is carried over."""
    shift = _Shift(edits)
    text = new_doc.text
    # Lines touched by an edit, in the new text, plus one line each side
    # (line-scope rules look at neighbouring lines, e.g. blank-line removal).
    touched = [_new_span(e, shift) for e in edits]
    windows = _merge([_line_range(text, lo, hi, 1) for lo, hi in touched])
    # Old findings that reach into an edit or a window are re-derived, so the
    # windows grow to cover them.
    line_findings = [f for f in findings if scope_of.get(f.rule, "line") == "line"]
    edit_spans = [(e.start, e.end) for e in edits]
    carried: dict[str, list[object]] = {name: [] for name in CARRIED if ctx.analysis.computed(name)}
    old_items = [(f, *_extent(f)) for f in line_findings]
    old_items += [(i, i.start, i.end) for name in carried for i in getattr(ctx.analysis, name)]
    affected = []
    for _, lo, hi in old_items:
        if _touches(lo, hi, edit_spans) or _touches(shift(lo), shift(hi), windows):
            affected.append(_line_range(text, shift(lo), shift(hi), 0))
    windows = _merge(windows + affected)

    # An old item is kept (moved) exactly when it is not re-derived: when it
    # touches no edit and does not start inside a window (windows are whole
    # lines, and every item touching one has had its lines added above).
    def keep(lo: int, hi: int, start: int) -> bool:
        return not _touches(lo, hi, edit_spans) and not _starts_in(shift(start), windows)

    kept: list[Finding] = [_moved(f, shift) for f in line_findings
                           if keep(*_extent(f), f.start)]
    for name in carried:
        carried[name] = [_moved(i, shift) for i in getattr(ctx.analysis, name)
                         if keep(i.start, i.end, i.start)]
    _forget_analyses(ctx)   # the old text's analyses: what is still needed was carried
    # So are the old findings (the caller's list, which it replaces with ours): let them
    # go before the rules analyse the new text. Document-scope findings are made afresh,
    # and they can be many and large (duplicate_paragraph quotes each repeated paragraph).
    findings.clear()
    del line_findings, old_items
    for lo, hi in windows:
        # The window is checked with one more line of context each side; only
        # what starts inside the window itself is taken.
        clo, chi = _line_range(text, lo, max(lo, hi - 1), 1)
        sub = Document(text[clo:chi], path=new_doc.path, lang=new_doc.lang, style=new_doc.style,
                       source_lang=new_doc.source_lang)
        sub_ctx = linter.context(sub)
        for f in linter.raw(sub_ctx, scope="line"):
            if lo <= f.start + clo < hi:
                kept.append(_moved(f, shift, offset=clo))
        for name in carried:
            items = getattr(sub_ctx.analysis, name)
            carried[name].extend(_moved(i, shift, offset=clo) for i in items
                                if lo <= i.start + clo < hi)
        _forget_analyses(sub_ctx)
    new_ctx = linter.context(new_doc)
    for name, items in carried.items():
        new_ctx.analysis.adopt(name, sorted(items, key=lambda i: (i.start, i.end)))
    kept.extend(linter.raw(new_ctx, scope="document"))
    return new_ctx, kept


def _forget_analyses(ctx: Context) -> None:
    """Let go of ``ctx``'s analyses now that the fixer is done with them.

    An analysis refers back to its context, so the two form a reference cycle
    that only the cyclic collector frees: until it runs, the analyses of a whole
    text stay in memory beside the new text's, and every full collection walks
    them (a sizeable part of what ``fix`` spent beyond ``check``).
    """
    vars(ctx).pop("analysis", None)


def _new_span(edit: Edit, shift: _Shift) -> tuple[int, int]:
    """Where an edit's replacement lies in the new text."""
    end = shift(edit.end)
    return end - len(edit.replacement), end


def _starts_in(pos: int, spans: list[tuple[int, int]]) -> bool:
    """True if ``lo <= pos < hi`` for one of the (sorted, disjoint) spans."""
    i = bisect.bisect_right(spans, (pos, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


def _touches(lo: int, hi: int, spans: list[tuple[int, int]]) -> bool:
    """True if ``[lo, hi]`` overlaps or touches any of the (sorted, disjoint) spans."""
    i = bisect.bisect_right(spans, (hi, float("inf"))) - 1
    while i >= 0 and spans[i][1] >= lo:
        if spans[i][0] <= hi:
            return True
        i -= 1
    return False


def diff_path(path: str) -> str:
    """The path a ``--diff`` header names, without its ``a/``/``b/`` prefix.

    Headers are git-style, applied with ``patch -p1`` (or ``git apply``)
    from the current directory: a path inside it is written relative to it;
    any other absolute path loses its leading ``/``, so the diff applies
    with ``patch -p1 -d /`` (GNU patch ignores absolute and ``..`` names).
    """
    if path in ("-", "<stdin>"):
        return path
    absolute = os.path.abspath(path)
    relative = os.path.relpath(absolute)
    if relative != os.pardir and not relative.startswith(os.pardir + os.sep):
        return Path(relative).as_posix()
    return Path(absolute).as_posix().lstrip("/")


def _diff_lines(text: str) -> list[str]:
    """``text`` cut at ``\n`` only, ends kept: ``patch`` knows no other line break
    (``str.splitlines`` would also cut at a lone CR, form feeds, U+2028...)."""
    lines = text.split("\n")
    out = [line + "\n" for line in lines[:-1]]
    if lines[-1]:
        out.append(lines[-1])
    return out


def unified_diff(before: str, after: str, path: str) -> str:
    """A unified diff between two versions of a text, as ``diff -u`` prints it
    (headers named by :func:`diff_path`)."""
    name = diff_path(path)
    lines = difflib.unified_diff(_diff_lines(before), _diff_lines(after),
                                 fromfile=f"a/{name}", tofile=f"b/{name}")
    out = []
    for line in lines:
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)

