"""``--format json|sarif|junit`` written as findings come: the same documents as when a
run held every finding to the end, and ``-o`` written through a temporary file."""
from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest

import normalize.formatters.json as json_formatter
import normalize.formatters.junit as junit_formatter
from normalize.batch import formats
from normalize.checker import json_report
from normalize.cli import main
from normalize.formatters.base import Formatter
from normalize.formatters.text import record_place
from normalize.results import FileResult

CLEAN = "Azerbaijani forces advanced on Monday.\nThe talks resumed.\n"
#: debris.pattern (error), repetition.doubled_word (warning), typography.double_space (info)
DIRTY = "[ad_1]\nThe the talks resumed.\nForces  advanced.\n"
#: Quotes, an ampersand, angle brackets and non-ASCII letters in findings, for the escapes.
ODD = "Café  «Smith & Sons» <b>the the</b> talks.\n\"Quoted\"  text.\n"


class HeldJson(Formatter):
    """How ``--format json`` was written before it streamed: every file's result held
    (with its findings) and the whole document dumped at the end."""

    def __init__(self, stream: Any, *, color: bool = False) -> None:
        super().__init__(stream, color=color)
        self.results: list[FileResult] = []

    def end_file(self, result: FileResult) -> None:
        self.results.append(result)

    def finish(self, results: list[FileResult], summary: dict[str, Any]) -> None:
        json.dump(json_report(self.results, summary), self.stream, ensure_ascii=False, indent=2)
        self.stream.write("\n")


class HeldJunit(HeldJson):
    """``--format junit`` as it was built before: one ElementTree at the end."""

    def finish(self, results: list[FileResult], summary: dict[str, Any]) -> None:
        results = self.results
        failures = sum(1 for r in results if r.findings and r.error is None)
        errors = sum(1 for r in results if r.error is not None)
        suites = ET.Element("testsuites", name="mtnorm", tests=str(len(results)),
                            failures=str(failures), errors=str(errors))
        suite = ET.SubElement(suites, "testsuite", name="mtnorm", tests=str(len(results)),
                              failures=str(failures), errors=str(errors))
        for result in results:
            case = ET.SubElement(suite, "testcase", classname="mtnorm", name=result.path)
            if result.error is not None:
                ET.SubElement(case, "error", message=result.error)
            elif result.findings:
                lines = [f"{result.path}:{f.line}:{f.column}:{record_place(f)} {f.severity} {f.rule} "
                         f"{f.message}" for f in result.findings]
                failure = ET.SubElement(case, "failure", type="mtnorm",
                                        message=f"{len(result.findings)} finding(s)")
                failure.text = "\n".join(lines)
        ET.indent(suites)
        self.stream.write(ET.tostring(suites, encoding="unicode", xml_declaration=True))
        self.stream.write("\n")


