"""The Dask engine (normalize.dask) gives what the local batch engine gives.

One LocalCluster (two worker processes) serves the whole module. Every test
compares against the local engine run on the same input: output bytes,
findings, failures with their line numbers, summary counts.
"""
from __future__ import annotations

import json
import time
from collections import Counter

import pytest

distributed = pytest.importorskip("distributed")
pd = pytest.importorskip("pandas")
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
db = pytest.importorskip("dask.bag")
dd = pytest.importorskip("dask.dataframe")

import normalize.batch.formats as batch_formats
from normalize import dask as ndask
from normalize.batch.inputs import expand_inputs
from normalize.batch.output import FileSink, NullSink, ParquetSink
from normalize.batch.records import Task
from normalize.batch.run import BatchRun
from normalize.errors import UsageError
from normalize.linter import Options

OPTIONS = Options(lang="en", style="ap")

TEXTS = [
    "Fighting in Nagorny Karabakh resumed on Monday, officials said.",
    "He said the the talks had failed.\n[ad_1]\nMore text follows here.",
    "A clean sentence about the weather in Paris.",
    "Officials in Kiev said that the the deal is off.",
    "Nothing to see here, just a plain line of news copy.",
    "The the minister visited Nagorny Karabakh.",
]
MALFORMED_LINE = 1234
INVALID_UTF8_LINE = 1789
CRLF_LINE = 77
BLANK_LINE = 500
N_LINES = 2000


def _corpus_bytes() -> bytes:
    lines = []
    for n in range(1, N_LINES + 1):
        if n == MALFORMED_LINE:
            lines.append(b'{"id": "bad", "text": "the the unterminated\n')
        elif n == INVALID_UTF8_LINE:
            lines.append(b'{"id": 9999, "text": "caf\xe9 in Nagorny Karabakh"}\n')
        elif n == BLANK_LINE:
            lines.append(b"\n")
        else:
            record = {"id": n, "text": TEXTS[n % len(TEXTS)], "score": 0.5 + n % 3,
                      "meta": {"lang": "en"}}
            ending = b"\r\n" if n == CRLF_LINE else b"\n"
            lines.append(json.dumps(record, ensure_ascii=False).encode() + ending)
    lines[-1] = lines[-1].rstrip(b"\n")  # no final newline: kept as it is
    return b"".join(lines)


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None) as cluster:
        yield cluster


@pytest.fixture(scope="module")
def client(cluster):
    with distributed.Client(cluster, set_as_default=False) as client:
        yield client


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    path = tmp_path_factory.mktemp("dask-corpus") / "corpus.jsonl"
    path.write_bytes(_corpus_bytes())
    return path


def _batch(task: Task, path, out=None, pool=None):
    """A BatchRun of one file; returns (summary, findings, output bytes or None)."""
    findings = []
    kwargs = {} if pool is None else {"pool": pool}
    sink_for = (lambda f: FileSink(out)) if out is not None else (lambda f: NullSink())
    run = BatchRun(task, expand_inputs([str(path)]), options_for=lambda f: OPTIONS,
                   sink_for=sink_for, quiet=True,
                   on_file=lambda source, fs, outcome: findings.extend(outcome.findings),
                   **kwargs)
    summary = run.run()
    return summary, findings, out.read_bytes() if out is not None else None


