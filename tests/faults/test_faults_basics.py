"""Fault suite, part 1: bad input that mtnorm already handled, now held through the real command.

Each case runs ``python -m normalize`` in a subprocess (the way a user or a CI job runs it) and
asserts the exit code, the one-line message naming the file (and line), the bytes of every input
afterwards, and that nothing was written where the input was bad. The other ``test_faults_*``
files cover the cases of issue 10 area by area.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

DIRTY = "[ad_1]\nThe the talks resumed in Kiev.\n"


def mtnorm(*args: str, cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run the command line as a user would; never hangs the suite."""
    return subprocess.run([sys.executable, "-m", "normalize", *args], cwd=cwd, input=stdin,
                          capture_output=True, timeout=120)


def error_lines(proc: subprocess.CompletedProcess[bytes]) -> list[str]:
    return [ln for ln in proc.stderr.decode("utf-8", "replace").splitlines() if "error" in ln]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_invalid_utf8_is_one_line_with_file_line_and_column(tmp_path: Path) -> None:
    (tmp_path / "bad.txt").write_bytes(b"Fine line.\nKiev \xff\xfe here\n")
    before = snapshot(tmp_path)
    proc = mtnorm("fix", "--in-place", "bad.txt", cwd=tmp_path)
    assert proc.returncode == 2
    [line] = error_lines(proc)
    assert line.startswith("mtnorm: error: bad.txt:2:") and "not valid UTF-8" in line
    assert snapshot(tmp_path) == before


def test_binary_file_is_refused_once_and_untouched(tmp_path: Path) -> None:
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02binary\x00" * 100)
    before = snapshot(tmp_path)
    proc = mtnorm("fix", "bin.txt", "-o", "out.txt", cwd=tmp_path)
    assert proc.returncode == 2
    [line] = error_lines(proc)
    assert "bin.txt" in line and "binary" in line
    assert snapshot(tmp_path) == before  # no out.txt, no temporary file


def test_empty_file_is_clean(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    proc = mtnorm("check", "empty.txt", cwd=tmp_path)
    assert proc.returncode == 0 and error_lines(proc) == []
    proc = mtnorm("fix", "empty.txt", "-o", "out.txt", cwd=tmp_path)
    assert proc.returncode == 0 and (tmp_path / "out.txt").read_bytes() == b""


def test_malformed_jsonl_line_is_reported_and_passed_through(tmp_path: Path) -> None:
    lines = [json.dumps({"id": 1, "text": "The the talks resumed."}), "{not json",
             json.dumps({"id": 3, "text": "Fine."})]
    (tmp_path / "in.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = snapshot(tmp_path)
    proc = mtnorm("fix", "in.jsonl", "-o", "out.jsonl", cwd=tmp_path)
    assert proc.returncode == 2
    [line] = error_lines(proc)
    assert line.startswith("mtnorm: error: in.jsonl:2: malformed JSON")
    out = (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()
    assert out[1] == "{not json" and len(out) == 3
    assert json.loads(out[0])["text"] == "The talks resumed."
    assert (tmp_path / "in.jsonl").read_bytes() == before["in.jsonl"]


def test_missing_file_is_one_line_and_the_rest_go_on(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(DIRTY, encoding="utf-8")
    proc = mtnorm("check", "nope.txt", "a.txt", "-f", "json", cwd=tmp_path)
    assert proc.returncode == 2
    [line] = error_lines(proc)
    assert "nope.txt" in line
    report = json.loads(proc.stdout)
    assert [(f["path"], f.get("error")) for f in report["files"]] == [("nope.txt", "no such file"),
                                                                       ("a.txt", None)]
    assert {f["rule"] for f in report["files"][1]["findings"]} >= {"debris.pattern", "repetition.doubled_word"}


def test_unwritable_output_is_exit_2_and_input_kept(tmp_path: Path) -> None:
    """Writing where no file can be created (the parent is a file) fails cleanly: root ignores
    permission bits, so a read-only directory cannot stand in for this here."""
    (tmp_path / "a.txt").write_text(DIRTY, encoding="utf-8")
    (tmp_path / "blocker").write_text("x", encoding="utf-8")
    before = snapshot(tmp_path)
    proc = mtnorm("fix", "a.txt", "-o", "blocker/out.txt", cwd=tmp_path)
    assert proc.returncode == 2
    [line] = error_lines(proc)
    assert "blocker/out.txt" in line
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("command", ["check", "fix"])
def test_stdin_dash_round_trip(tmp_path: Path, command: str) -> None:
    proc = mtnorm(command, "-", cwd=tmp_path, stdin=DIRTY.encode("utf-8"))
    if command == "check":
        assert proc.returncode == 1 and b"debris.pattern" in proc.stdout
    else:
        assert proc.returncode == 0 and proc.stdout == b"The talks resumed in Kyiv.\n"
