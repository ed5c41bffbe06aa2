"""``mtnorm score`` and ``normalize.scoring``: every number must be sacrebleu's.

The unit tests use the twenty sentence pairs in ``tests/data/score`` (written
for this project) and compare against sacrebleu called directly. Two groups
read ``../shared/benchmarks`` and are skipped without it: the published WMT22
BLEU/chrF figures, and paired significance on the WMT17 en-de systems against
sacrebleu's own command line.
"""
from __future__ import annotations

import csv
import gzip
import json
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest
from sacrebleu.metrics import BLEU, CHRF, TER
from sacrebleu.significance import PairedTest

from normalize.cli import main
from normalize.errors import UsageError
from normalize.scoring import LengthMismatchError, Scorer, score

DATA = Path(__file__).parent / "data" / "score"
REF_A, REF_B = DATA / "ref.A.en", DATA / "ref.B.en"
SYS1, SYS2 = DATA / "hyp.sys1.en", DATA / "hyp.sys2.en"

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "benchmarks"
WMT22 = SHARED / "wmt22_general"
WMT17 = SHARED / "sacrebleu_wmt17_ende"


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def run_json(capsys: pytest.CaptureFixture[str], *args: str | Path) -> dict:
    code = main(["score", "--format", "json", *map(str, args)])
    out = capsys.readouterr().out
    assert code == 0, out
    return json.loads(out)


def run_error(capsys: pytest.CaptureFixture[str], *args: str | Path) -> str:
    code = main(["score", *map(str, args)])
    err = capsys.readouterr().err
    assert code == 2, err
    return err


# -- scores equal sacrebleu's --------------------------------------------------------------

def test_metrics_equal_sacrebleu(capsys: pytest.CaptureFixture[str]) -> None:
    doc = run_json(capsys, "--ref", REF_A, "-m", "bleu,chrf,chrf++,ter", SYS1)
    hyps, refs = lines(SYS1), [lines(REF_A)]
    metrics = doc["systems"][0]["metrics"]
    for key, metric in (("bleu", BLEU()), ("chrf", CHRF()), ("chrf++", CHRF(word_order=2)),
                        ("ter", TER())):
        expected = metric.corpus_score(hyps, refs)
        assert metrics[key]["score"] == expected.score, key
        assert metrics[key]["name"] == expected.name
        assert metrics[key]["signature"] == metric.get_signature().format()
    assert metrics["bleu"]["signature"].startswith("nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp")
    assert "version:" in metrics["ter"]["signature"]
    assert metrics["bleu"]["details"]["bp"] == BLEU().corpus_score(hyps, refs).bp


