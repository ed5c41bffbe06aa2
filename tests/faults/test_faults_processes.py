"""Faults of files and processes, through the CLI: links, special files, kills, orphans.

- ``fix --in-place`` writes through symbolic links (the link stays), keeps
  hard links (every name sees the new content) and modes, and refuses
  FIFOs and devices with a one-line error (exit 2), leaving them as they are.
- ``kill -9`` or SIGTERM of ``fix -j 2`` leaves no process behind (workers,
  the multiprocessing resource tracker) and no temporary file.
- No test of the session leaves an orphan: every process started during the
  session carries :data:`SESSION_TOKEN` in its environment, and at the end
  of the session none of them may have outlived its parent (checked by the
  session fixture below, so it holds for every test file, not only this one).
"""
from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from interrupts import read_until, wait_blocked

from normalize.cli import main

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX links, FIFOs and signals")

#: Set when this file is collected, so every process any test starts afterwards inherits it
#: (always a new one: a pytest run inside a test must not take its parent session's).
SESSION_TOKEN = os.environ["MTNORM_TEST_SESSION"] = uuid.uuid4().hex

DIRTY = "Shelling hit  the outskirts of Kharkov overnight, officials said the the talks would resume.\n"
FIXED = "Shelling hit the outskirts of Kharkiv overnight, officials said the talks would resume.\n"
RECORDS = [
    "Officials in Nagorny Karabakh said the the talks would resume.",
    "[ad_1] The ministry confirmed the figures on Monday.",
    "Shelling hit  the outskirts of Kharkov overnight.",
]


# -- processes: who carries a token, who is whose parent ------------------------------------
def _table() -> dict[int, tuple[int, dict[str, str]]]:
    """pid -> (ppid, environment) of every live (not zombie) process we may inspect."""
    table: dict[int, tuple[int, dict[str, str]]] = {}
    try:
        import psutil
    except ImportError:
        psutil = None
    if psutil is not None:
        for proc in psutil.process_iter():
            try:
                if proc.status() == psutil.STATUS_ZOMBIE:
                    continue
                table[proc.pid] = (proc.ppid(), proc.environ())
            except psutil.Error:  # gone, or not ours
                continue
        return table
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            raw = (entry / "environ").read_bytes()
        except OSError:
            continue
        if fields[0] == "Z":
            continue
        env = dict(item.split("=", 1) for item in raw.decode("utf-8", "replace").split("\0") if "=" in item)
        table[int(entry.name)] = (int(fields[1]), env)
    return table


def _carrying(name: str, value: str) -> dict[int, int]:
    """pid -> ppid of live processes whose environment has ``name=value``."""
    return {pid: ppid for pid, (ppid, env) in _table().items() if env.get(name) == value}


def _descends_from(pid: int, ancestor: int, parents: dict[int, int]) -> bool:
    seen = set()
    while pid in parents and pid not in seen:
        if pid == ancestor:
            return True
        seen.add(pid)
        pid = parents[pid]
    return pid == ancestor


def _wait_until_none(name: str, value: str, seconds: float = 10) -> dict[int, int]:
    """Poll until no process carries ``name=value``; return those still there at the end."""
    deadline = time.monotonic() + seconds
    while True:
        left = _carrying(name, value)
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.1)


@pytest.fixture(scope="session", autouse=True)
def _no_orphans_at_the_end() -> Iterator[None]:
    """At the end of the session no process started by it may have outlived its parent."""
    yield
    if not Path("/proc").is_dir():
        try:
            import psutil  # noqa: F401
        except ImportError:
            return  # nothing to look with
    me = os.getpid()
    deadline = time.monotonic() + 10
    while True:
        table = _table()
        parents = {pid: ppid for pid, (ppid, _) in table.items()}
        orphans = {pid: ppid for pid, (ppid, env) in table.items()
                   if env.get("MTNORM_TEST_SESSION") == SESSION_TOKEN and pid != me
                   and not _descends_from(pid, me, parents) and _is_python(pid)}
        if not orphans or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert not orphans, f"processes of this test session outlived their parent: {_describe(orphans)}"


def _is_python(pid: int) -> bool:
    """Whether ``pid`` runs a Python interpreter: mtnorm's own processes (the command, its
    workers, multiprocessing's resource tracker). Chromium, which the desk's browser tests
    drive, leaves its crash handler running by design (it detaches itself): not ours to judge."""
    try:
        first = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0", 1)[0]
    except OSError:
        return True  # cannot tell (no /proc, or it just ended): keep the strict check
    return os.path.basename(first.decode("utf-8", "replace")).startswith("python")


def _describe(pids: dict[int, int]) -> str:
    out = []
    for pid, ppid in pids.items():
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()[:120]
        except OSError:
            cmd = "?"
        out.append(f"{pid} (parent {ppid}): {cmd}")
    return "; ".join(out)


# -- in-place through links ------------------------------------------------------------------
@pytest.fixture()
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _fix(*argv: str) -> int:
    return main(["fix", "--style", "ap", "-q", *argv])


