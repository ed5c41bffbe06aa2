"""scripts/count_instructions.py: the counted program checks the checkout's package, and a
count is read from valgrind's report or the run is refused."""
from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("count_instructions", ROOT / "scripts" / "count_instructions.py")
counter = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(counter)  # type: ignore[union-attr]


def test_the_counted_program_checks_the_checkout_it_is_given() -> None:
    texts, source = counter.texts_for("kharkiv")
    assert source == "fr" and "Kharkiv" in texts[0]
    ran = subprocess.run([sys.executable, "-c", counter.CHILD, str(ROOT), "1", "2", source],
                         input=json.dumps(texts), capture_output=True, text=True, check=False)
    assert ran.returncode == 0, ran.stderr
    # A directory without the package is refused, not silently replaced by another copy.
    other = subprocess.run([sys.executable, "-c", counter.CHILD, str(ROOT / "tests"), "0", "1", ""],
                           input=json.dumps(texts), capture_output=True, text=True, check=False)
    assert other.returncode != 0 and "AssertionError" in other.stderr


def test_a_count_is_read_from_the_report_and_a_failed_run_is_refused(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def fake(returncode: int, stderr: str):
        return lambda *a, **k: subprocess.CompletedProcess(a[0], returncode, "", stderr)

    monkeypatch.setattr(counter.subprocess, "run", fake(0, "==1== Collected : 123456789\n"))
    assert counter.count(sys.executable, ROOT, ["x"], "", 0, 1) == 123456789
    monkeypatch.setattr(counter.subprocess, "run", fake(1, "Traceback ...\n==1== Collected : 5\n"))
    with pytest.raises(SystemExit, match="exit 1"):
        counter.count(sys.executable, ROOT, ["x"], "", 0, 1)
    monkeypatch.setattr(counter.subprocess, "run", fake(0, "no report\n"))
    with pytest.raises(SystemExit, match="failed"):
        counter.count(sys.executable, ROOT, ["x"], "", 0, 1)


def test_each_checkout_runs_once_uncounted_first(monkeypatch: pytest.MonkeyPatch) -> None:
    """A checkout's first run builds caches that would count in only one of the two counted
    runs (its figure came out ~10% low): an uncounted run comes first, and a failing one
    stops the script."""
    calls: list[str] = []
    monkeypatch.setattr(counter.shutil, "which", lambda name: "/usr/bin/valgrind")
    monkeypatch.setattr(counter, "prepare", lambda *a: calls.append("prepare"))
    monkeypatch.setattr(counter, "count", lambda *a: calls.append("count") or 1000 * len(calls))
    monkeypatch.setattr(sys, "argv", ["count_instructions.py", "--checkout", str(ROOT)])
    assert counter.main() == 0
    assert calls == ["prepare", "count", "count"]
    monkeypatch.undo()
    with pytest.raises(SystemExit, match="the check failed"):
        counter.prepare(sys.executable, ROOT / "tests", ["x"], "")



def test_the_records_come_from_the_batch_benchmark_corpus(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """``--text records`` reads the corpus bench_batch builds (built there if missing)."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import bench_batch

    corpus = tmp_path / "records.jsonl"
    corpus.write_text('{"id": 1, "text": "One."}\n{"id": 2, "text": "Two."}\n', encoding="utf-8")
    asked: list[float] = []
    monkeypatch.setattr(bench_batch, "build_corpus", lambda mb: asked.append(mb) or corpus)
    assert counter.texts_for("records") == (["One.", "Two."], "")
    assert asked == [counter.RECORDS_MB]


@pytest.mark.skipif(not counter.texts_for.__globals__["REPO"].joinpath("..", "shared", "benchmarks").is_dir(),
                    reason="needs ../shared/benchmarks")
def test_stories_are_different_stories_of_twelve_lines() -> None:
    texts, source = counter.texts_for("stories")
    assert source == "" and len(texts) > 100
    assert len(set(texts)) == len(texts)
    assert all(t.count("\n") == 12 and 200 < len(t) < 5000 for t in texts[:50])
