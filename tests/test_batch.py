"""Batch runs: directories, JSONL/TSV/Parquet records, parallel jobs, failures, atomic outputs."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from interrupts import read_until, wait_blocked

from normalize.batch.inputs import expand_inputs, glob_match
from normalize.batch.output import FileSink
from normalize.batch.records import Task, replace_values
from normalize.batch.run import BatchRun
from normalize.cli import main
from normalize.linter import Options

DIRTY = [
    "Officials in Nagorny Karabakh said the the talks would resume.",
    "[ad_1] The ministry confirmed the figures on Monday.",
    "Clean sentence with nothing to fix.",
    "Shelling hit  the outskirts of Kharkov overnight.",
]
FIXED_0 = "Officials in Nagorno-Karabakh said the talks would resume."


def jsonl(records: list[dict]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def corpus(n: int) -> str:
    return jsonl([{"id": f"seg-{i}", "text": DIRTY[i % len(DIRTY)], "score": 0.5 + i} for i in range(n)])


def run(argv: list[str]) -> int:
    return main(argv)


@pytest.fixture()
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


# -- records --------------------------------------------------------------------------
def test_jsonl_fix_changes_only_the_text_field(workdir: Path) -> None:
    # Odd spacing, escapes and number formats in other fields must survive byte for byte.
    line = '{"id":7,  "meta": {"x": 1.50e3, "s": "caf\\u00e9"}, "text": "' + DIRTY[0] + '", "z": [1,2]}\n'
    (workdir / "in.jsonl").write_text(line + '{"id": 8, "text": "Fine."}\n', encoding="utf-8")
    assert run(["fix", "--style", "ap", "-q", "in.jsonl", "-o", "out.jsonl"]) == 0
    out = (workdir / "out.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    assert out[0] == line.replace(DIRTY[0], FIXED_0)
    assert out[1] == '{"id": 8, "text": "Fine."}\n'


def test_replace_values_keeps_everything_else() -> None:
    text = '{ "a" : "x" , "text":"old \\"q\\"", "b":null }'
    assert replace_values(text, {"text": "new \"q\" é"}) == '{ "a" : "x" , "text":"new \\"q\\" é", "b":null }'


def test_several_fields_and_ids(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (workdir / "in.jsonl").write_text(jsonl([
        {"id": "a1", "title": DIRTY[1], "body": DIRTY[0]}]), encoding="utf-8")
    assert run(["check", "--style", "ap", "--field", "title,body", "-f", "json", "in.jsonl"]) == 1
    findings = json.loads(capsys.readouterr().out)["files"][0]["findings"]
    fields = {(f["data"]["field"], f["rule"]) for f in findings}
    assert ("title", "debris.pattern") in fields and ("body", "toponym.variant") in fields
    assert {f["data"]["record"] for f in findings} == {"a1"} and {f["line"] for f in findings} == {1}


def test_tsv_column(workdir: Path) -> None:
    (workdir / "in.tsv").write_text("id\tsrc\ttgt\n1\tx\t" + DIRTY[0] + "\n2\ty\tFine.\n", encoding="utf-8")
    assert run(["fix", "--style", "ap", "-q", "--column", "tgt", "in.tsv", "-o", "out.tsv"]) == 0
    assert (workdir / "out.tsv").read_text(encoding="utf-8") == \
        "id\tsrc\ttgt\n1\tx\t" + FIXED_0 + "\n2\ty\tFine.\n"


def test_tsv_missing_column_is_a_file_error(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (workdir / "in.tsv").write_text("id\ttext\n1\tfine\n", encoding="utf-8")
    assert run(["check", "--column", "tgt", "in.tsv"]) == 2
    assert "no column 'tgt'" in capsys.readouterr().err


def test_parquet_round_trip(workdir: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    texts = [DIRTY[i % 4] for i in range(10)]
    pq.write_table(pa.table({"id": list(range(10)), "text": texts, "w": [1.5] * 10}), workdir / "in.parquet")
    (workdir / "in.jsonl").write_text(jsonl([{"id": i, "text": t} for i, t in enumerate(texts)]),
                                      encoding="utf-8")
    assert run(["fix", "--style", "ap", "-q", "in.parquet", "-o", "out.parquet"]) == 0
    assert run(["fix", "--style", "ap", "-q", "in.jsonl", "-o", "out.jsonl"]) == 0
    table = pq.read_table(workdir / "out.parquet")
    expected = [json.loads(line)["text"] for line in (workdir / "out.jsonl").read_text().splitlines()]
    assert table.column("text").to_pylist() == expected
    assert table.column("id").to_pylist() == list(range(10)) and table.column("w").to_pylist() == [1.5] * 10
    assert expected[0] == FIXED_0


def test_parquet_is_read_with_the_system_allocator(workdir: Path) -> None:
    """A fresh process reading Parquet uses Arrow's system allocator (mimalloc's kept
    per-thread heaps cost ~50 MB), unless its environment names one."""
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    pq.write_table(pa.table({"id": [1, 2], "text": ["A  line.", "Another."]}), workdir / "in.parquet")
    probe = ("import sys; from normalize.cli import main; "
             "code = main(['fix', '-q', 'in.parquet', '-o', 'out.parquet']); "
             "import pyarrow; print(pyarrow.default_memory_pool().backend_name, code)")
    env = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    done = subprocess.run([sys.executable, "-c", probe], cwd=workdir, env=env, capture_output=True,
                          text=True, timeout=300, check=False)
    assert done.stdout.split() == ["system", "0"], done.stderr
    assert pq.read_table(workdir / "out.parquet").column("text").to_pylist() == ["A line.", "Another."]
    if "mimalloc" in pa.supported_memory_backends():
        env["ARROW_DEFAULT_MEMORY_POOL"] = "mimalloc"
        done = subprocess.run([sys.executable, "-c", probe], cwd=workdir, env=env,
                              capture_output=True, text=True, timeout=300, check=False)
        assert done.stdout.split() == ["mimalloc", "0"], done.stderr


def test_parquet_is_read_without_pre_buffering(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pre-buffering keeps what it read of each row group until the file closes: memory
    that grows with the file (README, "Record and translation formats")."""
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    pq.write_table(pa.table({"id": list(range(50)), "text": ["A  line."] * 50}),
                   workdir / "in.parquet", row_group_size=10)
    opened: list[dict] = []
    real = pq.ParquetFile

    def spy(*args: object, **kw: object) -> object:
        opened.append(kw)
        return real(*args, **kw)

    monkeypatch.setattr(pq, "ParquetFile", spy)
    assert run(["fix", "-q", "in.parquet", "-o", "out.parquet"]) == 0
    assert opened and all(kw.get("pre_buffer") is False for kw in opened)
    assert real(workdir / "out.parquet").read().column("text").to_pylist() == ["A line."] * 50


