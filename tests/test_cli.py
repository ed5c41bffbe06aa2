"""The ``mtnorm`` command line: exit codes, bad input, output formats, fix modes, atomic writes."""
from __future__ import annotations

import codecs
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import normalize
import normalize.document
from normalize.cli import main
from normalize.registry import all_rules
from normalize.resources import corpus

CLEAN = "Azerbaijani forces advanced on Monday.\nThe talks resumed.\n"
#: debris.pattern (error), repetition.doubled_word (warning), typography.double_space (info)
DIRTY = "[ad_1]\nThe the talks resumed.\nForces  advanced.\n"
DIRTY_FIXED = "The talks resumed.\nForces advanced.\n"
INFO_ONLY = "Forces  advanced.\n"
FINDING_KEYS = {"rule", "category", "severity", "start", "end", "line", "column", "text",
                "message", "replacement", "fix", "mqm"}


def run(argv: list[str]) -> int:
    """Run the CLI in-process; argparse's SystemExit becomes the exit code."""
    try:
        return main(argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 2


def write(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("utf-8"))
    return path


def stderr_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.strip()]


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _gazetteer_available() -> bool:
    return all(corpus("gazetteer", n).is_file() for n in ("names.tsv.gz", "places.tsv.gz"))


def _style_available(name: str) -> bool:
    return corpus("styles", f"{name}.yaml").is_file()


# -- exit codes ---------------------------------------------------------------------------

def test_clean_text_exits_0(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir / "a.txt", CLEAN)
    assert run(["check", "a.txt"]) == 0
    out = capsys.readouterr().out
    assert "no findings" in out


def test_error_finding_exits_1(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir / "a.txt", DIRTY)
    assert run(["check", "a.txt"]) == 1
    out = capsys.readouterr().out
    assert "a.txt:1:1: error debris.pattern" in out


@pytest.mark.parametrize("fail_on, expected", [
    ("error", 0), ("warning", 0), ("info", 1), ("never", 0),
])
def test_fail_on_threshold_with_info_finding(workdir: Path, fail_on: str, expected: int) -> None:
    write(workdir / "a.txt", INFO_ONLY)
    assert run(["check", "--fail-on", fail_on, "a.txt"]) == expected


def test_fail_on_never_exits_0_despite_errors(workdir: Path) -> None:
    write(workdir / "a.txt", DIRTY)
    assert run(["check", "--fail-on", "never", "a.txt"]) == 0


def test_fail_on_warning(workdir: Path) -> None:
    write(workdir / "a.txt", "The the talks resumed.\n")
    assert run(["check", "a.txt"]) == 0
    assert run(["check", "--fail-on", "warning", "a.txt"]) == 1


@pytest.mark.parametrize("argv, needle", [
    (["check", "--select", "no.such.rule", "a.txt"], "no.such.rule"),
    (["check", "--ignore", "nonsense", "a.txt"], "nonsense"),
    (["check", "--select", "debris.pattern,bogus", "a.txt"], "bogus"),
    (["check", "--style", "no-such-style", "a.txt"], "no-such-style"),
    (["check", "--format", "xml", "a.txt"], "xml"),
    (["check", "--fail-on", "sometimes", "a.txt"], "sometimes"),
    (["check", "--lang", "xx", "a.txt"], "xx"),
    (["fix", "--style", "no-such-style", "a.txt"], "no-such-style"),
    (["fix", "a.txt", "b.txt"], "several inputs"),
    (["fix", "--in-place", "-"], "standard input"),
    (["fix", "--diff", "--in-place", "a.txt"], "not allowed with"),
    (["frobnicate"], "frobnicate"),
    ([], ""),
])
def test_usage_errors_exit_2(workdir: Path, capsys: pytest.CaptureFixture[str],
                             argv: list[str], needle: str) -> None:
    write(workdir / "a.txt", DIRTY)
    write(workdir / "b.txt", DIRTY)
    assert run(argv) == 2
    captured = capsys.readouterr()
    assert needle in captured.err
    assert captured.out == ""
    assert (workdir / "a.txt").read_text(encoding="utf-8") == DIRTY


