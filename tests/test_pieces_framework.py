"""The machinery of checking a text piece by piece (normalize/pieces.py): cutting,
context lines, facts merged in order, and the batch engine agreeing with the reference."""
from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from normalize import api
from normalize.batch import formats
from normalize.document import Document
from normalize.pieces import (
    FactKind,
    FactsMerger,
    check_in_pieces,
    context_end,
    context_start,
    cut_lines,
    fact_kind,
)
from tests.faults.test_faults_inputs import prose, run_inline


def test_pieces_cover_the_text_at_line_starts() -> None:
    text = prose(20_000)
    spans = cut_lines(text, 1000)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(spans))
    assert all(text[start - 1] == "\n" for start, _ in spans[1:])
    assert len(spans) > 10


def test_context_lines_end_where_the_piece_starts() -> None:
    text = "".join(f"line {i}\n" for i in range(200))
    start = text.index("line 100\n")
    lo = context_start(text, start, lines=3)
    assert text[lo:start] == "line 97\nline 98\nline 99\n"
    assert context_start(text, text.index("line 1\n"), lines=5) == 0
    # The whole lines that cover ``chars`` characters.
    assert text[context_start(text, start, lines=50, chars=20):start] == "line 97\nline 98\nline 99\n"
    assert text[context_start(text, start, lines=50, chars=16):start] == "line 98\nline 99\n"
    # After: at least ``lines`` lines and the whole lines that cover ``chars`` characters.
    assert text[start:context_end(text, start, lines=2, chars=0)] == "line 100\nline 101\n"
    assert text[start:context_end(text, start, lines=2, chars=20)] == \
        "line 100\nline 101\nline 102\n"


_ORDER = fact_kind(FactKind(
    "tests.test_pieces_framework:order",
    collect=lambda ctx: (ctx.text[:8],),
    merge=lambda a, b: a + b,
    for_piece=lambda before, total, own: (before or (), total),
))


def test_facts_merge_in_text_order_and_each_piece_sees_those_before_it() -> None:
    merger = FactsMerger([_ORDER.name])
    for part in ("a", "b", "c"):
        merger.add({_ORDER.name: (part,)})
    shares = [s[_ORDER.name] for s in merger.shares()]
    assert shares == [((), ("a", "b", "c")), (("a",), ("a", "b", "c")), (("a", "b"), ("a", "b", "c"))]


def test_context_findings_belong_to_their_own_piece() -> None:
    """Each finding of a line rule is reported once, by the piece whose own line it is on,
    however small the pieces (context lines around each)."""
    text = "".join(f"Paragraph {i}  has a double space.\n\n" for i in range(40))
    linter = api.get_linter(api.options("en", "ap", select=["typography.double_space"]))
    doc = Document(text, lang="en", style="ap")
    whole = [(f.start, f.line) for f in linter.check(doc)]
    assert len(whole) == 40
    assert sorted((f.start, f.line) for f in check_in_pieces(linter, doc, 100)) == whole


