"""Fault suite, inputs (issue 10): bad .gz, special files, huge lines, big text files.

Each case runs the real command line and asserts the exit code, the one-line message naming the
file (and line), that the input bytes are unchanged, that nothing is written for a bad file and
that the other files of the run go on. Cases that need the size thresholds lowered run the CLI
in-process with the thresholds patched (the code path is the one a 200 MB file takes).
"""
from __future__ import annotations

import gzip
import json
import os
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from normalize import document
from normalize.batch import formats
from normalize.cli import main
from normalize.registry import all_rules

PYTHON = [sys.executable, "-m", "normalize"]


def mtnorm(*args: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[bytes]:
    """Run the command line as a user would; a hang fails the test instead of the suite."""
    return subprocess.run([*PYTHON, *args], cwd=cwd, capture_output=True, timeout=timeout)


def run_inline(argv: list[str]) -> int:
    try:
        return main(argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 2


def errors(stderr: bytes | str) -> list[str]:
    text = stderr.decode("utf-8", "replace") if isinstance(stderr, bytes) else stderr
    return [line for line in text.splitlines() if line.startswith("mtnorm: error:")]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


# -- .gz that cannot be read ------------------------------------------------------------------
def _truncated_gz() -> bytes:
    data = gzip.compress(b"x y\n" * 99999)
    return data[:len(data) // 2]


def _corrupt_gz(payload: bytes) -> bytes:
    data = bytearray(gzip.compress(payload))
    data[30:60] = b"A" * 30  # inside the deflate stream: zlib.error, not a CRC mismatch
    return bytes(data)


def test_truncated_gz_is_one_line_and_the_other_files_go_on(tmp_path: Path) -> None:
    (tmp_path / "t.txt.gz").write_bytes(_truncated_gz())
    (tmp_path / "a.txt").write_text("The talks resumed in Kiev.\n", encoding="utf-8")
    before = snapshot(tmp_path)
    proc = mtnorm("check", "t.txt.gz", "a.txt", "-f", "json", cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert errors(proc.stderr) == ["mtnorm: error: t.txt.gz: compressed data cut short "
                                   "(truncated .gz file)"]
    assert b"Traceback" not in proc.stderr
    files = json.loads(proc.stdout)["files"]
    assert [f["path"] for f in files] == ["t.txt.gz", "a.txt"]
    assert [f["rule"] for f in files[1]["findings"]] == ["toponym.variant"]
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("name", ["c.jsonl.gz", "c.txt.gz"])
def test_corrupt_gz_writes_nothing_for_it(tmp_path: Path, name: str) -> None:
    record = json.dumps({"id": 1, "text": "The the talks resumed in Kiev."}) + "\n"
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / name).write_bytes(_corrupt_gz(record.encode() * 5000))
    (tmp_path / "in" / "b.jsonl").write_text(record, encoding="utf-8")
    before = snapshot(tmp_path / "in")
    proc = mtnorm("fix", "in", "--include", "*.gz", "--include", "*.jsonl", "--output-dir", "out",
                  cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    [line] = errors(proc.stderr)
    assert line.startswith(f"mtnorm: error: in/{name}: corrupt .gz file (Error -3 ")
    assert b"Traceback" not in proc.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["b.jsonl"]
    assert json.loads((tmp_path / "out" / "b.jsonl").read_text())["text"] == \
        "The talks resumed in Kyiv."
    assert snapshot(tmp_path / "in") == before


def test_not_gzip_at_all(tmp_path: Path) -> None:
    (tmp_path / "n.txt.gz").write_bytes(b"plain text, not gzip\n")
    proc = mtnorm("fix", "n.txt.gz", "-o", "out.txt", cwd=tmp_path)
    assert proc.returncode == 2
    [line] = errors(proc.stderr)
    assert line.startswith("mtnorm: error: n.txt.gz: corrupt .gz file (Not a gzipped file")
    assert not (tmp_path / "out.txt").exists()


# -- devices, FIFOs, sockets -------------------------------------------------------------------
def test_dev_zero_is_refused_at_once(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("The talks resumed in Kiev.\n", encoding="utf-8")
    proc = mtnorm("check", "/dev/zero", "a.txt", cwd=tmp_path, timeout=60)
    assert proc.returncode == 2
    assert errors(proc.stderr) == [
        "mtnorm: error: /dev/zero: is a character device, not a regular file "
        "(pipe it to standard input with '-' instead)"]
    assert b"a.txt:1:22: warning toponym.variant" in proc.stdout


def test_dev_zero_on_standard_input_ends(tmp_path: Path) -> None:
    with open("/dev/zero", "rb") as zero:
        proc = subprocess.run([*PYTHON, "check", "-"], cwd=tmp_path, stdin=zero,
                              capture_output=True, timeout=60)
    assert proc.returncode == 2
    assert errors(proc.stderr) == ["mtnorm: error: <stdin>: binary file (contains NUL bytes), not text"]


def test_fifo_in_a_directory_is_skipped_with_a_note(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    folder.mkdir()
    os.mkfifo(folder / "p.txt")  # nobody writes to it: reading it would block for ever
    (folder / "a.txt").write_text("Kiev\n", encoding="utf-8")
    proc = mtnorm("check", "d", cwd=tmp_path, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "mtnorm: note: d/p.txt: skipped: a FIFO (named pipe), not a regular file" in \
        proc.stderr.decode().splitlines()
    assert proc.stdout.decode().startswith("d/a.txt:1:1: warning toponym.variant 'Kiev'")
    proc = mtnorm("fix", "--in-place", "d", cwd=tmp_path, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert (folder / "p.txt").is_fifo() and (folder / "a.txt").read_text() == "Kyiv\n"


def test_fifo_named_is_refused(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "p.txt")
    proc = mtnorm("fix", "--in-place", "p.txt", cwd=tmp_path, timeout=60)
    assert proc.returncode == 2
    assert errors(proc.stderr) == ["mtnorm: error: p.txt: is a FIFO (named pipe), not a regular "
                                   "file (pipe it to standard input with '-' instead)"]
    assert (tmp_path / "p.txt").is_fifo()


# -- huge lines ---------------------------------------------------------------------------------
def test_50_mb_line_is_reported_once_with_its_length(tmp_path: Path) -> None:
    (tmp_path / "long.txt").write_bytes(b"Fine.\n" + "Kiev é ".encode() * 7_000_000 + b"\nend\n")
    (tmp_path / "a.txt").write_text("Kiev\n", encoding="utf-8")
    proc = mtnorm("fix", "long.txt", "a.txt", "--output-dir", "out", cwd=tmp_path)
    assert proc.returncode == 2
    assert errors(proc.stderr) == ["mtnorm: error: long.txt:2: line is 49,000,000 characters long "
                                   "(limit 1,000,000); is this really prose?"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.txt"]


def test_huge_jsonl_line_is_reported_once_with_its_length_and_passed_through(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(formats, "MAX_RECORD_BYTES", 1000)
    long_line = json.dumps({"id": 2, "text": "Kiev " * 1000}) + "\n"
    data = ('{"id": 1, "text": "Kiev"}\n' + long_line + '{"id": 3, "text": "Kiev"}').encode()
    (tmp_path / "in.jsonl").write_bytes(data)
    assert run_inline(["fix", "in.jsonl", "-o", "out.jsonl"]) == 2
    assert errors(capsys.readouterr().err) == [
        f"mtnorm: error: in.jsonl:2: line longer than 1,000 bytes ({len(long_line):,} bytes); "
        "passed through"]
    assert (tmp_path / "out.jsonl").read_bytes() == data.replace(b'"Kiev"', b'"Kyiv"')
    assert (tmp_path / "in.jsonl").read_bytes() == data


def test_huge_line_in_a_file_read_in_pieces_is_reported_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    _small_thresholds(monkeypatch, max_line=1000)
    (tmp_path / "long.txt").write_bytes(b"Fine.\n" * 5000 + "é".encode() * 70_000 + b"\nend\n")
    assert run_inline(["check", "long.txt"]) == 2
    err = capsys.readouterr().err
    assert errors(err) == ["mtnorm: error: long.txt:5001: line is 70,000 characters long "
                           "(limit 1,000); is this really prose?"]


def test_binary_file_read_in_pieces_is_reported_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    _small_thresholds(monkeypatch)
    (tmp_path / "bin.txt").write_bytes(b"\x00binary\n" * 20_000)
    assert run_inline(["fix", "bin.txt", "-o", "out.txt"]) == 2
    assert errors(capsys.readouterr().err) == [
        "mtnorm: error: bin.txt: binary file (contains NUL bytes), not text"]
    assert not (tmp_path / "out.txt").exists()


def test_invalid_utf8_in_every_piece_is_reported_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    _small_thresholds(monkeypatch)
    (tmp_path / "bad.txt").write_bytes(b"Fine line.\nbad \xff here\n\n" * 5000)
    assert run_inline(["check", "bad.txt"]) == 2
    assert errors(capsys.readouterr().err) == [
        "mtnorm: error: bad.txt:2: not valid UTF-8: byte 0xff at column 5 "
        "(convert the file to UTF-8, e.g. with iconv)"]


# -- big text files: one document, or pieces placed in the whole file ----------------------------
PIECE = 4096
DOCUMENT = 16 * 1024


def _small_thresholds(monkeypatch: pytest.MonkeyPatch, *, max_line: int | None = None) -> None:
    monkeypatch.setattr(formats, "TEXT_PIECE_BYTES", PIECE)
    monkeypatch.setattr(formats, "TEXT_DOCUMENT_BYTES", DOCUMENT)
    if max_line is not None:
        monkeypatch.setattr(formats, "MAX_LINE_CHARS", max_line)
        monkeypatch.setattr(document, "MAX_LINE_CHARS", max_line)


WORDS = ["government", "officials", "said", "talks", "would", "continue", "next", "week", "while", "the", "ministry", "reported", "progress", "on", "trade", "energy", "schools", "café", "Zürich", "—", "“quoted”", "résumé"]


def prose(size: int, seed: int = 7, newline: str = "\n") -> str:
    """Varied sentences (no doubled words), non-ASCII letters, paragraphs, a place now and then."""
    rng = random.Random(seed)
    parts, n = [], 0
    while n < size:
        words = [rng.choice(WORDS)]
        while len(words) < rng.randint(6, 16):
            word = rng.choice(WORDS)
            if word != words[-1]:
                words.append(word)
        if rng.random() < 0.1:
            words += ["in", rng.choice(["Kiev", "Odessa", "Paris", "Kharkov"])]
        if rng.random() < 0.05:  # line rules' findings too: debris.html, typography.double_space
            words.insert(1, rng.choice(["&amp;", ""]))
        sentence = " ".join(words)
        sentence = sentence[0].upper() + sentence[1:] + "."
        sentence += newline * rng.choice((0, 0, 1, 2)) or " "
        if sentence.endswith(newline) and rng.random() < 0.05:
            sentence += "[ad_1]" + newline  # a line that fixing removes
        parts.append(sentence)
        n += len(sentence.encode())
    return "".join(parts)


def _big_text(newline: str = "\n") -> str:
    return (f"The talks resumed in Nagorny Karabakh.{newline}{newline}" + prose(60_000, newline=newline)
            + f"{newline}Fighting stopped in Nagorno Karabakh.{newline}")


def _check_json(path: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[dict], str]:
    code = run_inline(["check", path, "-f", "json", "--fail-on", "never"])
    out, err = capsys.readouterr()
    return code, json.loads(out)["files"][0]["findings"], err


rule_scope = {rule.id: rule.scope for rule in all_rules()}


def _where(text: str, start: int) -> tuple[int, int]:
    line = text.count("\n", 0, start) + 1
    return line, start - (text.rfind("\n", 0, start) + 1) + 1


def test_file_bigger_than_a_piece_is_one_document(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Under the one-document limit, a text file of many pieces' size is one document:
    the two spellings of Karabakh, 60 kB apart, are one inconsistency, fixed together."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(formats, "TEXT_PIECE_BYTES", PIECE)
    text = _big_text()
    (tmp_path / "big.txt").write_bytes(text.encode())
    code, findings, err = _check_json("big.txt", capsys)
    assert code == 0 and "note" not in err
    karabakh = [(f["rule"], f["text"], f["line"]) for f in findings if "Karabakh" in f["text"]]
    assert karabakh == [("toponym.variant", "Nagorny Karabakh", 1),
                        ("toponym.consistency", "Nagorno Karabakh", text.count("\n"))]
    for f in findings:
        assert text[f["start"]:f["end"]] == f["text"]
        assert (f["line"], f["column"]) == _where(text, f["start"])
    assert run_inline(["fix", "big.txt", "--unsafe", "-o", "out.txt"]) == 0
    fixed = (tmp_path / "out.txt").read_text(encoding="utf-8")
    assert "Nagorny" not in fixed and fixed.count("Nagorno-Karabakh") == 2


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_pieces_of_a_file_over_the_limit_are_placed_in_the_whole_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        newline: str) -> None:
    """Over the one-document limit the file is checked in pieces, with the document facts
    of a first pass: the same findings at the same offsets, lines and columns into the
    whole file (BOM stripped, multi-byte text before) as when the file is one document,
    the two spellings of Karabakh in different pieces included; no note; one record;
    the same fixed text."""
    monkeypatch.chdir(tmp_path)
    text = _big_text(newline)
    data = b"\xef\xbb\xbf" + text.encode()
    (tmp_path / "big.txt").write_bytes(data)
    code, whole, err = _check_json("big.txt", capsys)
    assert code == 0 and "note" not in err
    assert run_inline(["fix", "big.txt", "-o", "whole.txt"]) == 0
    capsys.readouterr()

    _small_thresholds(monkeypatch)
    code, pieces, err = _check_json("big.txt", capsys)
    assert code == 0 and "note" not in err
    assert len(data) > 5 * PIECE
    rules = {f["rule"] for f in pieces}

    def key(f: dict) -> tuple:
        return (f["rule"], f["start"], f["end"], f["line"], f["column"], f["text"], f["message"],
                f["replacement"], f["fix"], f["severity"])
    assert {"debris.pattern", "typography.double_space", "toponym.variant",
            "toponym.consistency"} <= rules
    assert sorted(key(f) for f in pieces) == sorted(key(f) for f in whole)
    for f in pieces:
        assert text[f["start"]:f["end"]] == f["text"], f
        assert (f["line"], f["column"]) == _where(text, f["start"]), f
    # A fix at several places is named after its first place, in the whole file too.
    groups = {f["group"] for f in pieces if f.get("group")}
    assert len(groups) > 2
    for group in groups:
        members = [f for f in pieces if f.get("group") == group]
        first = min(members, key=lambda f: f["start"])
        assert group == f'{first["rule"]}@{first["line"]}:{first["column"]}'
    assert run_inline(["fix", "big.txt", "-o", "pieces.txt", "--report", "report.json"]) == 0
    totals = json.loads((tmp_path / "report.json").read_text())["totals"]
    assert (totals["records_in"], totals["records_out"], totals["changed"], totals["failed"]) == \
        (1, 1, 1, 0)
    whole_fixed = (tmp_path / "whole.txt").read_bytes()
    pieces_fixed = (tmp_path / "pieces.txt").read_bytes()
    # Fixed with the facts of the text as it was: a fix that only another fix makes safe
    # ("Nagorno Karabakh" once "Nagorny Karabakh" has become "Nagorno-Karabakh") waits
    # for the next run.
    end = f"Fighting stopped in Nagorno-Karabakh.{newline}".encode()
    assert whole_fixed.endswith(end)
    assert pieces_fixed == whole_fixed[:-len(end)] + end.replace(b"Nagorno-", b"Nagorno ")
    assert (tmp_path / "big.txt").read_bytes() == data
    if newline == "\n" and shutil.which("patch"):
        _diff_of_pieces_is_one_patch(tmp_path, text, capsys)


def _diff_of_pieces_is_one_patch(tmp_path: Path, text: str,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    """--diff of a file in pieces: one header, hunks numbered in the whole file (after lines
    removed in earlier pieces too), so that ``patch`` gives the fixed file."""
    (tmp_path / "plain.txt").write_text(text, encoding="utf-8")
    capsys.readouterr()
    assert run_inline(["fix", "plain.txt", "--diff"]) == 1
    diff = capsys.readouterr().out
    assert diff.count("+++ ") == 1 and diff.count("\n-[ad_1]") > 3
    assert run_inline(["fix", "plain.txt", "-o", "fixed.txt"]) == 0
    (tmp_path / "fix.patch").write_text(diff, encoding="utf-8")
    proc = subprocess.run(["patch", "--quiet", "-o", "patched.txt", "plain.txt", "fix.patch"],
                          cwd=tmp_path, capture_output=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    fixed = (tmp_path / "fixed.txt").read_text(encoding="utf-8")
    assert (tmp_path / "patched.txt").read_text(encoding="utf-8") == fixed
    # patch forgives hunks a few lines off; the numbers must be exact.
    old_lines, new_lines = text.splitlines(keepends=True), fixed.splitlines(keepends=True)
    hunks = re.findall(r"(?m)^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@\n((?:[ +-].*\n)*)", diff)
    assert len(hunks) > 5
    for old, old_n, new, new_n, body in hunks:
        lines = body.splitlines(keepends=True)
        before = [line[1:] for line in lines if line[0] in " -"]
        after = [line[1:] for line in lines if line[0] in " +"]
        first_old = int(old) - (old_n != "0")
        first_new = int(new) - (new_n != "0")
        assert old_lines[first_old:first_old + len(before)] == before
        assert new_lines[first_new:first_new + len(after)] == after


def test_real_size_9_mb_file_is_one_document(tmp_path: Path) -> None:
    """Just over the old 8 MiB cut, at the real thresholds, through the real command."""
    text = _big_text().replace(prose(60_000), prose(9_000_000, seed=3))
    data = text.encode()
    assert len(data) > formats.TEXT_PIECE_BYTES
    (tmp_path / "big.txt").write_bytes(data)
    proc = mtnorm("check", "big.txt", "-f", "json", "--fail-on", "never", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    findings = json.loads(proc.stdout)["files"][0]["findings"]
    assert [f["text"] for f in findings if f["rule"] == "toponym.consistency"] == ["Nagorno Karabakh"]
    last = findings[-1]
    assert last["line"] == text.count("\n") and text[last["start"]:last["end"]] == last["text"]
    for f in findings[::50]:
        assert text[f["start"]:f["end"]] == f["text"]
    assert (tmp_path / "big.txt").read_bytes() == data