def test_style_for_another_language_exits_2(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir / "a.txt", "Bonjour.\n")
    assert run(["check", "--lang", "fr", "--style", "ap", "a.txt"]) == 2
    err = capsys.readouterr().err
    assert "'ap'" in err
    if _style_available("ap"):
        assert "'fr'" in err  # "style 'ap' is for 'en' documents, not 'fr'"


def test_style_language_mismatch_in_api() -> None:
    from normalize.errors import UsageError

    with pytest.raises(UsageError):
        normalize.check("Bonjour.\n", lang="fr", style="ap")


# -- bad input ------------------------------------------------------------------------------

INVALID_UTF8 = b"The talks resumed.\nThe minister \xff said no.\n"


def _bad_inputs(workdir: Path) -> dict[str, Path]:
    (workdir / "invalid.txt").write_bytes(INVALID_UTF8)
    (workdir / "binary.bin").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (workdir / "folder").mkdir()
    return {"invalid": workdir / "invalid.txt", "binary": workdir / "binary.bin",
            "directory": workdir / "folder", "missing": workdir / "missing.txt"}


@pytest.mark.parametrize("kind", ["invalid", "binary", "directory", "missing"])
@pytest.mark.parametrize("command", ["check", "fix"])
def test_bad_input_one_error_line(workdir: Path, capsys: pytest.CaptureFixture[str],
                                  command: str, kind: str) -> None:
    path = _bad_inputs(workdir)[kind]
    name = path.name
    before = sorted(p.name for p in workdir.iterdir())
    assert run([command, name]) == 2
    captured = capsys.readouterr()
    lines = stderr_lines(captured.err)
    assert len(lines) == 1, lines
    assert name in lines[0]
    assert lines[0].startswith("mtnorm: error:")
    assert "Traceback" not in captured.err
    if command == "fix":
        assert captured.out == ""
    assert sorted(p.name for p in workdir.iterdir()) == before


