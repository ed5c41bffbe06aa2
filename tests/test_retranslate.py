"""``mtnorm retranslate``, ``mtnorm models`` and :mod:`normalize.translation`, offline.

The neural tests build real, tiny models in a temporary directory: a
sentencepiece model trained on a few hundred generated sentences, a randomly
initialised MarianMTModel (d_model 16, one layer) with its MarianTokenizer,
and a tiny M2M100 model for the multilingual path. They are run through the
same code users run (``--model PATH``, the local store, the Hugging Face
cache layout). A random model translates into noise, so every round-trip
segment scores low and becomes a finding. They are skipped when torch,
transformers or sentencepiece is missing (``pip install 'mtnorm[neural]'``);
the other tests need none of them.
"""
from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from normalize.cli import main
from normalize.translation import registry as model_registry
from normalize.translation.errors import ModelNotFoundError
from normalize.translation.segment import join, split_segments

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "corpora" / "examples" / "wire-kharkiv-en-from-fr.txt"

#: French input with what layout must survive: CRLF, blank lines, indentation, several
#: sentences on one line, a line with nothing to translate, a trailing line without newline.
FRENCH = ("[ad_1]\n"
          "Les forces russes ont bombardé la ville. Le gouverneur a parlé mercredi.\r\n"
          "\r\n"
          "  M. Dupont a dit que la situation restait difficile.\n"
          "\n"
          "\n"
          "— 12 —\n"
          "Les combats ont repris au nord de la ville !")

_WORDS = ["les", "forces", "russes", "ont", "bombardé", "la", "ville", "le", "gouverneur", "a", "parlé", "mercredi", "situation", "restait", "difficile", "combats", "repris", "au", "nord", "de", "dit", "que", "the", "russian", "forces", "shelled", "city", "governor", "said", "on", "wednesday", "fighting", "resumed", "north", "of", "remained", "difficult"]


# -- environment: no real store or cache leaks in ---------------------------------------------