def _out(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(argv)
    return code, capsys.readouterr().out


def _both(argv: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
          module: Any, cls_name: str, held: type) -> tuple[str, str]:
    """The streamed output of ``argv`` and the held one (same exit code)."""
    code, streamed = _out(argv, capsys)
    with monkeypatch.context() as patch:
        patch.setattr(module, cls_name, held)
        held_code, whole = _out(argv, capsys)
    assert code == held_code
    return streamed, whole


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "clean.txt").write_text(CLEAN, encoding="utf-8")
    (tmp_path / "dirty.txt").write_text(DIRTY, encoding="utf-8")
    (tmp_path / "odd.txt").write_text(ODD, encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"caf\xe9\n")
    records = [{"id": i, "text": text} for i, text in enumerate([DIRTY, CLEAN, ODD] * 20)]
    (tmp_path / "records.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    # Enough paragraphs to be read in pieces (below).
    (tmp_path / "long.txt").write_text((DIRTY + ODD + CLEAN + "\n") * 400, encoding="utf-8")
    return tmp_path


CASES = {
    "no findings": ["clean.txt"],
    "one file": ["dirty.txt"],
    "several files": ["dirty.txt", "clean.txt", "odd.txt"],
    "unreadable file": ["dirty.txt", "bad.txt", "clean.txt"],
    "only unreadable": ["bad.txt"],
    "records": ["records.jsonl", "dirty.txt"],
    "text in pieces": ["long.txt", "odd.txt"],
}


def _small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(formats, "CHUNK_BYTES", 300)           # records: many chunks
    monkeypatch.setattr(formats, "TEXT_PIECE_BYTES", 4096)     # long.txt: many pieces
    monkeypatch.setattr(formats, "TEXT_DOCUMENT_BYTES", 16 * 1024)


@pytest.mark.parametrize("case", sorted(CASES))
def test_json_streamed_is_byte_identical(case: str, workdir: Path, capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    _small_chunks(monkeypatch)
    argv = ["check", "-j", "1", "--lang", "en", "--style", "ap", "-f", "json", *CASES[case]]
    streamed, whole = _both(argv, capsys, monkeypatch, json_formatter, "JsonFormatter", HeldJson)
    assert streamed == whole
    doc = json.loads(streamed)
    assert len(doc["files"]) == len(CASES[case])
    if case == "text in pieces":
        assert len(doc["files"][0]["findings"]) > 1000


def test_json_streamed_fix_report_is_byte_identical(workdir: Path, capsys: pytest.CaptureFixture[str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """``fix --format json`` (the findings left, and each file's ``fixed`` count)."""
    (workdir / "out").mkdir()
    argv = ["fix", "--lang", "en", "--output-dir", "out", "-f", "json", "dirty.txt", "odd.txt", "bad.txt"]
    streamed, whole = _both(argv, capsys, monkeypatch, json_formatter, "JsonFormatter", HeldJson)
    assert streamed == whole
    assert json.loads(streamed)["files"][0]["fixed"] > 0


def test_json_whole_results_at_finish() -> None:
    """A caller holding a whole run may hand it to ``finish`` (nothing handed before)."""
    results = [FileResult("a.txt", "en", "ap"), FileResult("b.txt", "en", "ap", error="oops", fixed=2)]
    summary = {"files": 2, "by_severity": {}}
    stream = io.StringIO()
    json_formatter.JsonFormatter(stream).finish(results, summary)
    assert stream.getvalue() == json.dumps(json_report(results, summary), ensure_ascii=False,
                                           indent=2) + "\n"


@pytest.mark.parametrize("case", sorted(CASES))
def test_junit_is_byte_identical(case: str, workdir: Path, capsys: pytest.CaptureFixture[str],
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    _small_chunks(monkeypatch)
    monkeypatch.setattr(junit_formatter, "SPOOL_CHARS", 200)  # the temporary files too
    argv = ["check", "-j", "1", "--lang", "en", "--style", "ap", "-f", "junit", *CASES[case]]
    streamed, whole = _both(argv, capsys, monkeypatch, junit_formatter, "JunitFormatter", HeldJunit)
    assert streamed == whole


@pytest.mark.parametrize("case", sorted(CASES))
def test_sarif_streams_results_before_invocations(case: str, workdir: Path,
                                                  capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    _small_chunks(monkeypatch)
    base = ["check", "-j", "1", "--lang", "en", "--style", "ap"]
    _, out = _out([*base, "-f", "sarif", *CASES[case]], capsys)
    _, json_out = _out([*base, "-f", "json", *CASES[case]], capsys)
    run = json.loads(out)["runs"][0]
    assert list(run) == ["tool", "columnKind", "results", "invocations"]
    files = json.loads(json_out)["files"]
    assert [(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
            for r in run["results"]] == [(f["rule"], entry["path"]) for entry in files
                                         for f in entry["findings"]]
    unreadable = [entry["path"] for entry in files if "error" in entry]
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert [n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for n in notes] == unreadable
    assert run["invocations"][0]["executionSuccessful"] is not unreadable


# -- -o: through a temporary file -----------------------------------------------------------

@pytest.mark.parametrize("fmt", ["json", "sarif", "junit", "text"])
def test_output_file_is_the_streamed_report(fmt: str, workdir: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["check", "--lang", "en", "-f", fmt, "dirty.txt", "bad.txt"]
    _, printed = _out(argv, capsys)
    assert main([*argv, "-o", "report"]) == 2
    assert capsys.readouterr().out == ""
    assert (workdir / "report").read_text(encoding="utf-8") == printed


@pytest.mark.parametrize("fmt", ["json", "junit"])
def test_interrupted_run_leaves_the_old_output(fmt: str, workdir: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    (workdir / "report").write_text("old\n", encoding="utf-8")
    before = sorted(os.listdir(workdir))
    written: list[str] = []
    cls = json_formatter.JsonFormatter if fmt == "json" else junit_formatter.JunitFormatter
    real = cls.end_file

    def end_file(self: Any, result: FileResult) -> None:
        real(self, result)
        written.append(result.path)
        if len(written) == 2:  # the report is under way (json: on its way to disk)
            raise KeyboardInterrupt

    monkeypatch.setattr(cls, "end_file", end_file)
    # The command line says "interrupted" and exits non-zero.
    assert main(["check", "--lang", "en", "-f", fmt, "dirty.txt", "odd.txt", "clean.txt",
                 "-o", "report"]) != 0
    assert written == ["dirty.txt", "odd.txt"]
    assert (workdir / "report").read_text(encoding="utf-8") == "old\n"
    assert sorted(os.listdir(workdir)) == before  # no temporary file left


def test_output_is_not_held_in_memory(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What the report says so far is on its way to OUT's temporary file, not in a buffer:
    the run's end only completes and renames it."""
    sizes: list[int] = []
    real = json_formatter.JsonFormatter.finish

    def finish(self: Any, results: list[FileResult], summary: dict[str, Any]) -> None:
        self.stream.flush()
        sizes.append(self.stream.buffer.raw.file.handle.tell())  # the temporary file
        real(self, results, summary)

    monkeypatch.setattr(json_formatter.JsonFormatter, "finish", finish)
    assert main(["check", "--lang", "en", "-f", "json", "dirty.txt", "odd.txt", "-o", "r.json"]) == 1
    text = (workdir / "r.json").read_text(encoding="utf-8")
    assert sizes[0] > len(text) // 2 and text.count('"rule"') > 3
