"""The corpus consistency pass (issue 13): pair.inconsistent_translation and
pair.inconsistent_source across the units and records of a run, through the CLI, the
batch engine with several jobs, Dask, and within one document through the API."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import normalize
from normalize.batch.inputs import expand_inputs
from normalize.batch.records import Task
from normalize.batch.run import BatchRun
from normalize.consistency import ConsistencyIndex, segment
from normalize.linter import Options

RULES = "pair.inconsistent_translation,pair.inconsistent_source"
PAIRS = [
    ("Open the file.", "Öffnen Sie die Datei."),
    ("Save your work.", "Speichern Sie Ihre Arbeit."),
    ("Open the file", "Datei öffnen."),              # line 3: translated otherwise
    ("Close the window.", "Speichern Sie Ihre Arbeit."),  # line 4: another source
    ("open the FILE!", "öffnen Sie die Datei"),      # case and punctuation: consistent
    ("OK", "In Ordnung"),
    ("OK", "Okay"),                                   # nothing to translate: not compared
    ("Open the file.", "Die Datei öffnen"),           # line 8: translated otherwise again
]
EXPECTED = [(3, "pair.inconsistent_translation", 1), (4, "pair.inconsistent_source", 2),
            (8, "pair.inconsistent_translation", 1)]


def _mtnorm(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "normalize", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, encoding="utf-8", timeout=300,
                          check=False)


def _jsonl(folder: Path, repeat: int = 1) -> Path:
    path = folder / "c.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for r in range(repeat):
            for i, (s, t) in enumerate(PAIRS, 1):
                out.write(json.dumps({"id": f"{r}-{i}", "src": s, "text": t},
                                     ensure_ascii=False) + "\n")
    return path


def _found(stdout: str) -> list[tuple[int, str, int]]:
    return [(f["line"], f["rule"], f["data"]["other"]["line"])
            for file in json.loads(stdout)["files"] for f in file["findings"]]


def test_jsonl_through_the_cli_names_the_first_unit(tmp_path: Path) -> None:
    _jsonl(tmp_path)
    args = ("check", "--isolated", "--lang", "de", "--source-lang", "en", "--source-field", "src")
    proc = _mtnorm(*args, "--select", RULES, "-f", "json", "c.jsonl", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert _found(proc.stdout) == EXPECTED
    text = _mtnorm(*args, "--select", RULES, "c.jsonl", cwd=tmp_path).stdout
    assert "c.jsonl:3:" in text and "translated differently at line 1 (id 0-1)" in text
    # Ignorable and re-gradable like any rule.
    proc = _mtnorm(*args, "--select", RULES, "--ignore", "pair.inconsistent_source", "-f", "json",
                   "c.jsonl", cwd=tmp_path)
    assert [r for _, r, _ in _found(proc.stdout)] == ["pair.inconsistent_translation"] * 2
    (tmp_path / "mtnorm.toml").write_text('[severity]\n"pair.inconsistent_source" = "error"\n',
                                          encoding="utf-8")
    proc = _mtnorm("check", "--lang", "de", "--source-lang", "en", "--source-field", "src",
                   "--select", RULES, "c.jsonl", cwd=tmp_path)
    assert proc.returncode == 1 and "error pair.inconsistent_source" in proc.stdout


def test_same_findings_whatever_the_jobs_and_chunks(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from normalize.batch import formats

    path = _jsonl(tmp_path, repeat=40)
    options = Options(lang="de", source_lang="en", select=tuple(RULES.split(",")))
    task = Task("check", source_field="src", consistency=True)

    from normalize import consistency

    found = []
    monkeypatch.setattr(formats, "CHUNK_BYTES", 200)   # many chunks
    for jobs, spill_at in ((1, None), (2, None), (1, 1), (2, 3)):
        # (with spill_at: the run's index moves to its database at once or early on)
        monkeypatch.setattr(consistency, "SPILL_AT", spill_at or consistency.SPILL_AT)
        outcomes: list = []
        files = expand_inputs([str(path)])
        BatchRun(task, files, lambda f: options, jobs=jobs, parallel_min_bytes=0, quiet=True,
                 on_file=lambda s, summary, o, kept=outcomes: kept.append(o)).run()
        found.append([(f.line, f.rule, f.data["other"]["line"]) for f in outcomes[0].findings])
    assert found[0] == found[1] == found[2] == found[3]
    # Every copy of the corpus gives the same three findings, naming the first copy's units.
    assert found[0][:3] == EXPECTED and len(found[0]) == 3 * 40
    assert {other for _, _, other in found[0]} == {1, 2}
    assert found[0] == sorted(found[0], key=lambda f: f[0])


PO = """\
msgid ""
msgstr ""
"Language: de\\n"
"Content-Type: text/plain; charset=UTF-8\\n"