def test_default_metrics_and_text_report(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", "-r", str(REF_A), str(SYS1), str(SYS2)]) == 0
    out = capsys.readouterr().out
    header = out.splitlines()[0].split()
    assert header == ["system", "BLEU", "chrF2", "TER"]
    bleu = BLEU().corpus_score(lines(SYS2), [lines(REF_A)]).score
    assert f"{bleu:.2f}" in out
    assert "signatures:" in out and "tok:13a" in out and "tok:tercom" in out


@pytest.mark.parametrize("tokenize,lowercase", [("intl", False), ("char", True), ("none", True)])
def test_api_options_equal_sacrebleu(tokenize: str, lowercase: bool) -> None:
    hyps, refs = lines(SYS2), [lines(REF_A)]
    result = score(hyps, refs, ["bleu", "chrf"], tokenize=tokenize, lowercase=lowercase)
    bleu = BLEU(tokenize=tokenize, lowercase=lowercase)
    chrf = CHRF(lowercase=lowercase)
    assert result["bleu"].score == bleu.corpus_score(hyps, refs).score
    assert result["chrf"].score == chrf.corpus_score(hyps, refs).score
    assert result["bleu"].signature == bleu.get_signature().format()
    assert f"tok:{tokenize}" in result["bleu"].signature
    assert ("case:lc" in result["bleu"].signature) == lowercase


def test_cli_tokenize_and_lowercase(capsys: pytest.CaptureFixture[str]) -> None:
    doc = run_json(capsys, "-r", REF_A, "--tokenize", "char", "--lowercase", "-m", "bleu", SYS2)
    hyps, refs = lines(SYS2), [lines(REF_A)]
    assert doc["systems"][0]["metrics"]["bleu"]["score"] == \
        BLEU(tokenize="char", lowercase=True).corpus_score(hyps, refs).score


def test_lang_picks_sacrebleus_tokenizer() -> None:
    zh_h, zh_r = ["我们今天去北京。", "天气很好"], [["我们明天去北京。", "天气不错"]]
    result = score(zh_h, zh_r, "bleu", lang="zh")
    assert "tok:zh" in result["bleu"].signature
    assert result["bleu"].score == BLEU(trg_lang="zh").corpus_score(zh_h, zh_r).score


def test_multi_reference(capsys: pytest.CaptureFixture[str]) -> None:
    doc = run_json(capsys, "--ref", REF_A, "--ref", REF_B, "-m", "bleu,chrf,ter", SYS1)
    hyps, refs = lines(SYS1), [lines(REF_A), lines(REF_B)]
    metrics = doc["systems"][0]["metrics"]
    assert metrics["bleu"]["score"] == BLEU().corpus_score(hyps, refs).score
    assert metrics["chrf"]["score"] == CHRF().corpus_score(hyps, refs).score
    assert metrics["ter"]["score"] == TER().corpus_score(hyps, refs).score
    assert all(m["signature"].startswith("nrefs:2|") for m in metrics.values())
    assert [r["path"] for r in doc["references"]] == [str(REF_A), str(REF_B)]
    # Two references score higher than either alone (on this data).
    assert metrics["bleu"]["score"] > BLEU().corpus_score(hyps, [lines(REF_A)]).score


def test_python_api_shape() -> None:
    result = score(lines(SYS1), [lines(REF_A), lines(REF_B)])
    assert list(result.metrics) == ["bleu", "chrf", "ter"]
    assert result["chrF2"].key == "chrf"  # aliases resolve
    with pytest.raises(UsageError, match="reference streams"):
        score(lines(SYS1), lines(REF_A))  # type: ignore[arg-type]
    with pytest.raises(LengthMismatchError, match="20"):
        score(lines(SYS1)[:19], [lines(REF_A)])
    with pytest.raises(UsageError, match="unknown metric"):
        score(lines(SYS1), [lines(REF_A)], "meteor")


def test_metric_objects_built_once() -> None:
    scorer = Scorer([lines(REF_A)], "bleu,chrf")
    first = scorer.metric("bleu")
    scorer.score(lines(SYS1))
    scorer.score(lines(SYS2))
    assert scorer.metric("bleu") is first
    # A bootstrap run must not leave "bs:" in the signature of later plain runs.
    assert "bs:50" in scorer.score(lines(SYS1), confidence_n=50)["bleu"].signature
    assert "bs:" not in scorer.score(lines(SYS1))["bleu"].signature


# -- inputs: gzip, JSONL, TSV ----------------------------------------------------------------

def test_gzip_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gz = tmp_path / "sys1.en.gz"
    gz.write_bytes(gzip.compress(SYS1.read_bytes()))
    plain = run_json(capsys, "-r", REF_A, SYS1)["systems"][0]["metrics"]
    zipped = run_json(capsys, "-r", REF_A, gz)["systems"][0]["metrics"]
    assert {k: m["score"] for k, m in plain.items()} == {k: m["score"] for k, m in zipped.items()}


def test_jsonl_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "pairs.jsonl"
    with data.open("w", encoding="utf-8") as out:
        for h1, h2, a, b in zip(lines(SYS1), lines(SYS2), lines(REF_A), lines(REF_B)):
            out.write(json.dumps({"translation": h1, "other": h2, "text": a, "text_b": b}) + "\n")
    doc = run_json(capsys, "--ref", data, "--ref-field", "text", "--hyp-field", "translation",
                   "-m", "bleu,chrf", data)
    expected = BLEU().corpus_score(lines(SYS1), [lines(REF_A)]).score
    assert doc["systems"][0]["metrics"]["bleu"]["score"] == expected
    assert doc["systems"][0]["name"] == f"{data}:translation"
    assert doc["references"][0]["field"] == "text"
    # Two hypothesis fields are two systems; two reference fields are two references.
    doc = run_json(capsys, "--ref", data, "--ref-field", "text", "--ref-field", "text_b",
                   "--hyp-field", "translation", "--hyp-field", "other", "-m", "bleu", data)
    refs = [lines(REF_A), lines(REF_B)]
    assert [s["metrics"]["bleu"]["score"] for s in doc["systems"]] == [
        BLEU().corpus_score(lines(SYS1), refs).score, BLEU().corpus_score(lines(SYS2), refs).score]


def test_tsv_input_by_header_and_by_number(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    rows = list(zip(lines(SYS1), lines(REF_A)))
    named = tmp_path / "pairs.tsv"
    named.write_text("hyp\tref\n" + "".join(f"{h}\t{r}\n" for h, r in rows), encoding="utf-8")
    bare = tmp_path / "bare.tsv"
    bare.write_text("".join(f"{h}\t{r}\n" for h, r in rows), encoding="utf-8")
    expected = CHRF().corpus_score(lines(SYS1), [lines(REF_A)]).score
    doc = run_json(capsys, "-r", named, "--ref-field", "ref", "--hyp-field", "hyp", "-m", "chrf",
                   named)
    assert doc["systems"][0]["metrics"]["chrf"]["score"] == expected
    doc = run_json(capsys, "-r", bare, "--ref-field", "2", "--hyp-field", "1", "-m", "chrf", bare)
    assert doc["systems"][0]["metrics"]["chrf"]["score"] == expected


def test_hypotheses_from_stdin() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "normalize", "score", "-r", str(REF_A), "-m", "bleu", "-f", "tsv",
         "-"], input=SYS1.read_bytes(), capture_output=True, check=False)
    assert proc.returncode == 0, proc.stderr.decode()
    row = proc.stdout.decode().splitlines()[1].split("\t")
    assert row[:3] == ["-", "bleu", ""]
    assert float(row[3]) == BLEU().corpus_score(lines(SYS1), [lines(REF_A)]).score


