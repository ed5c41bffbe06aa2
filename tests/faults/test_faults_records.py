"""Fault suite: batch records (JSONL, TSV) that are hostile, and summaries that must tell the truth.

Issue 10: a lone surrogate killed a batch; a BOM failed the first record;
null fields went by silently; summaries did not add up (in = out + failed),
``files_with_errors`` counted unreadable files, ``--report`` was lost on
Ctrl-C, ``check -q`` printed a summary; record findings gave no position
inside the field. Most cases run the real command in a subprocess and
assert exit codes, messages, the bytes of every input afterwards and the
counts; the property test feeds generated records through the batch code
in-process (for speed) and checks the same invariants.
"""
from __future__ import annotations

import io
import json
import os
import re
import select
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from normalize.batch.formats import chunks_of, run_chunk
from normalize.batch.inputs import InputFile
from normalize.batch.records import Task, value_spans
from normalize.batch.summary import FileSummary
from normalize.cli import main
from normalize.linter import Options

SURROGATE_LINE = b'{"id":2,"text":"\\ud800 Kiev the the"}\n'
SUMMARY = re.compile(r"(?P<files>[\d,]+) files?(?: \((?P<notes>[^)]*)\))?, (?P<into>[\d,]+) records? in, "
                     r"(?:(?P<out>[\d,]+) out, [\d,]+ changed|[\d,]+ findings), (?P<failed>[\d,]+) failed")


