"""Fault suite: what a newcomer expects from the command line (issue 10).

Styles by name and language (``--style default``, an Italian house style,
AFP in French), help that tells the truth (Dask's scheduler), colours
(``NO_COLOR``, ``--color``), ``fix --format``, option names that mean the
same in every subcommand, a folder of mixed languages, the first-run
gazetteer note, the ``neural`` pin and an empty gazetteer query. Most cases
run the CLI in-process (fast); each asserts exit codes, messages and bytes.
"""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from normalize.cli import build_parser, main
from normalize.resources import corpus

pytestmark = pytest.mark.skipif(
    not corpus("gazetteer", "names.tsv.gz").is_file(), reason="gazetteer data not built")

ROOT = Path(__file__).resolve().parents[2]
ITALIAN = "La Cechia ha votato. In Cechia si vota di nuovo.\n"
FRENCH_AFP = "Les combats à Kyiv et à Zaporizhzhia continuent.\n"
FRENCH_STORY = (
    "Les autorités ukrainiennes ont annoncé mardi que les combats se poursuivaient dans la "
    "région. Le ministre a déclaré que la situation était difficile mais que les forces "
    "tenaient leurs positions. Selon les responsables locaux, plusieurs villages ont été "
    "évacués pendant la nuit et les habitants ont été conduits vers des abris.\n")
ENGLISH_STORY = (
    "The mayor of Kiev said on Tuesday that the city would reopen its schools next week. He "
    "added that the situation remained difficult but that the authorities were doing "
    "everything they could to help the people who had been displaced.\n")