def test_text_reference_with_jsonl_hypotheses(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "hyps.jsonl"
    data.write_text("".join(json.dumps({"mt": h}) + "\n" for h in lines(SYS1)), encoding="utf-8")
    doc = run_json(capsys, "-r", REF_A, "--hyp-field", "mt", "-m", "bleu", data)
    assert doc["systems"][0]["metrics"]["bleu"]["score"] == \
        BLEU().corpus_score(lines(SYS1), [lines(REF_A)]).score


def test_trailing_whitespace_and_crlf_like_sacrebleu(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    messy = tmp_path / "messy.txt"
    messy.write_bytes("".join(f"{h}  \r\n" for h in lines(SYS1)).encode("utf-8"))
    doc = run_json(capsys, "-r", REF_A, "-m", "ter", messy)
    assert doc["systems"][0]["metrics"]["ter"]["score"] == \
        TER().corpus_score(lines(SYS1), [lines(REF_A)]).score


def test_byte_order_mark_kept_like_sacrebleu(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    # sacrebleu keeps a UTF-8 BOM in the first segment (one WMT17 output has one); so do we,
    # with a warning, unless --strip-bom.
    bom = tmp_path / "bom.txt"
    bom.write_bytes(b"\xef\xbb\xbf" + SYS2.read_bytes())
    hyps, refs = lines(SYS2), [lines(REF_A)]
    assert main(["score", "-r", str(REF_A), "-m", "bleu", "-f", "json", str(bom)]) == 0
    captured = capsys.readouterr()
    assert "byte-order mark" in captured.err and "--strip-bom" in captured.err
    with_bom = ["\ufeff" + hyps[0], *hyps[1:]]
    got = json.loads(captured.out)["systems"][0]["metrics"]["bleu"]["score"]
    assert got == BLEU().corpus_score(with_bom, refs).score
    doc = run_json(capsys, "-r", REF_A, "-m", "bleu", "--strip-bom", bom)
    assert doc["systems"][0]["metrics"]["bleu"]["score"] == BLEU().corpus_score(hyps, refs).score


def test_only_newline_splits_segments(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # U+2028 and form feeds are not line breaks for sacrebleu; str.splitlines would split them.
    hyp = tmp_path / "odd.txt"
    odd = lines(SYS1)
    odd[3] = odd[3].replace(" ", "\u2028", 1)
    odd[5] = odd[5].replace(" ", "\x0c", 1)
    hyp.write_text("\n".join(odd) + "\n", encoding="utf-8")
    doc = run_json(capsys, "-r", REF_A, "-m", "chrf", hyp)
    assert doc["systems"][0]["metrics"]["chrf"]["score"] == \
        CHRF().corpus_score(odd, [lines(REF_A)]).score


# -- segment scores, confidence, significance on the shipped data -----------------------------

def test_segment_scores(capsys: pytest.CaptureFixture[str]) -> None:
    doc = run_json(capsys, "-r", REF_A, "-r", REF_B, "-m", "bleu,chrf,ter", "--segments", SYS2)
    system = doc["systems"][0]
    segments = system["segments"]
    assert [s["line"] for s in segments] == list(range(1, 21))
    bleu, chrf, ter = BLEU(effective_order=True), CHRF(), TER()
    for seg, hyp, a, b in zip(segments, lines(SYS2), lines(REF_A), lines(REF_B)):
        assert seg["bleu"] == bleu.sentence_score(hyp, [a, b]).score
        assert seg["chrf"] == chrf.sentence_score(hyp, [a, b]).score
        assert seg["ter"] == ter.sentence_score(hyp, [a, b]).score
    assert "eff:yes" in system["metrics"]["bleu"]["segment_signature"]


def test_segment_scores_tsv_and_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", "-r", str(REF_A), "-m", "bleu", "--segments", "-f", "tsv",
                 str(SYS1)]) == 0
    rows = list(csv.reader(capsys.readouterr().out.splitlines(), delimiter="\t"))
    assert rows[0] == ["system", "metric", "line", "score", "mean", "ci", "p_value", "signature"]
    assert rows[1][2] == "" and len(rows) == 1 + 1 + 20
    assert float(rows[1][3]) == BLEU().corpus_score(lines(SYS1), [lines(REF_A)]).score
    assert main(["score", "-r", str(REF_A), "-m", "bleu", "--segments", str(SYS1)]) == 0
    assert f"segments of {SYS1}:" in capsys.readouterr().out


def test_confidence_interval_equals_sacrebleu(capsys: pytest.CaptureFixture[str]) -> None:
    doc = run_json(capsys, "-r", REF_A, "-m", "bleu,chrf", "--confidence", "--confidence-n", "200",
                   SYS1)
    hyps, refs = lines(SYS1), [lines(REF_A)]
    for key, metric in (("bleu", BLEU()), ("chrf", CHRF())):
        expected = metric.corpus_score(hyps, refs, n_bootstrap=200)
        got = doc["systems"][0]["metrics"][key]
        assert got["ci"]["mean"] == pytest.approx(expected._mean, abs=1e-9)
        assert got["ci"]["half_width"] == pytest.approx(expected._ci, abs=1e-9)
        assert got["signature"] == metric.get_signature().format()
        assert "bs:200" in got["signature"] and "seed:12345" in got["signature"]


def _sacrebleu_paired(test: str, systems: list[tuple[str, list[str]]], refs: list[list[str]],
                      n: int) -> tuple[dict, dict]:
    # Built the way sacrebleu's command line builds them.
    metrics = {"BLEU": BLEU(references=refs), "CHRF": CHRF(references=refs)}
    return PairedTest(systems, metrics, references=None, test_type=test, n_samples=n)()


@pytest.mark.parametrize("test,n", [("bs", 200), ("ar", 300)])
def test_paired_on_shipped_data(test: str, n: int, capsys: pytest.CaptureFixture[str]) -> None:
    doc = run_json(capsys, "-r", REF_A, "-m", "bleu,chrf", f"--paired-{test}",
                   f"--paired-{test}-n", str(n), SYS1, SYS2)
    sigs, table = _sacrebleu_paired(test, [("a", lines(SYS1)), ("b", lines(SYS2))],
                                    [lines(REF_A)], n)
    base, other = doc["systems"]
    assert base["baseline"] is True and "p_value" not in base["metrics"]["bleu"]
    assert other["metrics"]["bleu"]["p_value"] == table["BLEU"][1].p_value
    assert other["metrics"]["chrf"]["p_value"] == table["chrF2"][1].p_value
    assert doc["significance"]["test"] == test and doc["significance"]["n"] == n
    assert doc["significance"]["signatures"]["bleu"] == sigs["BLEU"].format()
    assert f"{test}:{n}" in doc["significance"]["signatures"]["bleu"]


def test_baseline_option_reorders(capsys: pytest.CaptureFixture[str]) -> None:
    doc = run_json(capsys, "-r", REF_A, "-m", "bleu", "--paired-bs", "--paired-bs-n", "50",
                   "--baseline", SYS2.name, SYS1, SYS2)
    assert [s["name"] for s in doc["systems"]] == [str(SYS2), str(SYS1)]
    assert doc["significance"]["baseline"] == str(SYS2)
    err = run_error(capsys, "-r", REF_A, "--paired-bs", "--baseline", "nope", SYS1, SYS2)
    assert "--baseline 'nope'" in err
    err = run_error(capsys, "-r", REF_A, "--baseline", "x", SYS1, SYS2)
    assert "--paired-bs" in err


def test_seed_option_changes_resampling(capsys: pytest.CaptureFixture[str]) -> None:
    a = run_json(capsys, "-r", REF_A, "-m", "bleu", "-ci", "-cin", "100", SYS2)
    b = run_json(capsys, "-r", REF_A, "-m", "bleu", "-ci", "-cin", "100", "--seed", "7", SYS2)
    assert "seed:7" in b["systems"][0]["metrics"]["bleu"]["signature"]
    assert a["systems"][0]["metrics"]["bleu"]["ci"] != b["systems"][0]["metrics"]["bleu"]["ci"]
    assert os.environ.get("SACREBLEU_SEED") in (None, "12345")  # restored


# -- JSON shape ----------------------------------------------------------------------------

def test_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    doc = run_json(capsys, "-r", REF_A, "-m", "bleu,chrf++", "--name", "good", "--name", "bad",
                   SYS1, SYS2)
    assert set(doc) == {"version", "sacrebleu", "systems", "references"}
    assert doc["references"] == [{"path": str(REF_A), "field": None, "segments": 20}]
    assert [s["name"] for s in doc["systems"]] == ["good", "bad"]
    for system in doc["systems"]:
        assert set(system) == {"name", "path", "metrics"}
        assert list(system["metrics"]) == ["bleu", "chrf++"]
        for metric in system["metrics"].values():
            assert isinstance(metric["score"], float) and "|version:" in metric["signature"]
    assert doc["systems"][0]["metrics"]["chrf++"]["name"] == "chrF2++"


def test_output_file_written(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "scores.json"
    assert main(["score", "-r", str(REF_A), "-f", "json", "-o", str(out), str(SYS1)]) == 0
    assert capsys.readouterr().out == ""
    assert json.loads(out.read_text(encoding="utf-8"))["systems"][0]["name"] == str(SYS1)


# -- errors: exit 2, one line naming file (and line) ------------------------------------------

def test_line_count_mismatch(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    short = tmp_path / "short.txt"
    short.write_text("\n".join(lines(SYS1)[:19]) + "\n", encoding="utf-8")
    err = run_error(capsys, "--ref", REF_A, short)
    assert str(short) in err and str(REF_A) in err and "19" in err and "20" in err
    assert len(err.strip().splitlines()) == 1
    err = run_error(capsys, "--ref", REF_A, "--ref", short, SYS1)
    assert str(short) in err and str(REF_A) in err and "19" in err


def test_invalid_utf8_names_file_and_line(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.txt"
    data = bytearray(SYS1.read_bytes())
    third = data.index(b"\n", data.index(b"\n") + 1) + 1
    data[third:third] = b"\xff"
    bad.write_bytes(bytes(data))
    err = run_error(capsys, "-r", REF_A, bad)
    assert f"{bad}:3:" in err and "UTF-8" in err


def test_malformed_jsonl_names_file_and_line(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "hyps.jsonl"
    records = [json.dumps({"mt": h}) for h in lines(SYS1)]
    records[6] = records[6][:-1]  # drop the closing brace
    data.write_text("\n".join(records) + "\n", encoding="utf-8")
    err = run_error(capsys, "-r", REF_A, "--hyp-field", "mt", data)
    assert f"{data}:7: malformed JSON" in err
    records[6] = json.dumps({"other": "x"})
    data.write_text("\n".join(records) + "\n", encoding="utf-8")
    err = run_error(capsys, "-r", REF_A, "--hyp-field", "mt", data)
    assert f"{data}:7: no field 'mt'" in err
    err = run_error(capsys, "-r", REF_A, data)
    assert "--hyp-field" in err


def test_other_input_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert "no such file" in run_error(capsys, "-r", REF_A, tmp_path / "missing.txt")
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    assert "no segments" in run_error(capsys, "-r", empty, empty)
    bad_gz = tmp_path / "bad.gz"
    bad_gz.write_bytes(gzip.compress(b"hello\n")[:-6])
    assert "gzip" in run_error(capsys, "-r", REF_A, bad_gz)
    assert "unknown metric 'meteor'" in run_error(capsys, "-r", REF_A, "-m", "meteor", SYS1)
    assert "tokenizer" in run_error(capsys, "-r", REF_A, "--tokenize", "nope", SYS1)
    assert "does not apply" in run_error(capsys, "-r", REF_A, "--hyp-field", "x", SYS1)
    tsv = tmp_path / "short.tsv"
    tsv.write_text("a\tb\nonly-one-column\n", encoding="utf-8")
    assert f"{tsv}:2:" in run_error(capsys, "-r", tsv, "--ref-field", "b", "--hyp-field", "a", tsv)


def test_exit_code_through_console_entry(tmp_path: Path) -> None:
    short = tmp_path / "short.txt"
    short.write_text("one line\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "normalize", "score", "-r", str(REF_A),
                           str(short)], capture_output=True, text=True, check=False)
    assert proc.returncode == 2
    assert proc.stderr.startswith("mtnorm: error: line counts differ")


# -- COMET: never downloads, clear error without the extra --------------------------------------

def test_comet_without_extra(monkeypatch: pytest.MonkeyPatch,
                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(sys.modules, "comet", None)  # import comet -> ImportError
    err = run_error(capsys, "-r", REF_A, "--metric", "comet", SYS1)
    assert "pip install 'mtnorm[comet]'" in err and "--comet-model" in err
    assert len(err.strip().splitlines()) == 1


def test_comet_missing_model_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(sys.modules, "comet", types.ModuleType("comet"))
    missing = tmp_path / "no-model.ckpt"
    err = run_error(capsys, "-r", REF_A, "-m", "bleu,comet", "--comet-model", missing, SYS1)
    assert str(missing) in err and "never downloads" in err
    monkeypatch.delenv("MTNORM_COMET_MODEL", raising=False)
    err = run_error(capsys, "-r", REF_A, "-m", "comet", SYS1)
    assert "--comet-model" in err


def test_score_does_not_import_sacrebleu_for_other_commands() -> None:
    code = ("import sys; from normalize.cli import build_parser; build_parser(); "
            "import normalize.scoring; print('sacrebleu' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "False"


# -- the published WMT22 figures (needs ../shared/benchmarks) ---------------------------------

def _published() -> dict[tuple[str, str, str], str]:
    with (WMT22 / "automatic-scores.tsv").open(encoding="utf-8", newline="") as handle:
        return {(r["pair"], r["system"], r["metric"]): r["score"]
                for r in csv.DictReader(handle, delimiter="\t")}


@pytest.mark.parametrize("pair", ["de-en", "zh-en"])
def test_reproduces_published_wmt22_scores(pair: str, capsys: pytest.CaptureFixture[str]) -> None:
    if not (WMT22 / "automatic-scores.tsv").is_file():
        pytest.skip("../shared/benchmarks/wmt22_general is not here")
    published = _published()
    outputs = sorted((WMT22 / "txt" / "system-outputs").glob(f"generaltest2022.{pair}.hyp.*.en.gz"))
    assert outputs
    ref_a = WMT22 / "txt" / "references" / f"generaltest2022.{pair}.ref.A.en"
    ref_b = WMT22 / "txt" / "references" / f"generaltest2022.{pair}.ref.B.en"
    names = [p.name.split(".hyp.")[1][:-len(".en.gz")] for p in outputs]
    name_args = [a for n in names for a in ("--name", n)]
    single = run_json(capsys, "-r", ref_a, "-m", "bleu,chrf", *name_args, *outputs)
    both = run_json(capsys, "-r", ref_a, "-r", ref_b, "-m", "bleu", *name_args, *outputs)
    checked = 0
    for one, two in zip(single["systems"], both["systems"]):
        name = one["name"]
        for metric, got in (("bleu-A", one["metrics"]["bleu"]["score"]),
                            ("chrf-A", one["metrics"]["chrf"]["score"]),
                            ("bleu-all", two["metrics"]["bleu"]["score"])):
            want = published[(pair, name, metric)]
            assert repr(got) == want or abs(got - float(want)) < 1e-9, (name, metric, got, want)
            checked += 1
    assert checked == 3 * len(outputs)


# -- paired tests against sacrebleu's command line on WMT17 (needs ../shared/benchmarks) -------

#: Runs sacrebleu's own main() with only the final table printer swapped for
#: one that dumps the raw results (its JSON printer fails on numpy floats in
#: paired mode), so every p-value is compared at full precision.
SACREBLEU_RAW = str(Path(__file__).resolve().parents[1] / "scripts" / "sacrebleu_raw.py")

# online-A starts with a UTF-8 byte-order mark, which sacrebleu scores as text.
WMT17_SYSTEMS = ["LIUM-NMT.4900", "LMU-nmt-single.4893", "online-A.0"]


@pytest.mark.parametrize("test,n", [("bs", 100), ("ar", 200)])
def test_paired_pvalues_equal_sacrebleu_cli(test: str, n: int,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    ref = WMT17 / "newstest2017.ref.en-de.txt.gz"
    if not ref.is_file():
        pytest.skip("../shared/benchmarks/sacrebleu_wmt17_ende is not here")
    systems = [str(WMT17 / f"newstest2017.{s}.en-de.txt.gz") for s in WMT17_SYSTEMS]
    env = {**os.environ, "SACREBLEU_SEED": "12345", "NO_COLOR": "1"}
    proc = subprocess.run([sys.executable, SACREBLEU_RAW, str(ref), "-i", *systems,
                           "-m", "bleu", "chrf", f"--paired-{test}", f"--paired-{test}-n", str(n),
                           "-q"], capture_output=True, text=True, env=env, check=True)
    raw = json.loads(proc.stdout)
    doc = run_json(capsys, "-r", ref, "-m", "bleu,chrf", f"--paired-{test}",
                   f"--paired-{test}-n", str(n), "--seed", "12345", *systems)
    for key, name in (("bleu", "BLEU"), ("chrf", "chrF2")):
        ours = [s["metrics"][key].get("p_value") for s in doc["systems"]]
        theirs = [v["p_value"] for v in raw[name]]
        assert ours == theirs, (key, ours, theirs)
        assert [s["metrics"][key]["score"] for s in doc["systems"]] == [v["score"] for v in raw[name]]
    assert any(p is not None and p > 0.01 for p in
               (s["metrics"]["bleu"].get("p_value") for s in doc["systems"]))