def mtnorm(*args: str, cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run the command line as a user would; never hangs the suite."""
    return subprocess.run([sys.executable, "-m", "normalize", *args], cwd=cwd, input=stdin,
                          capture_output=True, timeout=120)


def errors(proc: subprocess.CompletedProcess[bytes]) -> list[str]:
    return [ln for ln in proc.stderr.decode("utf-8").splitlines() if ln.startswith("mtnorm: error:")]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def summary_counts(stderr: str) -> dict[str, int]:
    """The summary line's counts; asserts in = out + failed (check: in = checked + failed)."""
    match = SUMMARY.search(stderr)
    assert match, stderr
    counts = {k: int(v.replace(",", "")) for k, v in match.groupdict().items()
              if v is not None and k != "notes"}
    assert counts["into"] == counts.get("out", counts["into"] - counts["failed"]) + counts["failed"]
    return counts


def balanced(report: dict) -> dict:
    totals = report["totals"]
    assert totals["records_in"] == totals["records_out"] + totals["failed"], totals
    assert totals["passed_through"] <= totals["failed"]
    assert sum(f["records"] for f in report["files"]) == totals["records_in"]
    for f in report["files"]:
        assert f["records"] == f["written"] + f["failed"], f
    return totals


# -- 1. lone surrogates -------------------------------------------------------------------------
def test_lone_surrogate_is_a_failed_record_passed_through(tmp_path: Path) -> None:
    data = (b'{"id":1,"text":"Talks in Kiev."}\n' + SURROGATE_LINE
            + b'{"id":3,"text":"The the talks."}\n')
    (tmp_path / "s.jsonl").write_bytes(data)
    proc = mtnorm("fix", "s.jsonl", "-o", "o.jsonl", "--report", "r.json", cwd=tmp_path)
    stderr = proc.stderr.decode()
    assert proc.returncode == 2 and "Traceback" not in stderr
    assert errors(proc) == [("mtnorm: error: s.jsonl:2 (id 2): field 'text' has a lone surrogate "
                             "\\ud800 at character 1: not valid Unicode; record passed through unchanged")]
    assert (tmp_path / "s.jsonl").read_bytes() == data
    out = (tmp_path / "o.jsonl").read_bytes().splitlines(keepends=True)
    assert out == [b'{"id":1,"text":"Talks in Kyiv."}\n', SURROGATE_LINE, b'{"id":3,"text":"The talks."}\n']
    assert summary_counts(stderr) == {"files": 1, "into": 3, "out": 2, "failed": 1}
    assert "1 failed (1 passed through unchanged)" in stderr
    totals = balanced(json.loads((tmp_path / "r.json").read_text()))
    assert totals["passed_through"] == 1 and totals["changed"] == 2


def test_surrogate_in_a_directory_does_not_stop_later_files(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.jsonl").write_bytes(SURROGATE_LINE)
    (tmp_path / "d" / "b.jsonl").write_bytes(b'{"id":"b1","text":"Kiev the the"}\n')
    before = snapshot(tmp_path / "d")
    proc = mtnorm("fix", "d", "--output-dir", "out", "--report", "r.json", cwd=tmp_path)
    assert proc.returncode == 2 and b"Traceback" not in proc.stderr
    assert [e.split(": field")[0] for e in errors(proc)] == ["mtnorm: error: d/a.jsonl:1 (id 2)"]
    assert snapshot(tmp_path / "d") == before
    assert (tmp_path / "out" / "a.jsonl").read_bytes() == SURROGATE_LINE
    assert (tmp_path / "out" / "b.jsonl").read_bytes() == b'{"id":"b1","text":"Kyiv the"}\n'
    report = json.loads((tmp_path / "r.json").read_text())
    totals = balanced(report)
    assert (totals["records_in"], totals["records_out"], totals["failed"]) == (2, 1, 1)
    assert [(f["path"], f["line"], f["id"]) for f in report["failures"]] == [("d/a.jsonl", 1, "2")]


@pytest.mark.parametrize("fmt", ["text", "json", "sarif"])
def test_surrogate_in_the_id_is_printed_escaped(tmp_path: Path, fmt: str) -> None:
    (tmp_path / "i.jsonl").write_bytes(b'{"id":"x\\udc80","text":"Talks in Kiev."}\n')
    proc = mtnorm("check", "-f", fmt, "i.jsonl", cwd=tmp_path)
    assert proc.returncode == 0 and b"Traceback" not in proc.stderr
    out = proc.stdout.decode("utf-8")  # strict: the output is valid UTF-8
    if fmt == "text":
        assert out.startswith("i.jsonl:1:34: [id x\\udc80, field text 1:10] warning toponym.variant")
    elif fmt == "json":
        [finding] = json.loads(out)["files"][0]["findings"]
        assert finding["data"]["record"] == "x\\udc80"
    else:
        [result] = json.loads(out)["runs"][0]["results"]
        assert result["properties"]["record"] == "x\\udc80"


# -- 2. BOM ---------------------------------------------------------------------------------------
def test_jsonl_bom_is_accepted_and_kept(tmp_path: Path) -> None:
    data = b'\xef\xbb\xbf{"id":1,"text":"Talks in Kiev."}\r\n{"id":2,"text":"Fine."}\r\n'
    (tmp_path / "b.jsonl").write_bytes(data)
    proc = mtnorm("fix", "b.jsonl", "-o", "o.jsonl", cwd=tmp_path)
    assert proc.returncode == 0 and errors(proc) == []
    assert (tmp_path / "o.jsonl").read_bytes() == data.replace(b"Kiev", b"Kyiv")
    assert (tmp_path / "b.jsonl").read_bytes() == data
    proc = mtnorm("check", "b.jsonl", cwd=tmp_path)
    # The column counts code points of the line after the BOM (as for text files).
    assert proc.stdout.decode().startswith("b.jsonl:1:26: [id 1, field text 1:10] warning toponym.variant")


def test_tsv_bom_does_not_hide_the_first_column(tmp_path: Path) -> None:
    data = b"\xef\xbb\xbfid\ttext\nt1\tTalks in Kiev.\n"
    (tmp_path / "b.tsv").write_bytes(data)
    proc = mtnorm("check", "b.tsv", cwd=tmp_path)
    assert proc.returncode == 0
    assert proc.stdout.decode().startswith("b.tsv:2:13: [id t1, field text 1:10] warning toponym.variant")
    proc = mtnorm("fix", "b.tsv", "-o", "o.tsv", cwd=tmp_path)
    assert proc.returncode == 0 and (tmp_path / "o.tsv").read_bytes() == data.replace(b"Kiev", b"Kyiv")


# -- 3. null fields -------------------------------------------------------------------------------
def test_null_field_is_counted_and_reported_not_silent(tmp_path: Path) -> None:
    data = (b'{"id":1,"text":null}\n{"id":2,"text":"Talks in Kiev."}\n{"id":3,"text":null}\n')
    (tmp_path / "n.jsonl").write_bytes(data)
    proc = mtnorm("check", "n.jsonl", "--report", "r.json", cwd=tmp_path)
    stderr = proc.stderr.decode()
    assert proc.returncode == 0 and errors(proc) == []  # null is "no value", not a broken record
    assert "mtnorm: warning: n.jsonl:1 (id 1): field 'text' is null; 2 null fields skipped in this file" \
        in stderr
    assert "2 null fields skipped" in stderr.splitlines()[-1]
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["totals"]["skipped_null_fields"] == 2 and report["files"][0]["skipped"] == 2
    balanced(report)
    # A missing field and a number are failures (exit 2), each named with its line.
    (tmp_path / "n.jsonl").write_bytes(b'{"id":1}\n{"id":2,"text":5}\n')
    proc = mtnorm("check", "n.jsonl", cwd=tmp_path)
    assert proc.returncode == 2
    assert errors(proc) == ["mtnorm: error: n.jsonl:1 (id 1): no field 'text'",
                            "mtnorm: error: n.jsonl:2 (id 2): field 'text' is int, not text"]


# -- 4. summaries -------------------------------------------------------------------------------
def test_files_with_errors_counts_error_findings_and_unreadable_apart(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.txt").write_text("[ad_1]\nTalks resumed.\n", encoding="utf-8")  # error
    (tmp_path / "d" / "b.txt").write_text("[ad_1]\nTalks in Kiev.\n", encoding="utf-8")  # error
    (tmp_path / "d" / "c.txt").write_text("Talks in Kiev.\n", encoding="utf-8")  # a warning
    (tmp_path / "d" / "e.txt").write_bytes(b"caf\xe9\n")  # unreadable
    proc = mtnorm("check", "-f", "json", "d", cwd=tmp_path)
    assert proc.returncode == 2
    summary = json.loads(proc.stdout)["summary"]
    assert summary["by_severity"]["error"] == 2
    assert (summary["files"], summary["files_with_errors"], summary["files_unreadable"]) == (4, 2, 1)
    proc = mtnorm("check", "d", cwd=tmp_path)
    assert proc.stdout.decode().splitlines()[-1] == \
        "2 errors, 2 warnings in 3 files; 1 file could not be read"


def test_vanished_file_keeps_in_equal_out_plus_failed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    """c.jsonl vanishes while a.jsonl is read; b.txt cannot be decoded (the issue's 49/48/2)."""
    import normalize.batch.run as batch_run

    monkeypatch.chdir(tmp_path)
    (tmp_path / "corpus").mkdir()
    for name in ("a", "c"):
        (tmp_path / "corpus" / f"{name}.jsonl").write_bytes(b'{"text":"Kiev."}\n' * 3)
    (tmp_path / "corpus" / "b.txt").write_bytes(b"caf\xe9\n")
    real = batch_run.chunks_of

    def chunks_of(file_no, source, stream, options, task):
        if source.path.endswith("a.jsonl") and (tmp_path / "corpus" / "c.jsonl").exists():
            os.unlink(tmp_path / "corpus" / "c.jsonl")
        return real(file_no, source, stream, options, task)

    monkeypatch.setattr(batch_run, "chunks_of", chunks_of)
    assert main(["fix", "corpus", "--output-dir", "out", "--report", "r.json", "-j", "1"]) == 2
    err = capsys.readouterr().err
    assert "corpus/c.jsonl: no such file" in err and "corpus/b.txt:1: not valid UTF-8" in err
    assert summary_counts(err) == {"files": 3, "into": 5, "out": 3, "failed": 2}
    assert "3 files (2 unreadable), 5 records in, 3 out, 3 changed, 2 failed in" in err
    totals = balanced(json.loads((tmp_path / "r.json").read_text()))
    assert totals["files_unreadable"] == 2 and totals["passed_through"] == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.jsonl"]


def test_report_is_written_on_ctrl_c(tmp_path: Path) -> None:
    """SIGINT while standard input is still open: the report says what was done, marked interrupted.

    Deterministic: the run cannot end before the signal, because its input never ends.
    """
    (tmp_path / "a.jsonl").write_bytes(b'{"id":"a","text":"Talks in Kiev."}\n')
    # One record to fix, then clean ones: more than two chunks of 1 MB (a chunk goes
    # out once the next one is cut), with a diff small enough for any pipe.
    head = (b'{"id":"s","text":"Talks in Kiev."}\n'
            + b'{"id":"c","text":"Talks resumed on Monday after a pause."}\n' * 45_000)
    proc = subprocess.Popen([sys.executable, "-m", "normalize", "fix", "--diff", "-j", "1",
                             "--input-format", "jsonl", "a.jsonl", "-", "--report", "r.json"],
                            cwd=tmp_path, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    try:
        def feed() -> None:  # from a thread: the pipe holds 64 kB; standard input stays open
            try:
                proc.stdin.write(head)
                proc.stdin.flush()
            except BrokenPipeError:  # interrupted before reading it all
                pass

        writer = threading.Thread(target=feed, daemon=True)
        writer.start()
        seen = b""
        deadline = time.monotonic() + 90
        while b"<stdin>\n@@" not in seen:  # a diff of standard input's first chunk: it is running
            assert time.monotonic() < deadline and proc.poll() is None, seen
            if select.select([proc.stdout], [], [], 1.0)[0]:
                seen += os.read(proc.stdout.fileno(), 65536)
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130 and b"Traceback" not in stderr
    assert stderr.decode().strip().splitlines()[-1] == "mtnorm: interrupted"
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["interrupted"] is True
    totals = balanced(report)
    files = {f["path"]: f for f in report["files"]}
    assert files["a.jsonl"]["records"] == 1 and files["a.jsonl"]["changed"] == 1
    assert files["<stdin>"]["unfinished"] is True and files["<stdin>"]["records"] >= 1
    assert files["<stdin>"]["error"] == "interrupted before the end; not written"
    assert totals["files_unfinished"] == 1 and not list(tmp_path.glob("*.mtnorm-tmp"))


def test_fail_fast_report_counts_the_stopped_file(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_bytes(b'{"text":"Kiev"}\n' + SURROGATE_LINE + b'{"text":"Kiev"}\n')
    (tmp_path / "b.jsonl").write_bytes(b'{"text":"Kiev"}\n')
    before = snapshot(tmp_path)
    proc = mtnorm("fix", "--in-place", "--fail-fast", "a.jsonl", "b.jsonl", "--report", "r.json",
                  cwd=tmp_path)
    assert proc.returncode == 2 and len(errors(proc)) == 1
    assert {k: v for k, v in snapshot(tmp_path).items() if k != "r.json"} == before  # nothing half-fixed
    report = json.loads((tmp_path / "r.json").read_text())
    totals = balanced(report)
    assert report["interrupted"] is True and totals["files_unfinished"] == 1
    assert [(f["path"], f["records"], f["written"], f.get("error")) for f in report["files"]] == [
        ("a.jsonl", 3, 0, "stopped by --fail-fast; not written")]


def test_check_quiet_prints_no_summary(tmp_path: Path) -> None:
    (tmp_path / "q.jsonl").write_bytes(b'{"id":1,"text":"Talks in Kiev."}\n')
    (tmp_path / "clean.txt").write_bytes(b"Talks resumed.\n")
    proc = mtnorm("check", "-q", "q.jsonl", cwd=tmp_path)
    assert proc.returncode == 0 and proc.stderr == b""
    assert proc.stdout.decode().splitlines() == [
        ("q.jsonl:1:26: [id 1, field text 1:10] warning toponym.variant 'Kiev' is an old name or "
         "exonym of Kyiv; default-en writes 'Kyiv' [safe fix: 'Kyiv']")]
    proc = mtnorm("check", "-q", "clean.txt", cwd=tmp_path)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, b"", b"")


# -- 5. positions inside fields -----------------------------------------------------------------
def test_record_findings_give_the_position_inside_the_field(tmp_path: Path) -> None:
    line = '{"id":"p","text":"Caf\\u00e9 news.\\nFighting near \\"Kiev\\" went on."}'
    (tmp_path / "p.jsonl").write_text(line + "\n", encoding="utf-8")
    (tmp_path / "p.tsv").write_text("id\ttext\nt1\tFighting near Kiev went on.\n", encoding="utf-8")
    proc = mtnorm("check", "-f", "json", "p.jsonl", "p.tsv", cwd=tmp_path)
    files = json.loads(proc.stdout)["files"]
    [jf], [tf] = files[0]["findings"], files[1]["findings"]
    # Line and column in the file: where the text is written in the JSON line, escapes and all.
    assert (jf["line"], jf["column"]) == (1, line.index("Kiev") + 1)
    assert (jf["data"]["field_line"], jf["data"]["field_column"]) == (2, 16)
    assert (tf["line"], tf["column"], tf["data"]["field_line"], tf["data"]["field_column"]) == (2, 18, 1, 15)
    proc = mtnorm("check", "p.jsonl", "p.tsv", cwd=tmp_path)
    text = proc.stdout.decode().splitlines()
    assert text[0].startswith(f"p.jsonl:1:{line.index('Kiev') + 1}: [id p, field text 2:16] warning")
    assert text[1].startswith("p.tsv:2:18: [id t1, field text 1:15] warning")
    proc = mtnorm("check", "-f", "sarif", "p.jsonl", cwd=tmp_path)
    [result] = json.loads(proc.stdout)["runs"][0]["results"]
    region = result["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 1, "startColumn": line.index("Kiev") + 1}
    assert (result["properties"]["fieldLine"], result["properties"]["fieldColumn"]) == (2, 16)


# -- 6. generated records -------------------------------------------------------------------------
OPTIONS = Options(lang="en", style="ap")
FRAGMENTS = ["Kiev", "the the", "[ad_1]", "\ufeff", "\x00", "\x1b", "\u2028", "\r", "\n", "\t", "é",
             "\U0001f600", "\ud800", "\udfff", "\\", '"', "/", "Nagorny Karabakh", "  ", "a The"]


@st.composite
def field_texts(draw) -> str:
    parts = draw(st.lists(st.one_of(st.sampled_from(FRAGMENTS),
                                    st.text(st.characters(blacklist_categories=()), max_size=8),
                                    st.just(" ")), max_size=12))
    text = "".join(parts)
    if draw(st.integers(0, 30)) == 0:  # now and then a large field
        text = ("Talks in Kiev resumed. " * 300) + text
    return text


def json_literal(draw, text: str) -> str:
    """A JSON string literal for ``text``, each character escaped or not, as writers differ."""
    out = ['"']
    for ch in text:
        code = ord(ch)
        style = draw(st.integers(0, 3))
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "/" and style == 0:
            out.append("\\/")
        elif code < 0x20 or 0xD800 <= code < 0xE000 or style == 1:
            if code > 0xFFFF:
                code -= 0x10000
                out.append(f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04X}")
            else:
                out.append(f"\\u{code:04x}" if style else f"\\u{code:04X}")
        else:
            out.append(ch)
    return "".join(out) + '"'


@st.composite
def jsonl_files(draw) -> bytes:
    lines = []
    for i in range(draw(st.integers(1, 6))):
        kind = draw(st.integers(0, 12))
        ending = draw(st.sampled_from([b"\n", b"\r\n"]))
        if kind == 0:
            lines.append(b"\n")  # blank: kept, not a record
        elif kind == 1:
            lines.append(b'{"id": ' + str(i).encode() + b', "text": null}' + ending)
        elif kind == 2:
            lines.append(b"not json " + draw(st.binary(max_size=6)).replace(b"\n", b"") + ending)
        elif kind == 3:
            lines.append(b'{"id": "\\ud83d", "text": "Kiev"}' + ending)
        else:
            literal = json_literal(draw, draw(field_texts()))
            spacing = draw(st.sampled_from(["", " ", "\t"]))
            body = f'{{"id":{spacing}{i},{spacing}"text":{spacing}{literal},"n":1e5}}'
            # A raw surrogate cannot be UTF-8: such a line is bytes that do not decode.
            lines.append(body.encode("utf-8", "surrogatepass") + ending)
    data = b"".join(lines)
    return (b"\xef\xbb\xbf" + data) if draw(st.booleans()) else data


@st.composite
def tsv_files(draw) -> bytes:
    rows = [b"id\ttext\n"]
    for i in range(draw(st.integers(1, 6))):
        text = draw(field_texts()).replace("\t", " ").replace("\n", " ").replace("\r", " ")
        cell = text.encode("utf-8", "surrogatepass")  # surrogates: a row that does not decode
        rows.append(f"r{i}\t".encode() + cell + b"\n")
    return b"".join(rows)


def run_batch(data: bytes, fmt: str, mode: str) -> tuple[bytes, FileSummary, list, list]:
    """The batch code on ``data``, in this process: output bytes, the file's counts, failures, findings."""
    task = Task(mode)
    source = InputFile(f"x.{fmt}", fmt)
    summary = FileSummary(source.path, fmt)
    out, findings, failures = [], [], []
    for chunk in chunks_of(0, source, io.BytesIO(data), OPTIONS, task):
        payload, outcome = run_chunk(task, chunk)
        out.append(payload)
        summary.add(outcome)
        findings += outcome.findings
        failures += outcome.failures
    summary.finish()
    return b"".join(out), summary, failures, findings


def _records_of(data: bytes) -> list[bytes]:
    """The file's lines as the batch reader numbers them: each ends at "\n" (kept)."""
    return io.BytesIO(data).readlines()


def check_invariants(data: bytes, fmt: str) -> None:
    # check: positions point at the finding's text in the file's line
    _, summary, failures, findings = run_batch(data, fmt, "check")
    assert summary.records == summary.written + summary.failed and summary.failed == len(failures)
    # Records end at "\n" only: a bare "\r" inside a line (a "not json" line may hold one)
    # is no line break for JSONL or TSV, though bytes.splitlines would cut there.
    lines = _records_of(data)
    for f in findings:
        raw = lines[f.line - 1].decode("utf-8").rstrip("\r\n").lstrip("\ufeff")
        if fmt == "tsv":
            cells = raw.split("\t")
            assert raw[f.column - 1:].startswith(cells[1][f.start:f.end])
        else:
            start, end = value_spans(raw)["text"]
            # The literal up to the column decodes to the field up to the finding.
            assert json.loads(raw[start:f.column - 1] + '"') == json.loads(raw[start:end])[:f.start]
        assert f.data["field_line"] >= 1 and f.data["field_column"] >= 1
    # fix: failed and unchanged records byte-identical, changed ones only in their field
    fixed, summary, failures, _ = run_batch(data, fmt, "fix")
    assert summary.records == summary.written + summary.failed
    assert summary.passed_through == summary.failed == len(failures)
    out_lines = _records_of(fixed)
    assert len(out_lines) == len(lines)
    failed_lines = {f.line for f in failures}
    for no, (before, after) in enumerate(zip(lines, out_lines), 1):
        if no in failed_lines or before == after:
            assert before == after
            continue
        assert before.endswith(b"\r\n") == after.endswith(b"\r\n")
        assert before.startswith(b"\xef\xbb\xbf") == after.startswith(b"\xef\xbb\xbf")
        old, new = (b.decode("utf-8").lstrip("\ufeff") for b in (before, after))
        if fmt == "tsv":
            assert old.split("\t")[0] == new.split("\t")[0]
        else:
            (s0, e0), (s1, e1) = value_spans(old)["text"], value_spans(new)["text"]
            assert old[:s0] == new[:s1] and old[e0:] == new[e1:]  # every other byte kept
            assert json.loads(new)["text"] == json.loads(new[s1:e1])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.data_too_large])
@given(data=jsonl_files())
def test_generated_jsonl_records_never_crash_and_balance(data: bytes) -> None:
    check_invariants(data, "jsonl")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.data_too_large])
@given(data=tsv_files())
def test_generated_tsv_records_never_crash_and_balance(data: bytes) -> None:
    check_invariants(data, "tsv")


def test_hostile_records_through_the_cli(tmp_path: Path) -> None:
    """One file of each kind holding every hazard at once, through the real command."""
    jsonl = (b'\xef\xbb\xbf{"id":"\\udc00","text":"Kiev \\u0000 the the \\ud83d\\ude00"}\n'
             + SURROGATE_LINE
             + b'{"id":3,"text":null}\n'
             + b'{"id":4,"text":"' + b"x" * 100_000 + b' Kiev"}\r\n'
             + b'{"id":5,"n":' + b"1" * 5000 + b',"text":"Kiev"}\n'
             + b'{"id":6,"text":' + b"[" * 50_000 + b"]" * 50_000 + b"}\n"
             + b'{"id":7,"text":"caf\xc3"}\n')
    tsv = b"id\ttext\nt1\t\xef\xbb\xbfKiev\x1b the the\nt2\t\xed\xa0\x80 Kiev\nt3\n"
    (tmp_path / "h.jsonl").write_bytes(jsonl)
    (tmp_path / "h.tsv").write_bytes(tsv)
    proc = mtnorm("fix", "h.jsonl", "h.tsv", "--output-dir", "out", "--report", "r.json", cwd=tmp_path)
    stderr = proc.stderr.decode()
    assert proc.returncode == 2 and "Traceback" not in stderr
    assert [e.split(":")[1:3] for e in errors(proc)] == [
        [" error", " h.jsonl"]] * 4 + [[" error", " h.tsv"]] * 2
    assert [int(e.split(":")[3].split()[0]) for e in errors(proc)] == [2, 5, 6, 7, 3, 4]
    assert (tmp_path / "h.jsonl").read_bytes() == jsonl and (tmp_path / "h.tsv").read_bytes() == tsv
    out = (tmp_path / "out" / "h.jsonl").read_bytes().splitlines(keepends=True)
    assert out[0] == b'\xef\xbb\xbf{"id":"\\udc00","text":"Kyiv \\u0000 the \xf0\x9f\x98\x80"}\n'
    assert out[1:3] + out[4:] == jsonl.splitlines(keepends=True)[1:3] + jsonl.splitlines(keepends=True)[4:]
    assert out[3].endswith(b' Kyiv"}\r\n')
    assert (tmp_path / "out" / "h.tsv").read_bytes() == tsv.replace(b"\xef\xbb\xbfKiev\x1b the the", b"Kyiv\x1b the")  # U+FEFF in text: debris
    totals = balanced(json.loads((tmp_path / "r.json").read_text()))
    assert (totals["records_in"], totals["records_out"], totals["failed"]) == (10, 4, 6)
    assert totals["skipped_null_fields"] == 1
    assert summary_counts(stderr) == {"files": 2, "into": 10, "out": 4, "failed": 6}