@pytest.fixture(scope="module")
def local_fix(corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("local") / "fixed.jsonl"
    mp = pytest.MonkeyPatch()
    mp.setattr(batch_formats, "CHUNK_BYTES", 16 * 1024)  # many chunks: order matters
    try:
        return _batch(Task("fix"), corpus, out)
    finally:
        mp.undo()


@pytest.fixture(scope="module")
def local_check(corpus):
    return _batch(Task("check"), corpus)


def _finding_keys(findings) -> Counter:
    return Counter((f.line, f.data.get("record"), f.data.get("field"), f.rule, f.column, f.text,
                    f.replacement) for f in findings)


def _summary_counts(summary) -> dict:
    return {"records_in": summary.records_in, "records_out": summary.records_out,
            "changed": summary.changed, "failed": summary.failure_count,
            "by_rule": dict(summary.by_rule), "replacements": dict(summary.replacements),
            "failures": [(f.path, f.line, f.record_id, f.message) for f in summary.failures]}


# -- the local reference itself --------------------------------------------------------------
def test_local_reference_reports_true_lines(local_fix, corpus):
    summary, _, out = local_fix
    lines = {f.line for f in summary.failures}
    assert lines == {MALFORMED_LINE, INVALID_UTF8_LINE}
    assert summary.records_in == N_LINES - 1  # the blank line is no record
    assert summary.changed > 900
    assert b"Nagorno-Karabakh" in out and b"Nagorny" in out  # the invalid line passes through
    assert out.count(b"\r\n") == 1 and not out.endswith(b"\n")


# -- (a) BatchRun with the Dask pool -------------------------------------------------------
def test_batchrun_dask_pool_equals_local(cluster, corpus, local_fix, tmp_path, monkeypatch):
    monkeypatch.setattr(batch_formats, "CHUNK_BYTES", 16 * 1024)
    out = tmp_path / "fixed.jsonl"
    pool = ndask.dask_pool_factory(cluster.scheduler_address)
    summary, findings, data = _batch(Task("fix"), corpus, out, pool=pool)
    local_summary, local_findings, local_out = local_fix
    assert data == local_out
    assert _summary_counts(summary) == _summary_counts(local_summary)
    assert _finding_keys(findings) == _finding_keys(local_findings)


def test_batchrun_dask_pool_check_equals_local(client, corpus, local_check, monkeypatch):
    monkeypatch.setattr(batch_formats, "CHUNK_BYTES", 16 * 1024)
    summary, findings, _ = _batch(Task("check"), corpus,
                                  pool=ndask.dask_pool_factory(client=client))
    local_summary, local_findings, _ = local_check
    assert len(findings) > 1000
    assert _finding_keys(findings) == _finding_keys(local_findings)
    assert _summary_counts(summary) == _summary_counts(local_summary)


def test_dask_pool_keeps_order_and_skips(client):
    items = list(range(40))
    with ndask.DaskPool(abs, 1, client=client) as pool:
        assert pool.limit == 4  # 2 x the cluster's 2 worker threads
        got = list(pool.map((-i for i in items), skip=lambda i: i % 7 == 0))
    assert [item for item, _ in got] == [-i for i in items]
    assert [result for _, result in got] == [None if i % 7 == 0 else i for i in items]


# -- (b) fix_jsonl --------------------------------------------------------------------------
def test_fix_jsonl_equals_local(client, corpus, local_fix, tmp_path):
    out = tmp_path / "fixed.jsonl"
    summary = ndask.fix_jsonl(corpus, out, OPTIONS, Task("fix"), client=client, blocksize=20_000)
    local_summary, _, local_out = local_fix
    assert out.read_bytes() == local_out
    assert _summary_counts(summary) == _summary_counts(local_summary)
    assert [f.line for f in summary.failures] == [MALFORMED_LINE, INVALID_UTF8_LINE]
    assert not list(tmp_path.glob(".*mtnorm-tmp"))


def test_fix_jsonl_missing_input_leaves_nothing(client, tmp_path):
    with pytest.raises(UsageError, match="no such file"):
        ndask.fix_jsonl(tmp_path / "nope.jsonl", tmp_path / "out.jsonl", OPTIONS, client=client)
    assert not list(tmp_path.iterdir())


def test_fix_bag_equals_local(client, corpus, local_fix):
    bag = db.read_text(str(corpus), blocksize=25_000, linedelimiter="\n",
                       errors="surrogateescape")
    assert bag.npartitions > 5
    lines = client.compute(ndask.fix_bag(bag, OPTIONS)).result()
    assert "".join(lines).encode("utf-8", "surrogateescape") == local_fix[2]


# -- (c) Parquet and data frames --------------------------------------------------------------
@pytest.fixture(scope="module")
def parquet_input(tmp_path_factory):
    n = 900
    texts = [TEXTS[i % len(TEXTS)] for i in range(n)]
    texts[10] = None  # nulls are skipped and stay null
    table = pa.table({
        "id": pa.array([f"r{i}" for i in range(n)]),
        "text": pa.array(texts, type=pa.string()),
        "score": pa.array([i / 7 for i in range(n)], type=pa.float64()),
        "count": pa.array([i if i % 5 else None for i in range(n)], type=pa.int32()),
        "tags": pa.array([["a", "b"][: i % 3] for i in range(n)], type=pa.list_(pa.string())),
    })
    path = tmp_path_factory.mktemp("parquet") / "corpus.parquet"
    pq.write_table(table, path, row_group_size=250)
    return path


@pytest.fixture(scope="module")
def local_parquet_fix(parquet_input, tmp_path_factory):
    out = tmp_path_factory.mktemp("local-parquet") / "fixed.parquet"
    summary = BatchRun(Task("fix"), expand_inputs([str(parquet_input)]),
                       options_for=lambda f: OPTIONS, sink_for=lambda f: ParquetSink(out),
                       quiet=True).run()
    return summary, pq.read_table(out)


def test_fix_parquet_equals_local(client, parquet_input, local_parquet_fix, tmp_path):
    out = tmp_path / "fixed.parquet"
    summary = ndask.fix_parquet(parquet_input, out, OPTIONS, client=client)
    local_summary, local_table = local_parquet_fix
    table = pq.read_table(out)
    assert table.schema.equals(local_table.schema, check_metadata=True)
    assert table.equals(local_table)
    assert summary.changed == local_summary.changed > 300
    assert summary.records_in == summary.records_out == local_summary.records_in == 900
    assert summary.failure_count == 0


def test_fix_dataframe_equals_local(client, parquet_input, local_parquet_fix):
    ddf = dd.read_parquet(parquet_input, dtype_backend="pyarrow", split_row_groups=True)
    assert ddf.npartitions > 1
    fixed = ndask.fix_dataframe(ddf, OPTIONS)
    assert fixed.npartitions == ddf.npartitions
    frame = client.compute(fixed).result()
    table = pa.Table.from_pandas(frame, preserve_index=False)
    local = local_parquet_fix[1]
    assert table.select(local.column_names).cast(local.schema).equals(local)
    # Only the text column moves; the index stays the input's.
    original = client.compute(ddf).result()
    assert frame.index.equals(original.index)
    pd.testing.assert_frame_equal(frame.drop(columns="text"), original.drop(columns="text"))


def test_fix_dataframe_object_columns(client):
    frame = pd.DataFrame({"text": ["the the end", None, "fine"], "n": [1, 2, 3]},
                         index=[10, 20, 30])
    frame["text"] = frame["text"].astype(object)
    fixed = ndask.fix_dataframe(dd.from_pandas(frame, npartitions=2), OPTIONS)
    result = client.compute(fixed).result()
    assert result["text"].tolist()[0] == "the end"
    assert result["text"].isna().tolist() == [False, True, False]
    assert result.index.tolist() == [10, 20, 30] and result["n"].tolist() == [1, 2, 3]


def test_fix_dataframe_missing_column():
    ddf = dd.from_pandas(pd.DataFrame({"body": ["x"]}), npartitions=1)
    with pytest.raises(UsageError, match="no column 'text'"):
        ndask.fix_dataframe(ddf, OPTIONS)


# -- (d) checks -----------------------------------------------------------------------------
def test_check_bag_equals_local(client, corpus, local_check):
    bag = db.read_text(str(corpus), blocksize=25_000, linedelimiter="\n",
                       errors="surrogateescape")
    found = client.compute(ndask.check_bag(bag, OPTIONS)).result()
    local = local_check[1]
    assert Counter((d["line"], d["record"], d["field"], d["rule"], d["column"], d["text"],
                    d["replacement"]) for d in found) == _finding_keys(local)
    assert {d["path"] for d in found} == {ndask.BAG_PATH}


def test_check_bag_counts_lines_per_path(client, tmp_path):
    data = _corpus_bytes().splitlines(keepends=True)
    paths = [tmp_path / "a.jsonl", tmp_path / "b.jsonl"]
    paths[0].write_bytes(b"".join(data[:300]))
    paths[1].write_bytes(b"".join(data[300:450]))
    bag = db.read_text([str(p) for p in paths], blocksize=4_000, linedelimiter="\n",
                       errors="surrogateescape", include_path=True)
    assert bag.npartitions > 4
    found = client.compute(ndask.check_bag(bag, OPTIONS)).result()
    for path in paths:
        local = _batch(Task("check"), path)[1]
        mine = [d for d in found if d["path"].endswith(path.name)]
        assert len(mine) > 50
        assert Counter((d["line"], d["record"], d["rule"], d["column"]) for d in mine) == \
            Counter((f.line, f.data["record"], f.rule, f.column) for f in local)


def test_check_dataframe_equals_local(client, parquet_input):
    local = _batch(Task("check"), parquet_input)[1]
    # One RangeIndex over the file (dask's reset_index restarts in each partition).
    frame = pq.read_table(parquet_input).to_pandas(types_mapper=pd.ArrowDtype)
    ddf = dd.from_pandas(frame, npartitions=3)
    found = ndask.check_dataframe(ddf, OPTIONS)
    frame = client.compute(found).result()
    assert list(frame.columns) == list(ndask.FINDING_COLUMNS)
    assert dict(frame.dtypes) == dict(found._meta.dtypes)
    got = Counter((row + 1, r.record, r.field, r.rule, r.column, r.text,
                   None if pd.isna(r.replacement) else r.replacement)
                  for row, r in zip(frame.index, frame.itertuples()))
    assert len(frame) > 300
    assert got == _finding_keys(local)


# -- (e) errors -----------------------------------------------------------------------------
def test_unreachable_scheduler_is_a_usage_error(corpus):
    address = "tcp://127.0.0.1:9"  # discard port: nothing listens there
    started = time.monotonic()
    with pytest.raises(UsageError, match="127.0.0.1:9"):
        _batch(Task("check"), corpus, pool=ndask.dask_pool_factory(address, connect_timeout=1))
    assert time.monotonic() - started < 10


def test_missing_dask_is_a_usage_error(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_distributed(name, *args, **kwargs):
        if name == "distributed" or name.startswith("distributed."):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_distributed)
    with pytest.raises(UsageError, match=r"pip install 'mtnorm\[dask\]'"):
        ndask.dask_pool_factory("tcp://127.0.0.1:8786")


def test_cli_engine_dask_equals_local(cluster, corpus, local_fix, tmp_path, capsys):
    """``mtnorm fix --engine dask --scheduler ADDRESS`` writes what the local engine writes."""
    from normalize.cli import main

    out = tmp_path / "cli.jsonl"
    code = main(["fix", "--style", "ap", "-q", "--engine", "dask", "--scheduler",
                 cluster.scheduler_address, str(corpus), "-o", str(out), "--report",
                 str(tmp_path / "r.json")])
    assert code == 2  # the malformed and the invalid UTF-8 line
    assert out.read_bytes() == local_fix[2]
    err = capsys.readouterr().err
    assert f"{corpus}:{MALFORMED_LINE}: malformed JSON" in err
    assert f"{corpus}:{INVALID_UTF8_LINE}: not valid UTF-8" in err
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["totals"]["failed"] == 2
    assert report["totals"]["records_in"] == N_LINES - 1  # the blank line is not a record
    assert report["totals"]["records_out"] == N_LINES - 1 - 2  # in = out + failed


TMX = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="en" datatype="plaintext" segtype="sentence" adminlang="en"
 creationtool="t" creationtoolversion="1" o-tmf="t"/><body>
<tu tuid="a"><tuv xml:lang="en"><seg>The bridge was rebuilt last year.</seg></tuv>
<tuv xml:lang="de"><seg>Die Brücke wurde letztes Jahr wieder aufgebaut.</seg></tuv></tu>
<tu tuid="b"><tuv xml:lang="en"><seg>The council met (in the town hall).</seg></tuv>
<tuv xml:lang="de"><seg>Der Rat tagte (im Rathaus.</seg></tuv></tu>
<tu tuid="c"><tuv xml:lang="en"><seg>The bridge was rebuilt last year.</seg></tuv>
<tuv xml:lang="de"><seg>Die Brücke ist im Vorjahr neu gebaut worden.</seg></tuv></tu>
</body></tmx>
"""


@pytest.mark.parametrize("kind", ["jsonl", "tmx"])
def test_cli_check_engine_dask_equals_local(cluster, corpus, kind, tmp_path, capsys):
    """``mtnorm check --engine dask`` reports what the local engine reports, the corpus
    consistency pass of a translation file included."""
    from normalize.cli import main

    if kind == "tmx":
        path = tmp_path / "memory.tmx"
        path.write_text(TMX, encoding="utf-8")
    else:
        path = corpus
    args = ["check", "--style", "ap", "-q", "-f", "json", str(path)]
    local = main(args)
    local_out = capsys.readouterr().out
    code = main([*args, "--engine", "dask", "--scheduler", cluster.scheduler_address])
    dask_out = capsys.readouterr().out
    assert code == local
    assert json.loads(dask_out) == json.loads(local_out)
    if kind == "tmx":
        rules = {f["rule"] for f in json.loads(dask_out)["files"][0]["findings"]}
        assert {"pair.inconsistent_translation", "pair.brackets"} <= rules


def test_cli_check_round_trip_is_not_sent_to_dask(tmp_path, capsys):
    from normalize.cli import main

    (tmp_path / "a.txt").write_text("Text.\n")
    code = main(["check", "--engine", "dask", "--scheduler", "tcp://127.0.0.1:9", "--round-trip",
                 "--model", str(tmp_path), str(tmp_path / "a.txt")])
    assert code == 2
    assert "--round-trip" in capsys.readouterr().err


def test_cli_engine_dask_unreachable(tmp_path, capsys):
    from normalize.cli import main

    (tmp_path / "a.jsonl").write_text('{"text": "x"}\n')
    t0 = time.monotonic()
    code = main(["fix", "-q", "--engine", "dask", "--scheduler", "tcp://127.0.0.1:9",
                 str(tmp_path / "a.jsonl"), "-o", str(tmp_path / "b.jsonl")])
    assert code == 2 and time.monotonic() - t0 < 30
    assert "tcp://127.0.0.1:9" in capsys.readouterr().err
    assert not (tmp_path / "b.jsonl").exists()