def test_invalid_utf8_error_names_line(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _bad_inputs(workdir)
    assert run(["check", "invalid.txt"]) == 2
    err = capsys.readouterr().err
    assert "invalid.txt:2:" in err
    assert "UTF-8" in err


def test_binary_error_says_binary(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _bad_inputs(workdir)
    assert run(["check", "binary.bin"]) == 2
    assert "binary" in capsys.readouterr().err


def test_fix_in_place_leaves_invalid_file_untouched(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _bad_inputs(workdir)["invalid"]
    mtime = path.stat().st_mtime_ns
    assert run(["fix", "--in-place", "invalid.txt"]) == 2
    assert path.read_bytes() == INVALID_UTF8
    assert path.stat().st_mtime_ns == mtime
    assert len(stderr_lines(capsys.readouterr().err)) == 1
    assert not [p for p in workdir.iterdir() if p.name.endswith(".mtnorm-tmp")]


@pytest.mark.parametrize("kind", ["invalid", "binary", "directory", "missing"])
def test_fix_output_not_created_for_bad_input(workdir: Path, capsys: pytest.CaptureFixture[str],
                                              kind: str) -> None:
    path = _bad_inputs(workdir)[kind]
    assert run(["fix", "-o", "out.txt", path.name]) == 2
    assert not (workdir / "out.txt").exists()
    assert len(stderr_lines(capsys.readouterr().err)) == 1


def test_good_and_bad_files_together(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An unreadable file does not stop the others; the exit code is still 2."""
    _bad_inputs(workdir)
    write(workdir / "a.txt", DIRTY)
    assert run(["check", "-f", "json", "invalid.txt", "a.txt"]) == 2
    captured = capsys.readouterr()
    doc = json.loads(captured.out)
    assert [f["path"] for f in doc["files"]] == ["invalid.txt", "a.txt"]
    assert "error" in doc["files"][0] and doc["files"][0]["findings"] == []
    assert doc["files"][1]["findings"]
    assert doc["summary"]["files_unreadable"] == 1
    errors = sum(1 for f in doc["files"] if any(x["severity"] == "error" for x in f["findings"]))
    assert doc["summary"]["files_with_errors"] == errors
    assert len(stderr_lines(captured.err)) == 1


def test_empty_file_is_valid(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (workdir / "empty.txt").write_bytes(b"")
    assert run(["check", "-f", "json", "empty.txt"]) == 0
    captured = capsys.readouterr()
    doc = json.loads(captured.out)
    assert doc["files"][0]["findings"] == []
    assert captured.err == ""
    assert run(["fix", "--in-place", "empty.txt"]) == 0
    assert (workdir / "empty.txt").read_bytes() == b""


# -- output formats -------------------------------------------------------------------------

def test_json_format_shape(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir / "a.txt", DIRTY)
    write(workdir / "b.txt", CLEAN)
    assert run(["check", "--format", "json", "a.txt", "b.txt"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert set(doc) >= {"version", "files", "summary"}
    assert doc["version"] == normalize.__version__
    assert len(doc["files"]) == 2
    for entry in doc["files"]:
        assert set(entry) >= {"path", "lang", "style", "findings"}
        assert entry["lang"] == "en"
        assert isinstance(entry["style"], str)
    a, b = doc["files"]
    assert a["path"] == "a.txt" and b["path"] == "b.txt"
    assert b["findings"] == []
    assert {f["rule"] for f in a["findings"]} == {
        "debris.pattern", "repetition.doubled_word", "typography.double_space"}
    text = DIRTY
    for f in a["findings"]:
        assert set(f) >= FINDING_KEYS, set(FINDING_KEYS) - set(f)
        assert text[f["start"]:f["end"]] == f["text"]
        assert f["severity"] in {"error", "warning", "info"}
        assert f["fix"] in {"safe", "unsafe", "none"}
        assert isinstance(f["line"], int) and f["line"] >= 1
        assert isinstance(f["column"], int) and f["column"] >= 1
        assert f["mqm"]
    summary = doc["summary"]
    assert summary["files"] == 2
    assert summary["findings"] == len(a["findings"])
    assert summary["by_severity"] == {"error": 1, "warning": 1, "info": 1}


def test_json_is_utf8_not_escaped(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir / "a.txt", "Он он пришёл.\n")
    run(["check", "-f", "json", "--lang", "ru", "a.txt"])
    out = capsys.readouterr().out
    assert '"text": "Он он"' in out


def test_json_report_to_file(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir / "a.txt", DIRTY)
    assert run(["check", "-f", "json", "-o", "report.json", "a.txt"]) == 1
    assert capsys.readouterr().out == ""
    doc = json.loads((workdir / "report.json").read_text(encoding="utf-8"))
    assert doc["files"][0]["path"] == "a.txt"


def test_github_format(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir / "a.txt", DIRTY)
    assert run(["check", "--format", "github", "a.txt"]) == 1
    lines = [l for l in capsys.readouterr().out.splitlines() if l]
    assert len(lines) == 3
    levels = []
    for line in lines:
        assert line.startswith(("::error ", "::warning ", "::notice ")), line
        levels.append(line[2:line.index(" ")])
        props = line.split(" ", 1)[1].split("::", 1)[0]
        keys = dict(p.split("=", 1) for p in props.split(","))
        assert keys["file"] == "a.txt"
        assert int(keys["line"]) >= 1 and int(keys["col"]) >= 1
    assert levels == ["error", "warning", "notice"]


def test_text_format(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir / "a.txt", DIRTY)
    run(["check", "a.txt"])
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("a.txt:1:1: error debris.pattern")
    assert out[1].startswith("a.txt:2:1: warning repetition.doubled_word")
    assert out[2].startswith("a.txt:3:7: info typography.double_space")
    assert "\033[" not in "".join(out)  # no colour when not a terminal
    assert out[-1] == "1 error, 1 warning, 1 info in 1 file"


# -- fix --------------------------------------------------------------------------------------

def test_fix_to_stdout(workdir: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    write(workdir / "a.txt", DIRTY)
    assert run(["fix", "a.txt"]) == 0
    captured = capsysbinary.readouterr()
    assert captured.out == DIRTY_FIXED.encode("utf-8")
    assert b"3 fixed" in captured.err
    assert (workdir / "a.txt").read_text(encoding="utf-8") == DIRTY


def test_fix_to_output_file(workdir: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    write(workdir / "a.txt", DIRTY)
    assert run(["fix", "-o", "out.txt", "a.txt"]) == 0
    assert (workdir / "out.txt").read_text(encoding="utf-8") == DIRTY_FIXED
    assert (workdir / "a.txt").read_text(encoding="utf-8") == DIRTY
    assert capsysbinary.readouterr().out == b""


def test_fix_in_place(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir / "a.txt", DIRTY)
    write(workdir / "b.txt", "The  talks.\n")
    os.chmod(workdir / "a.txt", 0o640)
    assert run(["fix", "--in-place", "a.txt", "b.txt"]) == 0
    assert (workdir / "a.txt").read_text(encoding="utf-8") == DIRTY_FIXED
    assert (workdir / "b.txt").read_text(encoding="utf-8") == "The talks.\n"
    assert stat.S_IMODE((workdir / "a.txt").stat().st_mode) == 0o640
    assert capsys.readouterr().out == ""
    assert sorted(p.name for p in workdir.iterdir()) == ["a.txt", "b.txt"]


def test_fix_in_place_does_not_touch_clean_file(workdir: Path) -> None:
    path = write(workdir / "a.txt", CLEAN)
    inode, mtime = path.stat().st_ino, path.stat().st_mtime_ns
    assert run(["fix", "--in-place", "a.txt"]) == 0
    assert path.stat().st_ino == inode and path.stat().st_mtime_ns == mtime


def test_fix_diff(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir / "a.txt", DIRTY)
    assert run(["fix", "--diff", "a.txt"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("--- a/a.txt\n+++ b/a.txt\n@@ ")
    assert "-[ad_1]\n" in out
    assert "-The the talks resumed.\n" in out
    assert "+The talks resumed.\n" in out
    assert (workdir / "a.txt").read_text(encoding="utf-8") == DIRTY


def test_fix_diff_without_changes_exits_0(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir / "a.txt", CLEAN)
    assert run(["fix", "--diff", "a.txt"]) == 0
    assert capsys.readouterr().out == ""


def test_fix_diff_several_files(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir / "a.txt", DIRTY)
    write(workdir / "b.txt", CLEAN)
    assert run(["fix", "--diff", "a.txt", "b.txt"]) == 1
    out = capsys.readouterr().out
    assert "--- a/a.txt" in out and "b.txt" not in out


def test_fix_diff_without_final_newline(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir / "a.txt", "The the end")
    assert run(["fix", "--diff", "a.txt"]) == 1
    out = capsys.readouterr().out
    assert "-The the end\n\\ No newline at end of file\n+The end\n\\ No newline at end of file\n" in out


def test_fix_exit_1_when_unfixable_error_remains(workdir: Path, capsysbinary) -> None:
    text = "Officials said a The Armenian army withdrew.\n"
    write(workdir / "a.txt", text)
    assert run(["fix", "a.txt"]) == 1
    captured = capsysbinary.readouterr()
    assert captured.out == text.encode("utf-8")
    assert b"0 fixed, 1 remaining" in captured.err
    assert run(["fix", "--fail-on", "never", "a.txt"]) == 0


BOM_CRLF_IN = (codecs.BOM_UTF8 + "Intro: Baku, Monday.\r\n[ad_1]\r\nThe the talks  resumed in Genève.\r\n"
               "Lone LF line\nLast line without newline «quoted».".encode())
BOM_CRLF_OUT = (codecs.BOM_UTF8 + "Intro: Baku, Monday.\r\nThe talks resumed in Genève.\r\n"
                "Lone LF line\nLast line without newline \u201cquoted\u201d.".encode("utf-8"))


def test_fix_keeps_bom_and_crlf_byte_for_byte(workdir: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    (workdir / "a.txt").write_bytes(BOM_CRLF_IN)
    assert run(["fix", "a.txt"]) == 0
    assert capsysbinary.readouterr().out == BOM_CRLF_OUT
    assert run(["fix", "-o", "out.txt", "a.txt"]) == 0
    assert (workdir / "out.txt").read_bytes() == BOM_CRLF_OUT
    assert run(["fix", "--in-place", "a.txt"]) == 0
    assert (workdir / "a.txt").read_bytes() == BOM_CRLF_OUT


def test_fix_keeps_utf16_with_bom(workdir: Path) -> None:
    text = "The the talks\r\nresumed.\r\n"
    (workdir / "a.txt").write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    assert run(["fix", "--in-place", "a.txt"]) == 0
    assert (workdir / "a.txt").read_bytes() == (codecs.BOM_UTF16_LE
                                                + "The talks\r\nresumed.\r\n".encode("utf-16-le"))


def test_fix_unsafe(workdir: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    if not _gazetteer_available():
        pytest.skip("gazetteer data (corpora/gazetteer) not built yet")
    # Two accepted spellings: the consistency fix is unsafe, applied only with --unsafe.
    text = "Macau casinos reopened. Gamblers returned to Macao on Friday.\n"
    write(workdir / "a.txt", text)
    args = ["fix", "--select", "toponym.consistency", "a.txt"]
    assert run(args) == 0
    assert capsysbinary.readouterr().out == text.encode("utf-8")
    assert run([*args, "--unsafe"]) == 0
    assert capsysbinary.readouterr().out == text.replace("Macau", "Macao").encode("utf-8")


def test_fix_show_fixes(workdir: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    write(workdir / "a.txt", DIRTY)
    assert run(["fix", "--show-fixes", "a.txt"]) == 0
    err = capsysbinary.readouterr().err.decode("utf-8")
    assert "a.txt:1:1: pass 1 debris.pattern" in err
    assert "repetition.doubled_word 'The the' -> 'The'" in err


def test_select_and_ignore(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir / "a.txt", DIRTY)
    run(["check", "-f", "json", "--select", "debris,typography", "--ignore", "typography.double_space",
         "a.txt"])
    doc = json.loads(capsys.readouterr().out)
    assert [f["rule"] for f in doc["files"][0]["findings"]] == ["debris.pattern"]


# -- atomic writes ------------------------------------------------------------------------------

def _fail_replace(monkeypatch: pytest.MonkeyPatch, seen: list[bytes]) -> None:
    real_replace = os.replace

    def boom(src, dst, *args, **kwargs):
        # Only renames into the test's folder fail: the rules' caches (written with
        # os.replace too, on first use) live elsewhere and must not count.
        if Path.cwd() not in Path(os.fspath(dst)).resolve().parents:
            return real_replace(src, dst, *args, **kwargs)
        # The temporary file is complete when the rename fails.
        seen.append(Path(src).read_bytes())
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(normalize.document.os, "replace", boom)
    assert real_replace is not boom


def test_atomic_write_failure_keeps_original(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = workdir / "a.txt"
    path.write_bytes(b"original\n")
    seen: list[bytes] = []
    _fail_replace(monkeypatch, seen)
    with pytest.raises(OSError):
        normalize.document.atomic_write(path, b"new\n")
    assert seen == [b"new\n"]
    assert path.read_bytes() == b"original\n"
    assert [p.name for p in workdir.iterdir()] == ["a.txt"]


def test_fix_in_place_failed_rename_keeps_original(workdir: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    path = write(workdir / "a.txt", DIRTY)
    seen: list[bytes] = []
    _fail_replace(monkeypatch, seen)
    try:
        code = run(["fix", "--in-place", "a.txt"])
    except OSError:
        code = None  # the CLI lets the error through; what matters here is the file
    assert code in (None, 2)
    assert seen == [DIRTY_FIXED.encode("utf-8")]
    assert path.read_text(encoding="utf-8") == DIRTY
    assert [p.name for p in workdir.iterdir()] == ["a.txt"]


def test_fix_output_failed_rename_leaves_nothing(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(workdir / "a.txt", DIRTY)
    _fail_replace(monkeypatch, [])
    try:
        run(["fix", "-o", "out.txt", "a.txt"])
    except OSError:
        pass
    assert [p.name for p in workdir.iterdir()] == ["a.txt"]


def test_unwritable_output_is_a_clean_error(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir / "a.txt", DIRTY)
    try:
        code = run(["fix", "-o", str(workdir / "no-such-dir" / "out.txt"), "a.txt"])
    except OSError:
        code = None
    assert code == 2
    lines = stderr_lines(capsys.readouterr().err)
    assert len(lines) == 1 and "out.txt" in lines[0]


def test_new_output_file_honours_umask(workdir: Path) -> None:
    write(workdir / "a.txt", DIRTY)
    old = os.umask(0o022)
    try:
        assert run(["fix", "-o", "out.txt", "a.txt"]) == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((workdir / "out.txt").stat().st_mode) == 0o644


# -- other commands -----------------------------------------------------------------------------

def test_rules_lists_every_rule(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["rules"]) == 0
    out = capsys.readouterr().out
    listed = [line.split()[0] for line in out.splitlines() if line.strip()]
    assert listed == [r.id for r in all_rules()]


def test_rules_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["rules", "-f", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in rows] == [r.id for r in all_rules()]
    assert all(set(r) >= {"id", "category", "severity", "fix", "mqm", "languages", "description"}
               for r in rows)


def test_gazetteer_lookup_kiev(capsys: pytest.CaptureFixture[str]) -> None:
    if not _gazetteer_available():
        pytest.skip("gazetteer data (corpora/gazetteer) not built yet")
    assert run(["gazetteer", "lookup", "Kiev", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    entry = out.split("\n\n")[0]
    assert "Kyiv" in entry and "Kiev" in entry
    en_line = next(line for line in out.splitlines() if line.strip().startswith("en "))
    assert "Kyiv (preferred)" in en_line
    assert "Kiev (" in en_line


def test_gazetteer_lookup_json_and_unknown(capsys: pytest.CaptureFixture[str]) -> None:
    if not _gazetteer_available():
        pytest.skip("gazetteer data (corpora/gazetteer) not built yet")
    assert run(["gazetteer", "lookup", "Kiev", "--lang", "en", "-f", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    names = {n["name"] for e in doc["entries"] for n in e["names"].get("en", [])}
    assert {"Kiev", "Kyiv"} <= names
    assert run(["gazetteer", "lookup", "Qwertyvillezzz"]) == 1
    assert "Qwertyvillezzz" in capsys.readouterr().out


# -- the module entry point, as a real process ------------------------------------------------

def _python_m(args: list[str], cwd: Path, input: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "normalize", *args], cwd=cwd, input=input,
                          capture_output=True, timeout=120, env={**os.environ, "PYTHONUTF8": "1"})


def test_module_version(tmp_path: Path) -> None:
    proc = _python_m(["--version"], tmp_path)
    assert proc.returncode == 0
    assert proc.stdout.decode().strip() == f"mtnorm {normalize.__version__}"


def test_module_fix_stdin(tmp_path: Path) -> None:
    proc = _python_m(["fix", "-"], tmp_path, input=BOM_CRLF_IN)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == BOM_CRLF_OUT
    assert b"<stdin>" in proc.stderr


def test_module_check_stdin_exit_code(tmp_path: Path) -> None:
    proc = _python_m(["check", "-f", "json", "-"], tmp_path, input=DIRTY.encode())
    assert proc.returncode == 1
    doc = json.loads(proc.stdout)
    assert doc["files"][0]["path"] == "<stdin>"
    proc = _python_m(["check", "-"], tmp_path, input=b"PK\x03\x04\x00\x00binary\x00data")
    assert proc.returncode == 2
    assert proc.stderr.decode().count("\n") == 1