@pytest.fixture(autouse=True)
def _isolated_model_dirs(tmp_path_factory: pytest.TempPathFactory,
                         monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    store = tmp_path_factory.mktemp("store")
    cache = tmp_path_factory.mktemp("hf-cache")
    monkeypatch.setenv("MTNORM_MODELS_DIR", str(store))
    monkeypatch.setenv("HF_HUB_CACHE", str(cache))
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    return {"store": store, "cache": cache}


def _dirs() -> tuple[Path, Path]:
    return Path(os.environ["MTNORM_MODELS_DIR"]), Path(os.environ["HF_HUB_CACHE"])


def run_cli(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


# -- segmentation (no model) -------------------------------------------------------------------

def test_segments_keep_layout() -> None:
    segments = split_segments(FRENCH, "fr")
    assert [s.text for s in segments] == [
        "[ad_1]", "Les forces russes ont bombardé la ville.", "Le gouverneur a parlé mercredi.",
        "M. Dupont a dit que la situation restait difficile.", "— 12 —",
        "Les combats ont repris au nord de la ville !"]
    assert all(FRENCH[s.start:s.end] == s.text for s in segments)
    assert join(FRENCH, segments, [s.text for s in segments]) == FRENCH
    replaced = join(FRENCH, segments, [f"<{i}>" for i in range(len(segments))])
    assert replaced == "<0>\n<1> <2>\r\n\r\n  <3>\n\n\n<4>\n<5>"
    assert not segments[4].translatable and segments[0].translatable


def test_segments_abbreviations_and_quotes() -> None:
    text = "Mr. Smith met Gen. Lee in St. Louis. “Yes!” he said. Then J. K. Rowling left… 3 died."
    assert [s.text for s in split_segments(text, "en")] == [
        "Mr. Smith met Gen. Lee in St. Louis.", "“Yes!” he said.", "Then J. K. Rowling left…",
        "3 died."]
    assert [s.text for s in split_segments("Am 12. Mai kam er. Dann ging er.", "de")] == [
        "Am 12. Mai kam er.", "Dann ging er."]


def test_join_keeps_line_structure_when_a_translation_has_newlines() -> None:
    segments = split_segments("Un.\nDeux.\n")
    assert join("Un.\nDeux.\n", segments, ["One\nline", " Two. "]) == "One line\nTwo.\n"


# -- registry and store (no model) ------------------------------------------------------------

def test_registry_pairs_and_fallbacks() -> None:
    reg = model_registry.load_registry()
    assert [e.name for e in reg.candidates("fr", "en")] == [
        "opus-mt-fr-en", "m2m100_418M", "nllb-200-distilled-600M"]
    assert reg.candidates("fr-CH", "en")[0].repo == "Helsinki-NLP/opus-mt-fr-en"
    # No OPUS-MT model for uk-it in the registry: the multilingual ones only.
    assert [e.family for e in reg.candidates("uk", "it")] == ["m2m100", "nllb"]
    assert reg.get("nllb-200-distilled-600M").code("fr") == "fra_Latn"
    assert reg.get("m2m100_418M").code("ru") == "ru"
    assert reg.candidates("fr", "xx") == []
    with pytest.raises(Exception, match="SOURCE-TARGET"):
        model_registry.parse_registry({"models": [{"name": "a", "repo": "b/a",
                                                   "family": "marian", "pairs": ["fren"]}]})


def test_missing_model_says_how_to_get_it() -> None:
    from normalize.translation.resolve import resolve

    with pytest.raises(ModelNotFoundError) as info:
        resolve("fr", "en")
    message = str(info.value)
    assert "mtnorm models fetch opus-mt-fr-en" in message
    assert "--model PATH" in message
    assert str(_dirs()[0]) in message
    with pytest.raises(ModelNotFoundError, match="no model in models/registry.yaml"):
        resolve("fr", "xx")


def _fake_model(path: Path, config: dict, tokenizer: dict | None = None) -> Path:
    path.mkdir(parents=True)
    (path / "config.json").write_text(json.dumps(config))
    if tokenizer is not None:
        (path / "tokenizer_config.json").write_text(json.dumps(tokenizer))
    return path


def test_model_directories_are_recognised(tmp_path: Path) -> None:
    """Family and language codes come from the directory's JSON files (no torch needed)."""
    from normalize.errors import UsageError
    from normalize.translation.resolve import resolve

    nllb = _fake_model(tmp_path / "nllb", {"model_type": "m2m_100"},
                       {"tokenizer_class": "NllbTokenizerFast"})
    resolved = resolve("fr", "uk", str(nllb))
    assert (resolved.family, resolved.source_code, resolved.target_code) == (
        "nllb", "fra_Latn", "ukr_Cyrl")
    m2m = _fake_model(tmp_path / "m2m", {"model_type": "m2m_100"},
                      {"tokenizer_class": "M2M100Tokenizer"})
    assert resolve("de", "en", str(m2m)).family == "m2m100"
    marian = _fake_model(tmp_path / "marian", {"model_type": "marian"},
                         {"source_lang": "de", "target_lang": "en"})
    assert resolve("de", "en", str(marian)).warning is None
    assert "declares the pair de-en" in resolve("fr", "en", str(marian)).warning
    t5 = _fake_model(tmp_path / "t5", {"model_type": "t5"})
    with pytest.raises(UsageError, match="not supported"):
        resolve("fr", "en", str(t5))
    with pytest.raises(UsageError, match="both 'fr'"):
        resolve("fr", "fr-CA", str(marian))
    # A registry name given to --model is looked up in the store.
    with pytest.raises(ModelNotFoundError, match="mtnorm models fetch opus-mt-fr-en"):
        resolve("fr", "en", "opus-mt-fr-en")


def test_models_list_shows_local_copies(capsys: pytest.CaptureFixture[str]) -> None:
    store, cache = _dirs()
    (store / "opus-mt-fr-en").mkdir()
    (store / "opus-mt-fr-en" / "config.json").write_text('{"model_type": "marian"}')
    snapshot = cache / "models--facebook--m2m100_418M" / "snapshots" / "abc123"
    snapshot.mkdir(parents=True)
    (snapshot / "config.json").write_text('{"model_type": "m2m_100"}')
    (cache / "models--facebook--m2m100_418M" / "refs").mkdir()
    (cache / "models--facebook--m2m100_418M" / "refs" / "main").write_text("abc123")

    code, out, _ = run_cli(capsys, "models", "list", "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["store"] == str(store) and doc["hf_cache"] == str(cache)
    rows = {r["name"]: r for r in doc["models"]}
    assert rows["opus-mt-fr-en"]["present"] and rows["opus-mt-fr-en"]["origin"] == "store"
    assert rows["m2m100_418M"]["origin"] == "hf-cache"
    assert rows["m2m100_418M"]["path"] == str(snapshot)
    assert not rows["opus-mt-en-fr"]["present"]
    assert rows["nllb-200-distilled-600M"]["languages"][:2] == ["ar", "cs"]

    code, out, _ = run_cli(capsys, "models", "list")
    assert code == 0
    assert "opus-mt-fr-en" in out and "2 of" in out and "models fetch NAME" in out


def test_models_fetch_fails_cleanly_without_network(capsys: pytest.CaptureFixture[str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("huggingface_hub")
    store, _ = _dirs()
    # A closed port on this machine: fails at once, and never downloads even where
    # the tests happen to have network access.
    code, _, err = run_cli(capsys, "models", "fetch", "opus-mt-fr-en",
                           "--endpoint", "http://127.0.0.1:9")
    assert code == 2
    assert "could not download Helsinki-NLP/opus-mt-fr-en" in err
    assert "Traceback" not in err
    assert not (store / "opus-mt-fr-en").exists() and not list(store.iterdir())

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    code, _, err = run_cli(capsys, "models", "fetch", "opus-mt-fr-en")
    assert code == 2 and "HF_HUB_OFFLINE is set" in err

    code, _, err = run_cli(capsys, "models", "fetch", "no-such-model")
    assert code == 2 and "mtnorm models list" in err


def test_missing_extra_names_the_install_line(capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch,
                                              tmp_path: Path) -> None:
    source = tmp_path / "in.txt"
    source.write_text("Bonjour.\n", encoding="utf-8")
    for missing in ("torch", "transformers"):
        with monkeypatch.context() as m:
            m.setitem(sys.modules, missing, None)  # makes `import missing` raise ImportError
            code, out, err = run_cli(capsys, "retranslate", source, "--from", "fr", "--to", "en",
                                     "--model", tmp_path)
        assert code == 2, err
        assert out == ""
        # Without torch installed at all, torch is what is reported either way.
        assert f"needs {missing}" in err or "needs torch" in err
        assert "pip install 'mtnorm[neural]'" in err


def test_check_and_fix_never_import_torch(tmp_path: Path) -> None:
    """The neural packages load only for retranslate / --round-trip."""
    script = (
        "import sys\n"
        "import normalize, normalize.translation\n"
        "from normalize.cli import main\n"
        f"main(['check', {str(EXAMPLE)!r}, '--format', 'json',"
        f" '-o', {str(tmp_path / 'r.json')!r}])\n"
        f"main(['fix', {str(EXAMPLE)!r}, '-o', {str(tmp_path / 'f.txt')!r}])\n"
        "heavy = [m for m in ('torch', 'transformers', 'sentencepiece') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
        "print('ok')\n")
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, cwd=REPO)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == "ok"


def test_option_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    source = tmp_path / "in.txt"
    source.write_text("Bonjour.\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "retranslate", source, "--from", "fr", "--to", "en",
                           "--threshold", "20")
    assert code == 2 and "--threshold goes with --round-trip" in err
    code, _, err = run_cli(capsys, "retranslate", source, "--from", "fr", "--to", "en",
                           "--batch-size", "0")
    assert code == 2 and "--batch-size" in err
    code, _, err = run_cli(capsys, "check", source, "--round-trip")
    assert code == 2 and "--round-trip needs --source-lang" in err


# -- tiny real models ---------------------------------------------------------------------------

def _sentences(n: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.choice(_WORDS) for _ in range(rng.randint(4, 12))).capitalize() + "."
            for _ in range(n)]


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A random MarianMTModel and a random M2M100 model with real tokenizers, saved."""
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    spm = pytest.importorskip("sentencepiece")
    import torch
    from transformers import (
        M2M100Config,
        M2M100ForConditionalGeneration,
        M2M100Tokenizer,
        MarianConfig,
        MarianMTModel,
        MarianTokenizer,
    )
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    # Models this small gain nothing from intra-op threads, and lose a lot to them on a
    # busy machine.
    torch.set_num_threads(1)
    root = tmp_path_factory.mktemp("tiny-models")
    corpus = root / "corpus.txt"
    corpus.write_text("\n".join(_sentences(400)) + "\n", encoding="utf-8")
    spm.SentencePieceTrainer.train(
        input=str(corpus), model_prefix=str(root / "spm"), vocab_size=150, model_type="unigram",
        character_coverage=1.0, unk_id=0, eos_id=1, bos_id=-1, pad_id=-1,
        hard_vocab_limit=False, minloglevel=2, num_threads=1)
    processor = spm.SentencePieceProcessor(model_file=str(root / "spm.model"))
    pieces = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
    torch.manual_seed(0)

    marian = root / "marian"
    marian.mkdir()
    shutil.copy(root / "spm.model", marian / "source.spm")
    shutil.copy(root / "spm.model", marian / "target.spm")
    vocab = {piece: i for i, piece in enumerate(pieces)}
    vocab["<pad>"] = len(vocab)
    (marian / "vocab.json").write_text(json.dumps(vocab), encoding="utf-8")
    MarianTokenizer(source_spm=str(marian / "source.spm"), target_spm=str(marian / "target.spm"),
                    vocab=str(marian / "vocab.json")).save_pretrained(str(marian))
    MarianMTModel(MarianConfig(
        vocab_size=len(vocab), d_model=16, encoder_layers=1, decoder_layers=1,
        encoder_attention_heads=2, decoder_attention_heads=2, encoder_ffn_dim=32,
        decoder_ffn_dim=32, max_position_embeddings=32, pad_token_id=vocab["<pad>"],
        eos_token_id=vocab["</s>"], decoder_start_token_id=vocab["<pad>"],
        forced_eos_token_id=vocab["</s>"])).save_pretrained(str(marian))

    m2m = root / "m2m"
    m2m.mkdir()
    m2m_vocab = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3}
    for piece in pieces:
        m2m_vocab.setdefault(piece, len(m2m_vocab))
    (m2m / "vocab.json").write_text(json.dumps(m2m_vocab), encoding="utf-8")
    shutil.copy(root / "spm.model", m2m / "sentencepiece.bpe.model")
    tokenizer = M2M100Tokenizer(vocab_file=str(m2m / "vocab.json"),
                                spm_file=str(m2m / "sentencepiece.bpe.model"))
    tokenizer.save_pretrained(str(m2m))
    M2M100ForConditionalGeneration(M2M100Config(
        vocab_size=max(tokenizer.lang_token_to_id.values()) + 1, d_model=16, encoder_layers=1,
        decoder_layers=1, encoder_attention_heads=2, decoder_attention_heads=2,
        encoder_ffn_dim=32, decoder_ffn_dim=32, max_position_embeddings=32, pad_token_id=1,
        bos_token_id=0, eos_token_id=2, decoder_start_token_id=2)).save_pretrained(str(m2m))
    return {"marian": marian, "m2m": m2m}


@pytest.fixture
def french_file(tmp_path: Path) -> Path:
    path = tmp_path / "depeche.txt"
    path.write_bytes(FRENCH.encode("utf-8"))
    return path


def _layout(text: str) -> list[tuple[bool, str, str]]:
    """Per line: blank or not, its leading white space, its line ending."""
    out = []
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        out.append((not body.strip(), body[:len(body) - len(body.lstrip())], line[len(body):]))
    return out


def test_retranslate_keeps_paragraph_structure(tiny_models: dict[str, Path], french_file: Path,
                                               tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    from normalize.translation import translate_document

    out = tmp_path / "out.txt"
    code, stdout, err = run_cli(capsys, "retranslate", french_file, "--from", "fr", "--to", "en",
                                "--model", tiny_models["marian"], "-o", out, "--batch-size", "2")
    assert code == 0, err
    assert stdout == ""
    assert "fr→en: 6 sentences with marian (--model:" in err
    translated = out.read_bytes().decode("utf-8")
    assert translated != FRENCH
    assert _layout(translated) == _layout(FRENCH)
    assert "— 12 —\n" in translated  # nothing to translate: copied as it was
    assert not translated.endswith("\n")
    # Exactly what the API gives: one code path.
    api = translate_document(FRENCH, "fr", "en", model=str(tiny_models["marian"]))
    assert api.text == translated
    assert len(api.segments) == 6 and all(t.strip() for t in api.translations)
    # Two sentences on line 2 stay two translations on that line.
    line2 = translated.splitlines()[1]
    assert line2 == f"{api.translations[1]} {api.translations[2]}"

    code, stdout, err = run_cli(capsys, "retranslate", french_file, "--from", "fr", "--to", "en",
                                "--model", tiny_models["marian"], "-q")
    assert code == 0 and err == "" and stdout == translated


def test_round_trip_findings_api(tiny_models: dict[str, Path]) -> None:
    from sacrebleu import sentence_chrf

    from normalize.findings import Category, FixSafety, Severity
    from normalize.translation import DEFAULT_THRESHOLD, round_trip, round_trip_findings

    model = str(tiny_models["marian"])
    findings = round_trip_findings(FRENCH, "fr", "en", model=model, back_model=model)
    segments = [s for s in split_segments(FRENCH) if s.translatable]
    # A random model keeps nothing: every sentence that has words is reported.
    assert [(f.start, f.end) for f in findings] == [(s.start, s.end) for s in segments]
    for finding in findings:
        assert finding.rule == "garble.round_trip"
        assert finding.category is Category.GARBLE
        assert finding.severity is Severity.WARNING
        assert finding.fix is FixSafety.NONE and finding.replacement is None
        assert finding.text == FRENCH[finding.start:finding.end]
        data = finding.data
        assert data["chrf"] < DEFAULT_THRESHOLD
        assert data["chrf"] == pytest.approx(
            sentence_chrf(data["back_translation"], [finding.text]).score, abs=1e-3)
        assert f"chrF {data['chrf']:.1f}" in finding.message
        assert data["back_translation"][:40] in finding.message
    assert (findings[3].line, findings[3].column) == (4, 3)  # "  M. Dupont ..." indented

    trip = round_trip(FRENCH, "fr", "en", model=model, back_model=model)
    assert [s.score is None for s in trip.segments] == [False] * 4 + [True] + [False]
    assert round_trip_findings(FRENCH, "fr", "en", model=model, back_model=model,
                               threshold=0) == []


def test_round_trip_cli_report(tiny_models: dict[str, Path], french_file: Path, tmp_path: Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    model = tiny_models["marian"]
    common = ["retranslate", french_file, "--from", "fr", "--to", "en", "--model", model,
              "--back-model", model, "--round-trip"]
    out = tmp_path / "en.txt"
    code, stdout, err = run_cli(capsys, *common, "--format", "json", "-o", out)
    assert code == 1, err
    doc = json.loads(stdout)
    assert set(doc) == {"version", "files", "summary"}
    [result] = doc["files"]
    assert result["path"] == str(french_file) and result["lang"] == "fr"
    assert len(result["findings"]) == 5
    first = result["findings"][0]
    assert {"rule", "category", "severity", "start", "end", "line", "column", "text", "message",
            "replacement", "fix", "mqm", "data"} <= set(first)
    assert (first["rule"], first["category"], first["severity"], first["fix"]) == (
        "garble.round_trip", "garble", "warning", "none")
    assert set(first["data"]) >= {"chrf", "threshold", "translation", "back_translation"}
    assert doc["summary"]["by_rule"] == {"garble.round_trip": 5}
    assert _layout(out.read_bytes().decode("utf-8")) == _layout(FRENCH)
    assert "5 below 30" in err

    code, stdout, _ = run_cli(capsys, *common, "--format", "text", "--fail-on", "never")
    assert code == 0
    assert stdout.splitlines()[0].startswith(f"{french_file}:1:1: warning garble.round_trip "
                                             "round trip fr→en→fr scores chrF ")
    assert stdout.splitlines()[-1] == "5 warnings in 1 file"

    report = tmp_path / "report.txt"
    code, stdout, _ = run_cli(capsys, *common, "--format", "github", "--report", report, "-q")
    assert code == 1 and stdout == ""
    assert report.read_text(encoding="utf-8").startswith(
        f"::warning file={french_file},line=1,col=1,title=garble.round_trip::")

    code, stdout, _ = run_cli(capsys, *common, "--threshold", "0", "-q")
    assert code == 0 and stdout == "no findings in 1 file\n"


def test_models_found_in_store_and_hf_cache(tiny_models: dict[str, Path], french_file: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    """No --model: the registry's fr-en from the store, its en-fr from the HF cache layout."""
    store, cache = _dirs()
    shutil.copytree(tiny_models["marian"], store / "opus-mt-fr-en")
    repo = cache / "models--Helsinki-NLP--opus-mt-en-fr"
    shutil.copytree(tiny_models["marian"], repo / "snapshots" / "0123abcd")
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text("0123abcd\n")

    code, _, err = run_cli(capsys, "retranslate", french_file, "--from", "fr", "--to", "en",
                           "--round-trip", "--format", "json")
    assert code == 1, err
    assert "with opus-mt-fr-en and opus-mt-en-fr" in err
    code, out, _ = run_cli(capsys, "models", "list", "--format", "json")
    rows = {r["name"]: r for r in json.loads(out)["models"]}
    assert rows["opus-mt-fr-en"]["origin"] == "store"
    assert rows["opus-mt-en-fr"]["origin"] == "hf-cache"
    # A pair with no local model still fails with the fetch hint.
    code, _, err = run_cli(capsys, "retranslate", french_file, "--from", "fr", "--to", "de")
    assert code == 2 and "mtnorm models fetch opus-mt-fr-de" in err


def test_multilingual_model_both_ways(tiny_models: dict[str, Path],
                                      capsys: pytest.CaptureFixture[str]) -> None:
    """An M2M100 model is told its languages (forced first token), and serves the way back."""
    from normalize.translation import TranslationOptions, round_trip
    from normalize.translation.resolve import resolve

    resolved = resolve("fr", "en", str(tiny_models["m2m"]))
    assert (resolved.family, resolved.source_code, resolved.target_code) == ("m2m100", "fr", "en")
    trip = round_trip("La ville. Le gouverneur a parlé.", "fr", "en", model=resolved,
                      options=TranslationOptions(max_length=12))
    assert trip.backward_model.path == resolved.path
    assert (trip.backward_model.source_code, trip.backward_model.target_code) == ("en", "fr")
    assert [s.translation.startswith("__en__") for s in trip.segments] == [False, False]
    assert all(s.score is not None and s.score < 30 for s in trip.segments)
    with pytest.raises(Exception, match="no language code for 'xx'"):
        resolve("fr", "xx", str(tiny_models["m2m"]))


def test_check_round_trip_adds_findings(tiny_models: dict[str, Path],
                                        capsys: pytest.CaptureFixture[str]) -> None:
    model = tiny_models["marian"]
    code, out, err = run_cli(capsys, "check", EXAMPLE, "--lang", "en", "--source-lang", "fr",
                             "--round-trip", "--model", model, "--back-model", model,
                             "--format", "json", "--fail-on", "never")
    assert code == 0, err
    findings = json.loads(out)["files"][0]["findings"]
    rules = [f["rule"] for f in findings]
    assert rules.count("garble.round_trip") == 11  # every sentence of the example
    assert "debris.pattern" in rules  # the ordinary checks still run
    assert [(f["start"], f["end"]) for f in findings] == sorted((f["start"], f["end"])
                                                                for f in findings)


def test_errors_with_a_model(tiny_models: dict[str, Path], french_file: Path, tmp_path: Path,
                             capsys: pytest.CaptureFixture[str]) -> None:
    import torch

    code, _, err = run_cli(capsys, "retranslate", french_file, "--from", "fr", "--to", "en",
                           "--model", tmp_path / "nowhere")
    assert code == 2 and "--model" in err and "no such directory" in err
    code, _, err = run_cli(capsys, "retranslate", french_file, "--from", "fr", "--to", "en",
                           "--model", tmp_path)
    assert code == 2 and "not a model directory" in err
    # A Marian model for one pair, and no model for the way back.
    code, _, err = run_cli(capsys, "retranslate", french_file, "--from", "fr", "--to", "en",
                           "--model", tiny_models["marian"], "--round-trip")
    assert code == 2 and "mtnorm models fetch opus-mt-en-fr" in err and "--back-model" in err
    code, _, err = run_cli(capsys, "retranslate", tmp_path / "missing.txt", "--from", "fr",
                           "--to", "en", "--model", tiny_models["marian"])
    assert code == 2 and "no such file" in err
    if not torch.cuda.is_available():
        code, _, err = run_cli(capsys, "retranslate", french_file, "--from", "fr", "--to", "en",
                               "--model", tiny_models["marian"], "--device", "cuda")
        assert code == 2 and "--device cuda" in err


def test_progress_bar_only_when_asked(tiny_models: dict[str, Path],
                                      capsys: pytest.CaptureFixture[str]) -> None:
    from normalize.translation import TranslationOptions, translate

    sentences = "\n".join(_sentences(6, seed=3))
    model = str(tiny_models["marian"])
    translate(sentences, "fr", "en", model=model,
              options=TranslationOptions(batch_size=2, progress=True, max_length=12))
    assert "sent" in capsys.readouterr().err  # tqdm's bar, on stderr
    translate(sentences, "fr", "en", model=model,
              options=TranslationOptions(batch_size=2, progress=False, max_length=12))
    assert capsys.readouterr().err == ""


def test_console_script_end_to_end(tiny_models: dict[str, Path], french_file: Path,
                                   tmp_path: Path) -> None:
    """The installed entry point, in a fresh process (stderr not a terminal: no bar)."""
    report = tmp_path / "report.json"
    proc = subprocess.run(
        [sys.executable, "-m", "normalize", "retranslate", str(french_file), "--from", "fr",
         "--to", "en", "--model", str(tiny_models["marian"]), "--back-model",
         str(tiny_models["marian"]), "--round-trip", "--format", "json", "--report",
         str(report), "-o", str(tmp_path / "en.txt")],
        capture_output=True, text=True, timeout=300, cwd=REPO,
        env={**os.environ, "OMP_NUM_THREADS": "1"})
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert "\r" not in proc.stderr and "Traceback" not in proc.stderr
    assert json.loads(report.read_text())["summary"]["by_rule"] == {"garble.round_trip": 5}


def test_round_trip_is_a_rule_like_any_other(tiny_models: dict[str, Path], tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    """garble.round_trip is a registered rule: --ignore, --select, severity overrides and
    inline directives work on it like on the linter's own rules."""
    model = tiny_models["marian"]

    def findings(path: Path, *extra: str) -> list[dict]:
        code, out, err = run_cli(capsys, "check", path, "--lang", "en", "--source-lang", "fr",
                                 "--round-trip", "--model", model, "--back-model", model,
                                 "--format", "json", "--fail-on", "never", *extra)
        assert code == 0, err
        return json.loads(out)["files"][0]["findings"]

    ignored = [f["rule"] for f in findings(EXAMPLE, "--ignore", "garble.round_trip")]
    assert "garble.round_trip" not in ignored and "debris.pattern" in ignored
    selected = findings(EXAMPLE, "--select", "garble.round_trip")
    assert len(selected) == 11 and {f["rule"] for f in selected} == {"garble.round_trip"}
    assert {(f["severity"], f["mqm"]) for f in selected} == {("warning", "Accuracy/Mistranslation")}

    config = tmp_path / "mtnorm.toml"
    config.write_text('[severity]\n"garble.round_trip" = "error"\n', encoding="utf-8")
    raised = findings(EXAMPLE, "--select", "garble.round_trip", "--config", config)
    assert {f["severity"] for f in raised} == {"error"}

    # A directive hides the sentences after it, and counts as used.
    text = EXAMPLE.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    story = tmp_path / "story.txt"
    story.write_text("".join(lines[:3]) + "<!-- mtnorm: disable=garble.round_trip -->\n"
                     + "".join(lines[3:]), encoding="utf-8")
    rules = [(f["rule"], f["line"]) for f in findings(story)]
    assert [r for r in rules if r[0].startswith("suppression.")] == []
    round_trips = [line for rule, line in rules if rule == "garble.round_trip"]
    assert round_trips and max(round_trips) <= 3
