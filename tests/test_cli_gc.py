"""The collector's threshold while ``check`` and ``fix`` run (normalize.cli)."""
from __future__ import annotations

import gc

import pytest

from normalize import cli
from normalize.batch.formats import TEXT_DOCUMENT_BYTES
from normalize.commands import check


@pytest.fixture
def seen(monkeypatch):
    """The threshold the command's own run sees."""
    got: list[tuple[int, int, int]] = []
    monkeypatch.setattr(check, "run", lambda args: got.append(gc.get_threshold()) or 0)
    return got


def test_raised_for_a_small_file_and_put_back(tmp_path, seen):
    before = gc.get_threshold()
    (tmp_path / "a.txt").write_text("The minister spoke on Monday.\n", encoding="utf-8")
    assert cli.main(["check", str(tmp_path / "a.txt")]) == 0
    assert seen[0][0] == max(cli.GC_YOUNG_THRESHOLD, before[0]) and seen[0][1:] == before[1:]
    assert gc.get_threshold() == before


@pytest.mark.parametrize("kind", ["big", "folder", "stdin", "gz"])
def test_default_where_a_text_may_be_read_in_pieces(tmp_path, seen, kind):
    before = gc.get_threshold()
    path = tmp_path / "a.txt"
    path.write_text("x" * (TEXT_DOCUMENT_BYTES + 1) if kind == "big" else "Short.\n", encoding="utf-8")
    if kind == "gz":
        path = path.rename(tmp_path / "a.txt.gz")
    paths = {"big": [str(path)], "folder": [str(tmp_path)], "stdin": [], "gz": [str(path)]}[kind]
    assert cli.main(["check", *paths]) == 0
    assert seen == [before]
    assert gc.get_threshold() == before