def test_gzip_in_and_out(workdir: Path) -> None:
    import gzip

    (workdir / "in.jsonl.gz").write_bytes(gzip.compress(corpus(3).encode()))
    assert run(["fix", "--style", "ap", "-q", "in.jsonl.gz", "-o", "out.jsonl.gz"]) == 0
    lines = gzip.decompress((workdir / "out.jsonl.gz").read_bytes()).decode().splitlines()
    assert json.loads(lines[0])["text"] == FIXED_0 and len(lines) == 3


def test_parquet_date_ids(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import datetime

    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    pq.write_table(pa.table({"id": [datetime.date(2026, 11, 27)], "text": [DIRTY[1]]}), workdir / "in.parquet")
    assert run(["check", "--style", "ap", "-f", "json", "in.parquet"]) == 1
    findings = json.loads(capsys.readouterr().out)["files"][0]["findings"]
    assert findings[0]["data"]["record"] == "2026-11-27"


def test_stdin_jsonl(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "normalize", "fix", "--style", "ap", "-q",
                           "--input-format", "jsonl", "-"], input=corpus(4).encode(),
                          capture_output=True, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.decode().splitlines()
    assert json.loads(lines[0])["text"] == FIXED_0 and len(lines) == 4


# -- inputs ---------------------------------------------------------------------------
def test_directory_walk_with_globs(workdir: Path) -> None:
    for rel in ["a/x.txt", "a/b/y.jsonl", "a/b/skip.jsonl", "a/.hidden/z.txt", "a/notes.pdf", "a/c/d/w.txt"]:
        (workdir / rel).parent.mkdir(parents=True, exist_ok=True)
        (workdir / rel).write_text("x", encoding="utf-8")
    found = [f.path for f in expand_inputs(["a"], exclude=["skip.*"])]
    assert found == ["a/x.txt", "a/b/y.jsonl", "a/c/d/w.txt"]
    assert [f.path for f in expand_inputs(["a"], include=["b/**"])] == ["a/b/skip.jsonl", "a/b/y.jsonl"]
    assert [f.format for f in expand_inputs(["a"])] == ["text", "jsonl", "jsonl", "text"]


@pytest.mark.parametrize(("path", "pattern", "expected"), [
    ("a/b.txt", "a/**/b.txt", True), ("a/x/y/b.txt", "a/**/b.txt", True), ("a/xb.txt", "a/**/b.txt", False),
    ("x/z/y.jsonl", "x/*", False), ("x/z/y.jsonl", "x/**", True), ("deep/er/a.txt", "*.txt", True),
])
def test_glob_match(path: str, pattern: str, expected: bool) -> None:
    assert glob_match(path, pattern) is expected


def test_output_dir_mirrors_tree(workdir: Path) -> None:
    (workdir / "in" / "sub").mkdir(parents=True)
    (workdir / "in" / "sub" / "a.txt").write_text(DIRTY[0] + "\n", encoding="utf-8")
    (workdir / "in" / "b.jsonl").write_text(corpus(2), encoding="utf-8")
    assert run(["fix", "--style", "ap", "-q", "in", "--output-dir", "out"]) == 0
    assert (workdir / "out" / "sub" / "a.txt").read_text(encoding="utf-8") == FIXED_0 + "\n"
    assert json.loads((workdir / "out" / "b.jsonl").read_text().splitlines()[0])["text"] == FIXED_0


# -- parallel == serial ------------------------------------------------------------------
@pytest.mark.parametrize("command", ["fix", "check"])
def test_parallel_output_equals_serial(workdir: Path, command: str, capsysbinary) -> None:
    (workdir / "c").mkdir()
    for k in range(3):  # several files and, with a small chunk size, several chunks each
        (workdir / "c" / f"part{k}.jsonl").write_text(corpus(900 + k), encoding="utf-8")
    (workdir / "c" / "note.txt").write_text(DIRTY[3] + "\n", encoding="utf-8")
    outputs = []
    for jobs in ("1", "2"):
        args = [command, "--style", "ap", "-q", "-j", jobs, "c", "--report", f"report{jobs}.json"]
        if command == "fix":
            args += ["--output-dir", f"out{jobs}"]
        else:
            args += ["-f", "json"]
        run(args)
        out = capsysbinary.readouterr().out
        if command == "fix":
            out = b"".join((workdir / f"out{jobs}" / p.name).read_bytes()
                           for p in sorted((workdir / "c").iterdir()))
        report = json.loads((workdir / f"report{jobs}.json").read_text())
        report.pop("elapsed_s")
        outputs.append((out, report))
    assert outputs[0] == outputs[1]
    assert outputs[0][1]["totals"]["records_in"] == 900 + 901 + 902 + 1


def test_chunks_do_not_change_results(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from normalize.batch import formats

    (workdir / "in.jsonl").write_text(corpus(200), encoding="utf-8")
    results = []
    for size in (1 << 20, 300):
        monkeypatch.setattr(formats, "CHUNK_BYTES", size)
        assert run(["fix", "--style", "ap", "-q", "in.jsonl", "-o", f"out{size}.jsonl"]) == 0
        results.append((workdir / f"out{size}.jsonl").read_bytes())
    assert results[0] == results[1]


# -- failures ---------------------------------------------------------------------------
def test_bad_records_and_files_do_not_stop_the_rest(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (workdir / "c").mkdir()
    good = corpus(5).splitlines(keepends=True)
    (workdir / "c" / "a.jsonl").write_bytes(
        "".join(good[:2]).encode() + b'{"id": "broken", "text": \n' + b'{"id": "bin", "text": "\xff"}\n'
        + "".join(good[2:]).encode())
    (workdir / "c" / "b.txt").write_bytes(b"caf\xe9 au lait\n")
    (workdir / "c" / "c.txt").write_text(DIRTY[0] + "\n", encoding="utf-8")
    (workdir / "c" / "d.jsonl").write_text(corpus(3), encoding="utf-8")
    code = run(["fix", "--style", "ap", "c", "--output-dir", "out", "--report", "r.json"])
    err = capsys.readouterr().err
    assert code == 2
    assert "c/a.jsonl:3: malformed JSON" in err and "c/a.jsonl:4: not valid UTF-8" in err
    assert "c/b.txt:1: not valid UTF-8" in err
    out_a = (workdir / "out" / "a.jsonl").read_bytes().splitlines(keepends=True)
    assert len(out_a) == 7 and out_a[2] == b'{"id": "broken", "text": \n'  # passed through, in place
    assert json.loads(out_a[0])["text"] == FIXED_0
    assert not (workdir / "out" / "b.txt").exists()  # an unreadable text file is not copied half-fixed
    assert (workdir / "out" / "c.txt").read_text(encoding="utf-8") == FIXED_0 + "\n"
    assert len((workdir / "out" / "d.jsonl").read_text().splitlines()) == 3
    totals = json.loads((workdir / "r.json").read_text())["totals"]
    assert totals["records_in"] == 7 + 1 + 1 + 3 and totals["failed"] == 3
    # in = out + failed: two records passed through unchanged, b.txt not written at all
    assert totals["records_out"] == totals["records_in"] - 3 and totals["passed_through"] == 2
    failures = json.loads((workdir / "r.json").read_text())["failures"]
    assert [(f["path"].split("/")[-1], f["line"]) for f in failures] == [("a.jsonl", 3), ("a.jsonl", 4),
                                                                         ("b.txt", 1)]


def test_vanishing_file(workdir: Path) -> None:
    """A file listed at the start but gone when its turn comes is reported; the rest are done."""
    for name in ("a", "b", "c"):
        (workdir / f"{name}.jsonl").write_text(corpus(3), encoding="utf-8")
    files = expand_inputs(["a.jsonl", "b.jsonl", "c.jsonl"])
    options = Options(lang="en", style="ap")

    def options_for(source):  # called as each file's turn comes: b vanishes just before
        if source.path == "b.jsonl":
            os.unlink("b.jsonl")
        return options

    batch = BatchRun(Task("fix"), files, options_for,
                     sink_for=lambda source: FileSink(source.path + ".out"), jobs=1)
    summary = batch.run()
    assert [(f.path, f.error) for f in summary.files] == [("a.jsonl", None), ("b.jsonl", "no such file"),
                                                          ("c.jsonl", None)]
    assert summary.failure_count == 1 and summary.records_out == 6
    assert (workdir / "c.jsonl.out").exists() and not (workdir / "b.jsonl.out").exists()


def test_fail_fast_stops_and_writes_nothing_half(workdir: Path) -> None:
    (workdir / "a.jsonl").write_text('{"text": "x"}\nnot json\n' + corpus(3), encoding="utf-8")
    (workdir / "b.jsonl").write_text(corpus(3), encoding="utf-8")
    assert run(["fix", "-q", "--fail-fast", "a.jsonl", "b.jsonl", "--output-dir", "out"]) == 2
    assert not (workdir / "out" / "a.jsonl").exists() and not (workdir / "out" / "b.jsonl").exists()


def test_overlong_line_is_passed_through(workdir: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    from normalize.batch import formats

    monkeypatch.setattr(formats, "MAX_RECORD_BYTES", 200)
    long_line = json.dumps({"text": "word " * 60}) + "\n"
    (workdir / "in.jsonl").write_text(corpus(1) + long_line + corpus(1), encoding="utf-8")
    assert run(["fix", "--style", "ap", "in.jsonl", "-o", "out.jsonl"]) == 2
    assert "in.jsonl:2: line longer than 200 bytes" in capsys.readouterr().err
    out = (workdir / "out.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    assert out[1] == long_line and json.loads(out[2])["text"] == FIXED_0


def test_rule_crash_keeps_the_record(workdir: Path, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    from normalize.batch import records

    real = records.process_text

    def flaky(linter, task, text, outcome, **kw):
        if "Clean" in text:
            raise RuntimeError("rule bug")
        return real(linter, task, text, outcome, **kw)

    monkeypatch.setattr(records, "process_text", flaky)
    (workdir / "in.jsonl").write_text(corpus(4), encoding="utf-8")
    assert run(["fix", "--style", "ap", "in.jsonl", "-o", "out.jsonl"]) == 2
    assert "in.jsonl:3 (id seg-2): internal error: RuntimeError('rule bug')" in capsys.readouterr().err
    out = (workdir / "out.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(out[2])["text"] == DIRTY[2] and len(out) == 4


# -- atomic in-place rewrites ---------------------------------------------------------------
def _start_gated(argv: list[str]) -> subprocess.Popen:
    """Start ``mtnorm argv`` with its stderr in a small pipe that the test reads itself.

    With ``--show-fixes`` every edit is a line on stderr: a run whose lines
    are not read blocks once the pipe is full, so it cannot finish before
    the test has done what it wants (no sleeps, no race with a fast run).
    """
    proc = subprocess.Popen([sys.executable, "-m", "normalize", *argv], stderr=subprocess.PIPE)
    import fcntl

    if hasattr(fcntl, "F_SETPIPE_SZ"):  # Linux: the smallest pipe there is (one page)
        fcntl.fcntl(proc.stderr.fileno(), fcntl.F_SETPIPE_SZ, 4096)
    return proc


def _o_tmpfile_works(directory: Path) -> bool:
    """Whether ``directory`` can hold unnamed files (Linux ``O_TMPFILE``)."""
    try:
        os.close(os.open(directory, os.O_TMPFILE | os.O_RDWR, 0o600))
    except (AttributeError, OSError):
        return False
    return True


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL])
def test_interrupted_in_place_leaves_old_or_new(tmp_path: Path, sig: int) -> None:
    src = tmp_path / "src"
    src.mkdir()
    for k in range(16):
        (src / f"f{k:02d}.jsonl").write_text(corpus(80 + k), encoding="utf-8")
    expected = tmp_path / "expected"
    subprocess.run([sys.executable, "-m", "normalize", "fix", "--style", "ap", "-q", str(src),
                    "--output-dir", str(expected)], check=True)
    old = {p.name: p.read_bytes() for p in src.iterdir()}
    new = {p.name: p.read_bytes() for p in expected.iterdir()}
    assert all(old[name] != new[name] for name in old)
    proc = _start_gated(["fix", "--style", "ap", "-q", "-j", "2", "--show-fixes", "--in-place", str(src)])
    # Files are written in input order, each after its last edit is listed: the first
    # edit of f03 means f00-f02 are in place, and the unread edits hold the run there.
    read_until(proc, str(src / "f03.jsonl").encode())
    assert all((src / f"f{k:02d}.jsonl").read_bytes() == new[f"f{k:02d}.jsonl"] for k in range(3))
    wait_blocked(proc)
    proc.send_signal(sig)
    err = proc.communicate(timeout=60)[1].decode("utf-8", "replace")
    states = []
    for name in sorted(old):
        data = (src / name).read_bytes()
        assert data in (old[name], new[name]), name
        states.append(data == new[name])
    assert states[:3] == [True, True, True] and not states[-1], states
    leftovers = sorted(p.name for p in src.iterdir() if p.name not in old)
    if sig == signal.SIGINT:
        assert proc.returncode == 130 and err.endswith("mtnorm: interrupted\n"), (proc.returncode, err[-500:])
        assert leftovers == []
    else:
        assert proc.returncode == -signal.SIGKILL
        if _o_tmpfile_works(src):  # the file being written has no name until it is complete
            assert leftovers == []


# -- bounded memory and progress ------------------------------------------------------------
def _square(x: int) -> int:
    return x * x


@pytest.mark.parametrize("jobs", [1, 2])
def test_pool_reads_ahead_only_a_bounded_number_of_items(jobs: int) -> None:
    """Input is pulled at most 2 x jobs items ahead of the consumer: memory does not grow with it."""
    from normalize.batch.engine import OrderedPool

    pulled = 0

    def items():
        nonlocal pulled
        for i in range(40):
            pulled += 1
            yield i

    ahead = []
    with OrderedPool(_square, jobs) as pool:
        for consumed, (item, result) in enumerate(pool.map(items()), start=1):
            assert result == item * item
            ahead.append(pulled - consumed)
    assert max(ahead) <= 2 * jobs and pulled == 40


def test_progress_bar_only_on_a_terminal(tmp_path: Path) -> None:
    import pty

    (tmp_path / "in.jsonl").write_text(corpus(50), encoding="utf-8")
    base = [sys.executable, "-m", "normalize", "fix", "--style", "ap", str(tmp_path / "in.jsonl"),
            "-o", str(tmp_path / "out.jsonl")]
    piped = subprocess.run(base, capture_output=True)
    assert b"\r" not in piped.stderr and b"50 records in" in piped.stderr
    import fcntl
    import struct
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 120, 0, 0))  # a real terminal's size
    proc = subprocess.run(base, stderr=follower, stdout=subprocess.DEVNULL)
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.close(leader)
    shown = b"".join(chunks)
    assert proc.returncode == 0 and b"records 50" in shown and b"files 1/1" in shown
    quiet = subprocess.run(base + ["-q"], capture_output=True)
    assert quiet.stderr == b""


def test_file_vanishing_mid_run_via_cli(workdir: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    """While a.jsonl is being read, c.jsonl disappears: a and b are done, c named, exit 2."""
    import normalize.batch.run as batch_run

    (workdir / "corpus").mkdir()
    for name in ("a", "b", "c"):
        (workdir / "corpus" / f"{name}.jsonl").write_text(corpus(3), encoding="utf-8")
    real = batch_run.chunks_of

    def chunks_of(file_no, source, stream, options, task):
        if source.path.endswith("a.jsonl"):
            os.unlink(workdir / "corpus" / "c.jsonl")
        return real(file_no, source, stream, options, task)

    monkeypatch.setattr(batch_run, "chunks_of", chunks_of)
    assert run(["fix", "--style", "ap", "corpus", "--output-dir", "out"]) == 2
    err = capsys.readouterr().err
    assert "corpus/c.jsonl: no such file" in err and "3 files (1 unreadable), 7 records in, 6 out, 4 changed, 1 failed" in err  # 2 dirty records in each of a and b
    assert sorted(p.name for p in (workdir / "out").iterdir()) == ["a.jsonl", "b.jsonl"]


@pytest.mark.parametrize("names,chosen,expected", [
    (["story.txt"], False, 1),             # one text document: no worker
    (["story.txt"], True, 2),              # --jobs given: as asked
    (["story.txt", "other.txt"], False, 2),
    (["story.jsonl"], False, 2),           # records come in many chunks
])
def test_one_text_document_is_checked_in_this_process(workdir: Path, names: list[str], chosen: bool,
                                                      expected: int) -> None:
    """A single text file is one chunk: a worker process would add memory and time, no speed."""
    from normalize.batch.engine import OrderedPool

    for name in names:
        text = '{"text": "Kiev is big."}\n' if name.endswith(".jsonl") else "Kiev is big.\n"
        (workdir / name).write_text(text * 3, encoding="utf-8")
    used = []

    def pool(fn, jobs):
        used.append(jobs)
        return OrderedPool(fn, 1)

    batch = BatchRun(Task("check"), expand_inputs(names), lambda source: Options(lang="en"),
                     jobs=2, pool=pool, parallel_min_bytes=0 if chosen else 1)
    batch.run()
    assert used == [expected]