def test_batch_pieces_match_the_reference(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    """The batch engine's pieces of a file (bytes, context lines read around them, facts
    from a first pass) give the findings of the whole text."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(formats, "TEXT_PIECE_BYTES", 4096)
    monkeypatch.setattr(formats, "TEXT_DOCUMENT_BYTES", 16 * 1024)
    text = "Talks resumed in Kiev.\n\n" + prose(50_000) + "\nTalks ended in Kyiv.\n"
    (tmp_path / "big.txt").write_text(text, encoding="utf-8")
    assert run_inline(["check", "big.txt", "-f", "json", "--fail-on", "never", "--style", "ap"]) == 0
    batch = json.loads(capsys.readouterr().out)["files"][0]["findings"]
    linter = api.get_linter(api.options("en", "ap"))
    reference = linter.check(Document(text, lang="en", style="ap"))

    def ungrouped(f: dict) -> str:
        return json.dumps({k: v for k, v in f.items() if k != "group"}, sort_keys=True)
    assert sorted(map(ungrouped, batch)) == sorted(ungrouped(f.to_dict()) for f in reference)
    assert {"toponym.variant", "debris.html"} <= {f["rule"] for f in batch}
    # A group is named after the line and column of a place of its rule (a group that
    # spans pieces after its first place in the piece's text, context lines included).
    places = {(f["rule"], f["line"], f["column"]) for f in batch}
    groups = [f["group"] for f in batch if "group" in f]
    assert groups and all((g.split("@")[0], *map(int, g.split("@")[1].split(":"))) in places
                          for g in groups)
    assert max(int(g.split("@")[1].split(":")[0]) for g in groups) > 100


def test_batch_pieces_write_the_baseline_of_the_whole_text(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A baseline written of a file read in pieces is the one written of it whole (its
    keys read the text around each finding in the piece's own text)."""
    monkeypatch.chdir(tmp_path)
    text = "Talks resumed in Kiev.\n\n" + prose(50_000) + "\nTalks ended in Kiev.\n"
    (tmp_path / "big.txt").write_text(text, encoding="utf-8")
    assert run_inline(["check", "big.txt", "--style", "ap", "--write-baseline", "whole.json"]) == 0
    monkeypatch.setattr(formats, "TEXT_PIECE_BYTES", 4096)
    monkeypatch.setattr(formats, "TEXT_DOCUMENT_BYTES", 16 * 1024)
    assert run_inline(["check", "big.txt", "--style", "ap", "--write-baseline", "pieces.json"]) == 0
    whole = (tmp_path / "whole.json").read_bytes()
    assert whole == (tmp_path / "pieces.json").read_bytes()
    assert b"toponym.variant" in whole


def test_fix_in_pieces_places_the_remaining_findings_in_the_fixed_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Fixes that remove lines in one piece move everything after: the findings ``fix``
    reports for later pieces are placed in the fixed file (offsets, lines, text)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(formats, "TEXT_PIECE_BYTES", 4096)
    monkeypatch.setattr(formats, "TEXT_DOCUMENT_BYTES", 16 * 1024)
    text = prose(60_000) + "\nTalks ended in Kiev.\n"
    (tmp_path / "big.txt").write_text(text, encoding="utf-8")
    assert run_inline(["fix", "big.txt", "-o", "out.txt", "-f", "json", "--style", "ap"]) == 0
    findings = json.loads(capsys.readouterr().out)["files"][0]["findings"]
    fixed = (tmp_path / "out.txt").read_text(encoding="utf-8")
    assert len(fixed) < len(text) and findings
    for f in findings:
        assert fixed[f["start"]:f["end"]] == f["text"], f
        line = fixed.count("\n", 0, f["start"]) + 1
        assert (f["line"], f["column"]) == (line, f["start"] - (fixed.rfind("\n", 0, f["start"]) + 1) + 1), f


def test_second_pass_takes_the_analyses_of_the_first(monkeypatch: pytest.MonkeyPatch) -> None:
    """A piece's place mentions are found once, in the first pass, and its second pass
    (the same text) reuses them; the findings are those of the whole text."""
    from normalize.analysis import places

    calls: list[int] = []
    real = places.find_places

    def counted(ctx):
        calls.append(len(ctx.text))
        return real(ctx)

    monkeypatch.setattr(places, "find_places", counted)
    text = "".join(f"Officials in Kiev and Kyiv met on day {i}; Odessa was calm.\n\n" for i in range(60))
    linter = api.get_linter(api.options("en", "ap"))
    doc = Document(text, lang="en", style="ap")
    whole = [(f.rule, f.start, f.message) for f in linter.check(doc)]
    calls.clear()
    pieces = [(f.rule, f.start, f.message) for f in check_in_pieces(linter, doc, 800)]
    assert sorted(pieces) == sorted(whole)
    assert any(r.startswith("toponym.") for r, _, _ in whole)
    assert len(calls) == len(cut_lines(text, 800)) > 3


def test_carried_analyses_are_taken_only_by_the_same_text() -> None:
    """What a first pass hands on is refused by a document of another text of the same
    length (the fixer's later passes check fixed text)."""
    from normalize.pieces import Carried

    linter = api.get_linter(api.options("en", "ap"))
    one = linter.context(Document("Officials met in Kiev today.\n", lang="en", style="ap"))
    assert one.analysis.places
    carried = Carried.of(one)
    assert carried is not None and "places" in carried.properties
    other = linter.context(Document("Officials met in Kyiv today.\n", lang="en", style="ap"))
    carried.give(other.analysis, other.text)
    assert not other.analysis.computed("places")
    same = linter.context(Document("Officials met in Kiev today.\n", lang="en", style="ap"))
    carried.give(same.analysis, same.text)
    assert same.analysis.computed("places") and same.analysis.places is one.analysis.places