def run(argv: list[str]) -> int:
    """The CLI in-process; argparse's SystemExit becomes the exit code."""
    try:
        return main(argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 2


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return tmp_path


def findings_json(out: str) -> dict[str, list[dict]]:
    """path -> findings of a ``--format json`` document."""
    return {f["path"]: f["findings"] for f in json.loads(out)["files"]}


# -- styles ------------------------------------------------------------------------------
def test_style_default_is_the_languages_default(workdir: Path, capsys) -> None:
    (workdir / "it.txt").write_text(ITALIAN, encoding="utf-8")
    assert run(["check", "--lang", "it", "--style", "default", "-f", "json", "it.txt"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["files"][0]["style"] == "default-it"
    assert run(["check", "--lang", "it", "-f", "json", "it.txt"]) == 0
    assert json.loads(capsys.readouterr().out)["files"][0]["findings"] == doc["files"][0]["findings"]


def test_style_default_in_a_config_file(workdir: Path, capsys) -> None:
    (workdir / "mtnorm.toml").write_text('lang = "it"\nstyle = "default"\n', encoding="utf-8")
    (workdir / "it.txt").write_text(ITALIAN, encoding="utf-8")
    assert run(["check", "-f", "json", "it.txt"]) == 0
    assert json.loads(capsys.readouterr().out)["files"][0]["style"] == "default-it"


def test_italian_place_names_are_checked_and_fixed(workdir: Path, capsys) -> None:
    (workdir / "it.txt").write_text(ITALIAN, encoding="utf-8")
    assert run(["check", "--lang", "it", "-f", "json", "it.txt"]) == 0
    found = [f for f in findings_json(capsys.readouterr().out)["it.txt"] if f["rule"] == "toponym.variant"]
    assert [(f["text"], f["replacement"]) for f in found] == [("Cechia", "Repubblica Ceca")] * 2
    # "la Cechia" is left to the editor (the article may have to agree); "In Cechia" is fixed.
    assert run(["fix", "--lang", "it", "-o", "out.txt", "it.txt"]) == 0
    assert (workdir / "out.txt").read_bytes() == ITALIAN.replace(
        "In Cechia", "In Repubblica Ceca").encode()
    assert (workdir / "it.txt").read_bytes() == ITALIAN.encode()


def test_default_it_cites_a_basis_for_each_override() -> None:
    text = corpus("styles", "default-it.yaml").read_text(encoding="utf-8")
    assert "country:CZ: Repubblica Ceca" in text
    before = text.split("country:CZ:")[0]
    assert "CLDR" in before and "news copy" in before  # the basis is written next to the entry


def test_afp_covers_french(workdir: Path, capsys) -> None:
    (workdir / "fr.txt").write_text(FRENCH_AFP, encoding="utf-8")
    assert run(["check", "--lang", "fr", "--style", "afp", "-f", "json", "fr.txt"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["files"][0]["style"] == "afp"
    pairs = {(f["text"], f["replacement"]) for f in doc["files"][0]["findings"]}
    assert {("Kyiv", "Kiev"), ("Zaporizhzhia", "Zaporijjia")} <= pairs
    # English AFP is unchanged: Kyiv is its spelling.
    (workdir / "en.txt").write_text("The talks in Kyiv resumed.\n", encoding="utf-8")
    assert run(["check", "--lang", "en", "--style", "afp", "-f", "json", "en.txt"]) == 0
    assert findings_json(capsys.readouterr().out)["en.txt"] == []


def test_style_for_other_languages_is_one_line_exit_2(workdir: Path, capsys) -> None:
    (workdir / "de.txt").write_text("Die Gespräche in Kiew.\n", encoding="utf-8")
    assert run(["check", "--lang", "de", "--style", "afp", "de.txt"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["mtnorm: error: style 'afp' is for 'en' and 'fr' documents, not 'de'"]
    assert run(["check", "--lang", "de", "--style", "nonesuch", "de.txt"]) == 2
    assert "unknown style 'nonesuch' (available: default, afp," in capsys.readouterr().err


# -- help and Dask -----------------------------------------------------------------------
def test_fix_help_says_the_scheduler_is_required(capsys) -> None:
    assert run(["fix", "--help"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "required with --engine dask" in out
    assert "local cluster" not in out


def test_dask_without_scheduler_is_a_usage_error(workdir: Path, capsys) -> None:
    (workdir / "a.txt").write_text("Kiev.\n", encoding="utf-8")
    assert run(["fix", "--engine", "dask", "a.txt"]) == 2
    captured = capsys.readouterr()
    assert captured.err.strip().splitlines() == [
        "mtnorm: error: --engine dask needs --scheduler ADDRESS (e.g. tcp://10.0.0.5:8786)"]
    assert captured.out == ""
    assert (workdir / "a.txt").read_bytes() == b"Kiev.\n"


# -- colours -----------------------------------------------------------------------------
class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("color, no_color, tty, expected", [
    (None, None, True, True),        # auto on a terminal
    (None, None, False, False),      # auto in a pipe
    (None, "1", True, False),        # NO_COLOR wins over auto
    (None, "", True, True),          # an empty NO_COLOR is unset
    ("never", None, True, False),
    ("always", None, False, True),
    ("always", "1", False, True),    # an explicit flag wins over NO_COLOR
])
def test_color_and_no_color(workdir: Path, monkeypatch: pytest.MonkeyPatch, color: str | None,
                            no_color: str | None, tty: bool, expected: bool) -> None:
    (workdir / "a.txt").write_text("The the talks resumed.\n", encoding="utf-8")
    if no_color is not None:
        monkeypatch.setenv("NO_COLOR", no_color)
    out = _Terminal() if tty else io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    assert run(["check", *(["--color", color] if color else []), "a.txt"]) == 0
    text = out.getvalue()
    assert "repetition.doubled_word" in text
    assert ("\033[" in text) is expected


# -- fix --format ------------------------------------------------------------------------
LEFT = "Kiev. The mayor of Stepanakert spoke.\n"  # Kiev is fixed; a contested name remains


def test_fix_format_json_lists_what_is_left(workdir: Path, capsys) -> None:
    (workdir / "a.txt").write_text(LEFT, encoding="utf-8")
    assert run(["fix", "-f", "json", "-o", "out.txt", "a.txt"]) == 0
    captured = capsys.readouterr()
    doc = json.loads(captured.out)
    [entry] = doc["files"]
    assert entry["path"] == "a.txt" and entry["fixed"] == 1
    assert entry["findings"] and all(f["text"] != "Kiev" for f in entry["findings"])
    assert doc["summary"]["findings"] == len(entry["findings"])
    assert (workdir / "out.txt").read_text(encoding="utf-8").startswith("Kyiv.")


def test_fix_format_text_goes_to_stderr_when_stdout_has_the_text(workdir: Path, capsys) -> None:
    (workdir / "a.txt").write_text(LEFT, encoding="utf-8")
    assert run(["fix", "-f", "text", "a.txt"]) == 0
    captured = capsys.readouterr()
    assert captured.out == LEFT.replace("Kiev", "Kyiv")
    listed = [ln for ln in captured.err.splitlines() if ln.startswith("a.txt:1:")]
    assert listed and all("Kiev" not in ln for ln in listed)


def test_fix_findings_output_file(workdir: Path, capsys) -> None:
    (workdir / "a.txt").write_text(LEFT, encoding="utf-8")
    assert run(["fix", "-f", "json", "--findings-output", "left.json", "--in-place", "a.txt"]) == 0
    doc = json.loads((workdir / "left.json").read_text(encoding="utf-8"))
    assert doc["files"][0]["fixed"] == 1
    assert (workdir / "a.txt").read_text(encoding="utf-8") == LEFT.replace("Kiev", "Kyiv")
    assert run(["fix", "--findings-output", "x.json", "a.txt"]) == 2
    assert "--findings-output goes with --format" in capsys.readouterr().err


# -- option names ------------------------------------------------------------------------
def test_option_names_agree_and_old_names_still_work(capsys) -> None:
    parser = build_parser()
    new = parser.parse_args(["retranslate", "--source-lang", "fr", "--lang", "en",
                             "--round-trip-threshold", "40", "--findings-output", "r.txt", "x"])
    old = parser.parse_args(["retranslate", "--from", "fr", "--to", "en", "--threshold", "40",
                             "--report", "r.txt", "x"])
    for name in ("source_lang", "target_lang", "threshold", "report"):
        assert getattr(new, name) == getattr(old, name)
    score = [parser.parse_args(["score", "-r", "r", "h", *flags]) for flags in
             (["-j", "3", "--baseline-system", "b"], ["--jobs", "3", "--baseline", "b"],
              ["--paired-jobs", "3", "--baseline", "b"])]
    assert {(a.paired_jobs, a.baseline) for a in score} == {(3, "b")}
    assert run(["retranslate", "--help"]) == 0
    help_text = capsys.readouterr().out
    for shown in ("--source-lang LANG, --from LANG", "-l LANG, --lang LANG, --to LANG",
                  "--round-trip-threshold CHRF, --threshold CHRF",
                  "--findings-output PATH, --report PATH"):
        assert shown in help_text
    assert run(["score", "--help"]) == 0
    help_text = capsys.readouterr().out
    assert "-j N, --jobs N, --paired-jobs N" in help_text
    assert "--baseline-system NAME, --baseline NAME" in help_text


# -- languages ---------------------------------------------------------------------------
def _mixed(folder: Path) -> None:
    folder.mkdir()
    (folder / "en.txt").write_text(ENGLISH_STORY, encoding="utf-8")
    (folder / "fr.txt").write_text(FRENCH_STORY, encoding="utf-8")


def test_mixed_folder_says_once_per_file_and_does_not_flood(workdir: Path, capsys) -> None:
    _mixed(workdir / "mix")
    assert run(["check", "-f", "json", "mix"]) == 0
    captured = capsys.readouterr()
    notes = [ln for ln in captured.err.splitlines() if "looks" in ln]
    assert notes == [f"mtnorm: {Path('mix', 'fr.txt')} looks French (fr): use --lang fr"]
    found = findings_json(captured.out)
    assert not [f for f in found[str(Path("mix", "fr.txt"))] if f["category"] == "untranslated"]
    assert [f["text"] for f in found[str(Path("mix", "en.txt"))]] == ["Kiev"]


def test_fix_leaves_a_file_in_another_language_alone(workdir: Path, capsys) -> None:
    """English rules would turn « » into English quotes and Kiev into Kyiv in French copy."""
    _mixed(workdir / "mix")
    french = "Le maire de Kiev a parlé. « Nous tiendrons », a-t-il dit. " + FRENCH_STORY
    (workdir / "mix" / "fr.txt").write_text(french, encoding="utf-8")
    assert run(["fix", "--in-place", "mix"]) == 0
    err = capsys.readouterr().err
    assert f"mtnorm: {Path('mix', 'fr.txt')} looks French (fr): left unchanged; use --lang fr" in err
    assert (workdir / "mix" / "fr.txt").read_text(encoding="utf-8") == french
    assert (workdir / "mix" / "en.txt").read_text(encoding="utf-8") == ENGLISH_STORY.replace(
        "Kiev", "Kyiv")


def test_lang_auto_notes_short_files_once(workdir: Path, capsys) -> None:
    for name in ("a.txt", "b.txt", "c.txt"):
        (workdir / name).write_text("Court.\n", encoding="utf-8")
    assert run(["check", "--lang", "auto", "a.txt", "b.txt", "c.txt"]) == 0
    notes = [ln for ln in capsys.readouterr().err.splitlines() if "note" in ln]
    assert notes == ["mtnorm: note: too little text to tell the language of a.txt and 2 more; "
                     "checked as en"]


def test_explicit_lang_is_obeyed_without_a_note(workdir: Path, capsys) -> None:
    _mixed(workdir / "mix")
    assert run(["check", "--lang", "en", "-f", "json", "mix"]) == 0
    captured = capsys.readouterr()
    assert "looks" not in captured.err
    untranslated = [f for f in findings_json(captured.out)[str(Path("mix", "fr.txt"))]
                    if f["category"] == "untranslated"]
    assert len(untranslated) >= 2  # what the note spares a user who did not choose


def test_lang_auto_detects_each_file(workdir: Path, capsys) -> None:
    _mixed(workdir / "mix")
    assert run(["check", "--lang", "auto", "-f", "json", "mix"]) == 0
    captured = capsys.readouterr()
    assert "looks" not in captured.err
    files = {f["path"]: f for f in json.loads(captured.out)["files"]}
    assert files[str(Path("mix", "fr.txt"))]["lang"] == "fr"
    assert files[str(Path("mix", "fr.txt"))]["style"] == "default-fr"
    assert files[str(Path("mix", "en.txt"))]["lang"] == "en"
    assert not [f for f in files[str(Path("mix", "fr.txt"))]["findings"]
                if f["category"] == "untranslated"]


def test_lang_auto_keeps_the_style_where_it_applies(workdir: Path, capsys) -> None:
    """--lang auto --style ap: English files in AP, the French one in its default style."""
    _mixed(workdir / "mix")
    assert run(["check", "--lang", "auto", "--style", "ap", "-f", "json", "mix"]) == 0
    files = {f["path"]: f for f in json.loads(capsys.readouterr().out)["files"]}
    assert files[str(Path("mix", "en.txt"))]["style"] == "ap"
    assert files[str(Path("mix", "fr.txt"))]["style"] == "default-fr"


def test_lang_auto_per_record(workdir: Path, capsys) -> None:
    """Each record of a mixed JSONL file is checked in its own language."""
    records = [ENGLISH_STORY, FRENCH_STORY, ENGLISH_STORY.replace("Kiev", "Kharkov"), FRENCH_STORY]
    (workdir / "mixed.jsonl").write_text("".join(
        json.dumps({"id": i, "text": t.strip()}, ensure_ascii=False) + "\n"
        for i, t in enumerate(records)), encoding="utf-8")
    assert run(["check", "--lang", "en", "-f", "json", "mixed.jsonl"]) == 0
    explicit = findings_json(capsys.readouterr().out)["mixed.jsonl"]
    assert {f["data"]["record"] for f in explicit if f["category"] == "untranslated"} == {"1", "3"}
    assert run(["check", "--lang", "auto", "-f", "json", "mixed.jsonl"]) == 0
    auto = findings_json(capsys.readouterr().out)["mixed.jsonl"]
    assert sorted((f["data"]["record"], f["text"]) for f in auto) == [("0", "Kiev"), ("2", "Kharkov")]
    before = (workdir / "mixed.jsonl").read_bytes()
    assert run(["fix", "--lang", "auto", "--in-place", "mixed.jsonl"]) == 0
    assert (workdir / "mixed.jsonl").read_bytes() == before.replace(b"Kiev", b"Kyiv").replace(
        b"Kharkov", b"Kharkiv")


def test_french_records_get_the_note_and_quiet_silences_it(workdir: Path, capsys) -> None:
    lines = [json.dumps({"id": i, "text": sentence.strip() + "."}, ensure_ascii=False)
             for i, sentence in enumerate(FRENCH_STORY.split(". "))]
    (workdir / "fr.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert run(["check", "-f", "json", "fr.jsonl"]) == 0
    captured = capsys.readouterr()
    assert [ln for ln in captured.err.splitlines() if "looks" in ln] == [
        "mtnorm: fr.jsonl looks French (fr): use --lang fr"]
    assert not [f for f in findings_json(captured.out)["fr.jsonl"] if f["category"] == "untranslated"]
    assert run(["check", "-q", "-f", "json", "fr.jsonl"]) == 0
    assert "looks" not in capsys.readouterr().err


def test_short_or_english_text_gets_no_note(workdir: Path, capsys) -> None:
    (workdir / "short.txt").write_text("Le ministre a parlé.\n", encoding="utf-8")
    (workdir / "en.txt").write_text(ENGLISH_STORY, encoding="utf-8")
    assert run(["check", "short.txt", "en.txt"]) == 0
    assert "looks" not in capsys.readouterr().err


# -- first run, packaging, gazetteer -----------------------------------------------------
def test_first_run_in_a_language_says_it_builds_the_index(workdir: Path) -> None:
    """A real first run (a fresh process and cache, no prebuilt copy): one note, then none."""
    env = {**os.environ, "MTNORM_CACHE_DIR": str(workdir / "cache"), "MTNORM_NO_PREBUILT": "1"}
    (workdir / "a.txt").write_text("Nous étions à Kiev.\n", encoding="utf-8")

    def mtnorm(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "normalize", *args], cwd=workdir, env=env,
                              capture_output=True, text=True, timeout=120)

    args = ("check", "--lang", "fr", "--select", "toponym,debris", "a.txt")
    first = mtnorm(*args)
    assert first.returncode == 0
    assert "mtnorm: building the gazetteer index (first run, ~2 s)…" in first.stderr.splitlines()
    assert len(list((workdir / "cache").glob("gazetteer-catalogue-*.sqlite"))) == 1
    again = mtnorm(*args)
    assert (again.returncode, again.stdout) == (0, first.stdout)
    assert "building" not in again.stderr
    quiet = mtnorm("check", "-q", "--lang", "de", "--select", "toponym", "a.txt")
    assert quiet.returncode == 0 and "building" not in quiet.stderr
    env["MTNORM_CACHE_DIR"] = str(workdir / "other")
    no_gazetteer = mtnorm("check", "--lang", "fr", "--select", "debris", "a.txt")
    assert no_gazetteer.returncode == 0 and "building" not in no_gazetteer.stderr
    assert not list((workdir / "other").glob("gazetteer-*"))  # no rule needed it


def test_neural_extra_accepts_the_installed_torch_and_nothing_newer() -> None:
    tomllib = pytest.importorskip("tomllib")
    from packaging.requirements import Requirement

    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    [torch] = [Requirement(r) for r in extras["project"]["optional-dependencies"]["neural"]
               if r.startswith("torch")]
    assert torch.specifier.contains("2.13.0") and torch.specifier.contains("2.13.0+cpu")
    assert not torch.specifier.contains("2.14.0")


def test_gazetteer_query_without_letters_is_an_error(workdir: Path, capsys) -> None:
    for query in ("*", "-", " "):
        assert run(["gazetteer", "lookup", query]) == 2
        captured = capsys.readouterr()
        assert captured.out == ""
        assert captured.err.strip().splitlines() == [
            f"mtnorm: error: {query!r} is not a place name: it has no letters or digits"]
