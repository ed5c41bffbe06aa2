"""scripts/bench_throughput.py: a run that did not do its work is never averaged.

A 20 MB ``mtnorm check`` once "took" 0.13 s: the shared working tree had a module saved
before the one it imports from, every start crashed with ImportError (exit 1, like check
with findings) and the wrapper passed it. These run the real wrapper on small commands.
"""
from __future__ import annotations

import importlib.util
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("bench_throughput", ROOT / "scripts" / "bench_throughput.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)  # type: ignore[union-attr]

PY = shlex.quote(sys.executable)


def _python(code: str, tmp_path: Path, name: str, **expect) -> bench.Command:
    """A wrapped ``python -c CODE`` whose exit 1 passes, as mtnorm's does."""
    return bench.shell(f"{PY} -c {shlex.quote(code)}", tmp_path, {}, ok_codes="0,1",
                       out=tmp_path / name, **expect)


def _verdict(cmd: bench.Command) -> str | None:
    done = subprocess.run(shlex.split(cmd), check=False)
    return bench.verify_run(cmd, done.returncode)


def test_a_crash_at_start_up_is_a_failed_run(tmp_path: Path) -> None:
    # Exit 1 like check with findings, but a traceback: the case of the 0.13 s run.
    cmd = _python("import normalize_has_no_such_module", tmp_path, "crash",
                  last_line=bench.CHECK_SUMMARY)
    reason = _verdict(cmd)
    assert reason is not None and "traceback" in reason and "ModuleNotFoundError" in reason


def test_check_with_findings_passes_and_without_its_summary_fails(tmp_path: Path) -> None:
    ok = _python("import sys; print('a.txt:1:1: warning x'); print('1 warning in 1 file'); sys.exit(1)",
                 tmp_path, "findings", last_line=bench.CHECK_SUMMARY)
    assert _verdict(ok) is None
    cut = _python("import sys; print('a.txt:1:1: warning x'); sys.exit(1)", tmp_path, "cut",
                  last_line=bench.CHECK_SUMMARY)
    assert "summary line" in (_verdict(cut) or "")


def test_short_output_an_error_status_and_a_missing_checkout_fail(tmp_path: Path) -> None:
    short = _python("print('x' * 10)", tmp_path, "short", min_bytes=100)
    assert "wrote 11 bytes" in (_verdict(short) or "")
    assert _verdict(_python("print('x' * 200)", tmp_path, "long", min_bytes=100)) is None
    assert "exit 2" in (_verdict(_python("import sys; sys.exit(2)", tmp_path, "error")) or "")
    gone = bench.shell(f"{PY} -c pass", tmp_path / "no-such-checkout", {}, out=tmp_path / "gone")
    assert "cd into the checkout" in (_verdict(gone) or "")


def test_a_run_under_a_third_of_the_median_is_refused() -> None:
    # The failed 20 MB round: check 0.13 s beside 25.79 s (wall, CPU).
    assert bench.short_runs([0.13, 25.79]) == [0]
    with pytest.raises(SystemExit, match="did not do the same work"):
        bench.check_runs([("check", "c")], [[(0.129, 0.127), (25.79, 25.87)]])
    # A loaded machine triples a short command's wall time, not its CPU time: no refusal.
    bench.check_runs([("python -c pass", "p")], [[(0.049, 0.012), (0.012, 0.011)]])


def test_a_changed_source_is_seen(tmp_path: Path) -> None:
    package = tmp_path / "normalize"
    package.mkdir()
    (package / "linter.py").write_text("x = 1\n", encoding="utf-8")
    before = bench.source_fingerprint(tmp_path)
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "linter.cpython.pyc").write_bytes(b"ignored")
    assert bench.changed_sources(before, bench.source_fingerprint(tmp_path)) == []
    (package / "linter.py").write_text("from .pieces import own_range\n", encoding="utf-8")
    assert bench.changed_sources(before, bench.source_fingerprint(tmp_path)) == ["normalize/linter.py"]


@pytest.mark.skipif(shutil.which("hyperfine") is None, reason="needs hyperfine")
def test_rounds_stop_at_a_failed_run_and_at_a_changed_checkout(tmp_path: Path) -> None:
    (tmp_path / "normalize").mkdir()
    good = _python("print('1 warning in 1 file')", tmp_path, "good", last_line=bench.CHECK_SUMMARY)
    crash = _python("import normalize_has_no_such_module", tmp_path, "crash",
                    last_line=bench.CHECK_SUMMARY)
    assert len(bench.run_rounds([("good", good)], 2, tmp_path, warmup=0)[0]) == 2
    with pytest.raises(SystemExit, match=r"(?s)round 1 of 2: 1 run.*crash.*ModuleNotFoundError"):
        bench.run_rounds([("good", good), ("crash", crash)], 2, tmp_path, warmup=0)
    edit = _python("open('normalize/linter.py', 'a').write('#')", tmp_path, "edit")
    with pytest.raises(SystemExit, match=r"changed during the timings \(normalize/linter.py\)"):
        bench.run_rounds([("good", good), ("edit", edit)], 2, tmp_path, warmup=0)