msgctxt "menu"
msgid "Open the file"
msgstr "Datei öffnen"

msgctxt "dialog"
msgid "Open the file"
msgstr "Öffnen Sie die Datei"

msgid "Save your work"
msgstr "Speichern Sie Ihre Arbeit"

msgid "Save your work"
msgstr "Sichern Sie Ihre Arbeit"
"""

XLIFF = """\
<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file source-language="en" target-language="de" datatype="plaintext" original="a">
    <body>
      <trans-unit id="u1"><source>Save your <g id="1">work</g>.</source><target>Speichern Sie Ihre <g id="1">Arbeit</g>.</target></trans-unit>
      <trans-unit id="u2"><source>Close the window.</source><target>Speichern Sie Ihre Arbeit.</target></trans-unit>
    </body>
  </file>
</xliff>
"""


def test_translation_files_and_a_corpus_of_several(tmp_path: Path) -> None:
    (tmp_path / "a.po").write_text(PO, encoding="utf-8")
    (tmp_path / "b.xlf").write_text(XLIFF, encoding="utf-8")
    proc = _mtnorm("check", "--isolated", "--source-lang", "en", "--select", RULES, "-f", "json",
                   "a.po", "b.xlf", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    found = [(file["path"], f["line"], f["rule"], f["message"])
             for file in json.loads(proc.stdout)["files"] for f in file["findings"]]
    # The same msgid in two contexts is two segments; without a context, one.
    assert found[0][:3] == ("a.po", 17, "pair.inconsistent_translation")
    assert found[0][3].endswith("at line 14 (id Save your work)")
    # Across files: the XLIFF's u2 repeats a.po's translation for another source; its
    # markup is no part of the text compared (u1 is the same as the PO's entry).
    assert [(p, line, rule) for p, line, rule, _ in found[1:]] == [
        ("b.xlf", 6, "pair.inconsistent_source")]
    assert "a.po:14" in found[1][3]


def test_within_one_document_through_the_api() -> None:
    source = "".join(s + "\n" for s, _ in PAIRS)
    target = "".join(t + "\n" for _, t in PAIRS)
    found = normalize.check(target, lang="de", source_lang="en", source=source,
                            select=RULES.split(","))
    assert [(f.line, f.rule, f.data["other"]["line"]) for f in found] == EXPECTED
    assert found[0].text == "Datei öffnen."


def test_memory_cap_keeps_comparing_and_says_so() -> None:
    index = ConsistencyIndex(limit=1)
    segs = [segment(s, t, pair="en>de", line=i) for i, (s, t) in enumerate(PAIRS, 1)]
    found = index.observe("x", [s for s in segs if s is not None])
    # Only the first source and translation are held: later ones are compared with them.
    assert [(f.line, f.rule) for f in found] == [(3, "pair.inconsistent_translation"),
                                                 (8, "pair.inconsistent_translation")]
    assert index.dropped and "later ones were compared" in index.note()


def test_dask_pool_and_frames_give_the_local_findings(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    pd = pytest.importorskip("pandas")
    dd = pytest.importorskip("dask.dataframe")
    from normalize import dask as ndask

    path = _jsonl(tmp_path, repeat=3)
    options = Options(lang="de", source_lang="en", select=tuple(RULES.split(",")))
    task = Task("check", source_field="src", consistency=True)

    def findings(**kw) -> list:
        outcomes = []
        BatchRun(task, expand_inputs([str(path)]), lambda f: options, quiet=True,
                 on_file=lambda s, summary, o: outcomes.append(o), **kw).run()
        return [(f.line, f.rule, f.message) for f in outcomes[0].findings]

    local = findings()
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster, set_as_default=False) as client:
        assert findings(pool=ndask.dask_pool_factory(client=client), jobs=2) == local
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        frame = pd.DataFrame(rows)
        for parts in (1, 4):
            ddf = dd.from_pandas(frame, npartitions=parts)
            out = ndask.check_consistency(ddf, options, task, client=client)
            assert [(i + 1, r) for i, r in zip(out.index, out["rule"])] == \
                [(line, rule) for line, rule, _ in local]


def test_unrelated_segments_are_warnings_variants_info() -> None:
    source = ("The committee approved the new budget on Monday.\n"
              "Heavy rain flooded several streets in the old town.\n"
              "Mit freundlichen Grüßen\nMit freundlichen Grüßen\n")
    target = ("Der Ausschuss billigte am Montag den neuen Haushalt.\n"
              "Der Ausschuss billigte am Montag den neuen Haushalt.\n"   # misplaced
              "Beste Grüße\nViele Grüße\n")                              # a variant
    found = normalize.check(target, lang="de", source_lang="en", source=source,
                            select=RULES.split(","))
    assert [(f.line, f.rule, str(f.severity)) for f in found] == [
        (2, "pair.inconsistent_source", "warning"), (4, "pair.inconsistent_translation", "info")]
    assert "an unrelated source segment at line 1" in found[0].message
    assert found[0].data["likeness"] < 0.25


def test_baseline_records_and_drops_corpus_findings(tmp_path: Path) -> None:
    _jsonl(tmp_path)
    args = ("check", "--isolated", "--lang", "de", "--source-lang", "en", "--source-field", "src",
            "--select", RULES, "c.jsonl")
    proc = _mtnorm(*args, "--write-baseline", "base.json", cwd=tmp_path)
    assert proc.returncode == 0 and "wrote 3 findings" in proc.stderr, proc.stderr
    proc = _mtnorm(*args, "--baseline", "base.json", "-f", "json", cwd=tmp_path)
    assert proc.returncode == 0 and _found(proc.stdout) == [], proc.stderr


def _corpus_segments(n: int, seed: int = 1) -> list:
    """``n`` units over a small vocabulary, a third of them repeating an earlier source or
    translation (with a new other side, or as it was): findings of both rules."""
    import random

    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyzäöüß"
    words = ["".join(rng.choice(letters) for _ in range(rng.randint(4, 9))) for _ in range(500)]

    def sentence() -> str:
        return " ".join(rng.choice(words) for _ in range(rng.randint(3, 9)))

    pairs: list[tuple[str, str]] = []
    for _ in range(n):
        if pairs and rng.random() < 0.35:
            s, t = rng.choice(pairs)
            r = rng.random()
            pairs.append((s, sentence()) if r < 0.3 else (sentence(), t) if r < 0.6 else (s, t))
        else:
            pairs.append((sentence(), sentence()))
    segs = [segment(s, t, pair="en>de", line=i, record=f"u{i}" if i % 3 else None)
            for i, (s, t) in enumerate(pairs, 1)]
    return [s for s in segs if s is not None]


def _observed(segs: list, **kw) -> tuple[list, int, bool]:
    index = ConsistencyIndex(**kw)
    try:
        found = []
        for k in range(0, len(segs), 250):   # chunk by chunk, two files, as a run feeds it
            found += index.observe("a.tmx" if k < len(segs) // 2 else "b.tmx", segs[k:k + 250])
        return [(f.line, f.rule, f.severity, f.message, f.data) for f in found], \
            index.dropped, index.on_disk
    finally:
        index.close()


def test_index_moved_to_disk_finds_the_same() -> None:
    segs = _corpus_segments(3000)
    in_memory = _observed(segs)
    assert not in_memory[2] and len(in_memory[0]) > 300
    rules = {f[1] for f in in_memory[0]}
    assert rules == {"pair.inconsistent_translation", "pair.inconsistent_source"}
    # Moved at once, part way through a chunk, and with the cap reached on disk.
    for spill_at in (1, 777):
        on_disk = _observed(segs, spill_at=spill_at)
        assert on_disk[2]
        assert on_disk[:2] == in_memory[:2]
    capped = _observed(segs, limit=900)
    assert capped[1] > 0
    assert _observed(segs, limit=900, spill_at=400)[:2] == capped[:2]


def test_index_memory_stays_flat_past_the_spill() -> None:
    import tracemalloc

    from normalize.consistency import Segment

    def observe(n: int, spill_at: int) -> int:
        """Python memory the index holds after ``n`` distinct pairs."""
        tracemalloc.start()
        index = ConsistencyIndex(limit=10**9, spill_at=spill_at)
        try:
            for k in range(0, n, 1000):
                index.observe("big.tmx", [
                    Segment(source=(i * 0x9E3779B97F4A7C15) % (1 << 64),
                            target=(i * 0xC2B2AE3D27D4EB4F + 7) % (1 << 64), flags=3, line=i,
                            column=1, record=f"unit-{i}", field="target", text="x",
                            source_sketch=i * 12345, target_sketch=i * 54321)
                    for i in range(k, k + 1000)])
            return tracemalloc.get_traced_memory()[0]
        finally:
            tracemalloc.stop()
            index.close()

    held = observe(40_000, 10**9)
    spilled = observe(40_000, 2_000)
    assert held > 15 * 2**20          # ~500 bytes a pair in dicts
    assert spilled < 2 * 2**20        # the dicts are gone; SQLite's cache is bounded


def test_no_temporary_database_keeps_the_index_in_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite3

    from normalize import consistency

    segs = _corpus_segments(1500)
    expected = _observed(segs)

    def refuse(*args: object, **kw: object) -> sqlite3.Connection:
        raise sqlite3.OperationalError("unable to open database file")

    monkeypatch.setattr(consistency.sqlite3, "connect", refuse)
    index = ConsistencyIndex(spill_at=100)
    found = []
    for k in range(0, len(segs), 250):
        found += index.observe("a.tmx" if k < len(segs) // 2 else "b.tmx", segs[k:k + 250])
    assert [(f.line, f.rule, f.severity, f.message, f.data) for f in found] == expected[0]
    assert not index.on_disk and index.dropped == 0
    assert "unable to open database file" in (index.note() or "")


def test_a_full_disk_mid_run_is_noted_not_fatal(monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite3

    from normalize import consistency

    real_connect = sqlite3.connect

    class FillsUp:
        """A connection whose disk is full after a few hundred writes."""

        def __init__(self, *args: object, **kw: object) -> None:
            self.db = real_connect(*args, **kw)
            self.writes = 0

        def execute(self, sql: str, *params: object) -> sqlite3.Cursor:
            if sql.startswith("INSERT"):
                self.writes += 1
                if self.writes > 300:
                    raise sqlite3.OperationalError("database or disk is full")
            return self.db.execute(sql, *params)

        def executemany(self, sql: str, rows: object) -> sqlite3.Cursor:
            return self.db.executemany(sql, rows)

        def close(self) -> None:
            self.db.close()

    segs = _corpus_segments(2000)
    expected = _observed(segs)
    monkeypatch.setattr(consistency.sqlite3, "connect", FillsUp)
    found, dropped, on_disk = _observed(segs, spill_at=50)
    assert on_disk and dropped > 0
    # What was remembered still finds its repeats; nothing is invented.
    assert found and set(map(repr, found)) <= set(map(repr, expected[0]))
    index = ConsistencyIndex(spill_at=50)
    for k in range(0, len(segs), 250):
        index.observe("a.tmx", segs[k:k + 250])
    assert "disk is full" in (index.note() or "") and "not remembered" in (index.note() or "")
    index.close()