def test_in_place_writes_through_a_symlink(workdir: Path) -> None:
    (workdir / "real").mkdir()
    target = workdir / "real" / "story.txt"
    target.write_text(DIRTY, encoding="utf-8")
    target.chmod(0o640)
    (workdir / "link.txt").symlink_to("real/story.txt")
    assert _fix("--in-place", "link.txt") == 0
    assert (workdir / "link.txt").is_symlink() and os.readlink(workdir / "link.txt") == "real/story.txt"
    assert target.read_bytes() == FIXED.encode()
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in (workdir / "real").iterdir()) == ["story.txt"]


def test_in_place_jsonl_through_a_symlinked_directory_entry(workdir: Path) -> None:
    data = "".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in enumerate(RECORDS))
    (workdir / "data.jsonl").write_text(data, encoding="utf-8")
    (workdir / "alias.jsonl").symlink_to(workdir / "data.jsonl")
    assert _fix("--in-place", "alias.jsonl") == 0
    texts = [json.loads(line)["text"] for line in (workdir / "data.jsonl").read_text().splitlines()]
    assert texts == ["Officials in Nagorno-Karabakh said the talks would resume.",
                     "The ministry confirmed the figures on Monday.",
                     "Shelling hit the outskirts of Kharkiv overnight."]
    assert (workdir / "alias.jsonl").is_symlink()


@pytest.mark.parametrize("unnamed", [True, False], ids=["o_tmpfile", "named_temp"])
def test_in_place_keeps_hard_links(workdir: Path, monkeypatch: pytest.MonkeyPatch, unnamed: bool) -> None:
    from normalize.batch import output

    if not unnamed:  # filesystems without O_TMPFILE: the named temporary file is the fallback
        monkeypatch.setattr(output, "_open_unnamed", lambda directory: None)
    first = workdir / "a.txt"
    first.write_text(DIRTY, encoding="utf-8")
    first.chmod(0o604)
    os.link(first, workdir / "b.txt")
    inode = first.stat().st_ino
    assert _fix("--in-place", "a.txt") == 0
    for name in ("a.txt", "b.txt"):
        assert (workdir / name).read_bytes() == FIXED.encode(), name
        assert (workdir / name).stat().st_ino == inode
    assert first.stat().st_nlink == 2 and stat.S_IMODE(first.stat().st_mode) == 0o604
    assert sorted(p.name for p in workdir.iterdir()) == ["a.txt", "b.txt"]


def test_output_option_writes_through_a_symlink_and_keeps_the_link(workdir: Path) -> None:
    (workdir / "in.txt").write_text(DIRTY, encoding="utf-8")
    (workdir / "out-target.txt").write_text("old\n", encoding="utf-8")
    (workdir / "out.txt").symlink_to("out-target.txt")
    assert _fix("in.txt", "-o", "out.txt") == 0
    assert (workdir / "out.txt").is_symlink()
    assert (workdir / "out-target.txt").read_bytes() == FIXED.encode()


def test_in_place_shrinking_hard_linked_file_is_truncated(workdir: Path) -> None:
    """The copy over a shared inode must cut the old, longer tail."""
    text = "".join(f"[ad_1] Item {i}: shelling hit  the outskirts overnight.\n" for i in range(200))
    (workdir / "copy.txt").write_text(text, encoding="utf-8")
    assert _fix("copy.txt", "-o", "expected.txt") == 0
    expected = (workdir / "expected.txt").read_bytes()
    assert len(expected) < len(text) - 200 * 7
    (workdir / "a.txt").write_text(text, encoding="utf-8")
    os.link(workdir / "a.txt", workdir / "b.txt")
    assert _fix("--in-place", "b.txt") == 0
    assert (workdir / "a.txt").read_bytes() == expected


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
@pytest.mark.parametrize("where", ["--in-place", "-o"])
def test_fifo_is_refused_and_left_a_fifo(tmp_path: Path, where: str) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    (tmp_path / "in.txt").write_text(DIRTY, encoding="utf-8")
    argv = [str(fifo), "--in-place"] if where == "--in-place" else [str(tmp_path / "in.txt"), "-o", str(fifo)]
    # A subprocess with a timeout: reading or opening a FIFO nobody writes to would hang.
    done = subprocess.run([sys.executable, "-m", "normalize", "fix", "--style", "ap", *argv],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"mtnorm: error: {fifo}: is a FIFO (named pipe), "
                                                   "not a regular file"), done.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.txt", "pipe.txt"]


def test_interrupt_during_a_hard_link_copy_waits_for_the_copy() -> None:
    """Ctrl-C arriving while a shared inode is rewritten is delivered after the copy."""
    from normalize.batch.output import _signals_deferred

    done = []
    with pytest.raises(KeyboardInterrupt), _signals_deferred():
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.05)  # the handler would run here, were it not deferred
        done.append("copy finished")
    assert done == ["copy finished"]


# -- kills: no process, no temporary file left ----------------------------------------------
def _corpus(directory: Path, files: int = 12, records: int = 80) -> dict[str, bytes]:
    directory.mkdir()
    for k in range(files):
        lines = (json.dumps({"id": f"{k}-{i}", "text": RECORDS[i % 3]}) + "\n" for i in range(records + k))
        (directory / f"f{k:02d}.jsonl").write_text("".join(lines), encoding="utf-8")
    return {p.name: p.read_bytes() for p in directory.iterdir()}


def _start_held(argv: list[str], token: str) -> subprocess.Popen:
    """Run ``mtnorm argv`` with ``--show-fixes`` lines in a one-page pipe this test reads.

    Until the test reads them, the unread lines hold the run: it cannot end
    before the test has signalled it.
    """
    env = dict(os.environ, MTNORM_RUN_TOKEN=token)
    # -X faulthandler: should the run hang, SIGABRT makes it say where (see _finish).
    proc = subprocess.Popen([sys.executable, "-X", "faulthandler", "-m", "normalize", *argv],
                            stderr=subprocess.PIPE, env=env)
    import fcntl

    if hasattr(fcntl, "F_SETPIPE_SZ"):
        fcntl.fcntl(proc.stderr.fileno(), fcntl.F_SETPIPE_SZ, 4096)
    return proc


def _finish(proc: subprocess.Popen, timeout: float = 60) -> str:
    """The rest of the run's stderr once it has ended; a run that hangs fails with its stacks."""
    try:
        return proc.communicate(timeout=timeout)[1].decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGABRT)
        err = proc.communicate(timeout=30)[1].decode("utf-8", "replace")
        raise AssertionError(f"the run did not end within {timeout} s; its stderr:\n{err[-6000:]}") from None


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["kill-9", "sigterm"])
def test_killed_parallel_fix_leaves_no_process_and_no_temp_file(tmp_path: Path, sig: int) -> None:
    src = tmp_path / "src"
    old = _corpus(src)
    token = uuid.uuid4().hex
    proc = _start_held(["fix", "--style", "ap", "-q", "-j", "2", "--show-fixes", "--in-place", str(src)],
                       token)
    read_until(proc, str(src / "f02.jsonl").encode())
    wait_blocked(proc)
    running = _carrying("MTNORM_RUN_TOKEN", token)
    children = [pid for pid, ppid in running.items() if ppid == proc.pid]
    # Two workers and the resource tracker: the check below can see what it looks for.
    assert len(children) >= 2, _describe(running)
    proc.send_signal(sig)
    err = _finish(proc)
    left = _wait_until_none("MTNORM_RUN_TOKEN", token, seconds=10)
    assert left == {}, f"outlived the run: {_describe(left)}"
    if sig == signal.SIGTERM:
        assert proc.returncode == 143 and err.endswith("mtnorm: terminated\n"), (proc.returncode, err[-300:])
    else:
        assert proc.returncode == -signal.SIGKILL
    after = {p.name: p.read_bytes() for p in src.iterdir()}
    assert sorted(after) == sorted(old), sorted(set(after) - set(old))  # no temporary file
    # f00 and f01 were written before f02's first edit was listed; the unread lines
    # held the run inside f02, so f02 and the rest are as they were.
    for name in ("f00.jsonl", "f01.jsonl"):
        texts = [json.loads(line)["text"] for line in after[name].splitlines()[:3]]
        assert texts == ["Officials in Nagorno-Karabakh said the talks would resume.",
                         "The ministry confirmed the figures on Monday.",
                         "Shelling hit the outskirts of Kharkiv overnight."], name
    assert all(after[f"f{k:02d}.jsonl"] == old[f"f{k:02d}.jsonl"] for k in range(2, 12))


WORKER_SCRIPT = textwrap.dedent("""
    import multiprocessing, os, sys, time
    from normalize.batch import engine

    def worker(parent, mechanism):
        if mechanism == "watcher":  # no parent-death signal: only the thread watching the pipe
            engine.sys = type("NotLinux", (), {"platform": "other"})
        engine.die_with_parent(parent)
        print("ready", flush=True)
        time.sleep(120)

    if __name__ == "__main__":
        child = multiprocessing.get_context("spawn").Process(target=worker, args=(os.getpid(), sys.argv[1]))
        child.start()
        print(child.pid, flush=True)
        child.join(120)  # a worker that fails ends this too: the test does not wait for nothing
""")


@pytest.mark.parametrize("mechanism", ["prctl", "watcher"])
def test_worker_dies_with_its_parent(tmp_path: Path, mechanism: str) -> None:
    """Each of the two mechanisms alone ends a worker whose parent got ``kill -9``."""
    if mechanism == "prctl" and not sys.platform.startswith("linux"):
        pytest.skip("PR_SET_PDEATHSIG is Linux only")
    script = tmp_path / "parent.py"
    script.write_text(WORKER_SCRIPT, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, str(script), mechanism], stdout=subprocess.PIPE, text=True)
    try:
        lines = sorted([proc.stdout.readline(), proc.stdout.readline()])  # parent's and worker's
        assert lines[1] == "ready\n", lines
        worker = int(lines[0])
        assert worker in _table()
    finally:
        proc.kill()
        proc.wait()
    deadline = time.monotonic() + 10
    while worker in _table() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert worker not in _table(), f"worker {worker} outlived its parent ({mechanism})"
