"""Languages are data: corpora/languages/<code>.yaml, validated by one loader."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from normalize.errors import DataError, UsageError
from normalize.languages import get_language, known_languages, language_name
from normalize.languages.base import (
    FACTS_IN_DATA,
    language_codes,
    load_languages,
    schema,
    validate,
)

ROOT = Path(__file__).resolve().parents[1]
LANGUAGES = ROOT / "corpora" / "languages"
FILES = sorted(p.name for p in LANGUAGES.glob("*.yaml") if not p.name.startswith("_"))

#: What the Python classes (normalize/languages/<code>.py, removed) held, copied from them.
_OLD_DEFAULTS = {"parent": "und", "cut_marker": "[\u2026]", "foreign_cut_markers": (), "capitalises_nouns": False,
                 "spaced_punctuation": ""}
OLD_CLASSES = {
    "und": {**_OLD_DEFAULTS, "name": "any language", "parent": None, "quotes": ("\u201c", "\u201d"),
            "foreign_quotes": ()},
    "en": {**_OLD_DEFAULTS, "name": "English", "quotes": ("\u201c", "\u201d"),
           "foreign_quotes": (("\u00ab", "\u00bb"), ("\u201e", "\u201c"), ("\u300c", "\u300d"),
                              ("\u300e", "\u300f")),
           "foreign_cut_markers": ("(\u2026)", "(...)")},
    "fr": {**_OLD_DEFAULTS, "name": "French", "quotes": ("\u00ab", "\u00bb"),
           "foreign_quotes": (("\u201c", "\u201d"), ("\u201e", "\u201c")), "cut_marker": "(\u2026)",
           "foreign_cut_markers": ("[\u2026]", "[...]"), "spaced_punctuation": ";:!?"},
    "de": {**_OLD_DEFAULTS, "name": "German", "quotes": ("\u201e", "\u201c"),
           "foreign_quotes": (("\u00ab", "\u00bb"),), "foreign_cut_markers": ("(\u2026)", "(...)"),
           "capitalises_nouns": True},
    "es": {**_OLD_DEFAULTS, "name": "Spanish", "quotes": ("\u00ab", "\u00bb"),
           "foreign_quotes": (("\u201e", "\u201c"),), "cut_marker": "(\u2026)"},
    "it": {**_OLD_DEFAULTS, "name": "Italian", "quotes": ("\u00ab", "\u00bb"),
           "foreign_quotes": (("\u201e", "\u201c"),)},
    "ru": {**_OLD_DEFAULTS, "name": "Russian", "quotes": ("\u00ab", "\u00bb"),
           "foreign_quotes": (("\u201c", "\u201d"),), "cut_marker": "(\u2026)",
           "foreign_cut_markers": ("[\u2026]",)},
}

#: decimal and group of corpora/rules/<code>/numbers.yaml before they moved to the language files.
OLD_NUMBERS = {
    "en": (".", (",",)),
    "fr": (",", (" ", "\u00a0", "\u202f", "\u2009", ".")),
    "de": (",", (".", " ", "\u00a0", "\u202f", "\u2009", "'")),
    "es": (",", (".", " ", "\u00a0", "\u202f", "\u2009")),
    "it": (",", (".", " ", "\u00a0", "\u202f", "\u2009")),
    "ru": (",", (" ", "\u00a0", "\u202f", "\u2009")),
}
#: script of corpora/rules/<code>/untranslated.yaml before it moved.
OLD_SCRIPTS = {"en": "Latin", "fr": "Latin", "de": "Latin", "es": "Latin", "it": "Latin", "ru": "Cyrillic",
               "und": None}


# -- every file validates -------------------------------------------------------------------
@pytest.mark.parametrize("filename", FILES)
def test_language_file_validates(filename: str) -> None:
    raw = yaml.safe_load((LANGUAGES / filename).read_text(encoding="utf-8"))
    validate(raw, schema(), where=filename)
    assert raw["code"] == filename[:-len(".yaml")]


@pytest.mark.parametrize("filename", FILES)
def test_schema_agrees_with_jsonschema(filename: str) -> None:
    """The small validator accepts what the reference implementation accepts."""
    jsonschema = pytest.importorskip("jsonschema")
    raw = yaml.safe_load((LANGUAGES / filename).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema())
    jsonschema.validate(raw, schema(), cls=jsonschema.Draft202012Validator)


def test_bundled_languages_load() -> None:
    facts = load_languages()
    assert set(facts) == {"und", *known_languages()}
    assert {"en", "fr", "de", "es", "it", "ru", "uk", "pl"} <= set(known_languages())
    for code, f in facts.items():
        assert set(f) == set(schema()["properties"]), code  # inheritance fills every key


def test_names_file_is_not_a_language() -> None:
    assert "_names" not in language_codes()
    assert language_name("pt") == "Portuguese"
    assert language_name("uk") == "Ukrainian"
    assert language_name("xx") == "xx"


# -- broken files ------------------------------------------------------------------------------
def _tree(tmp_path: Path) -> Path:
    root = tmp_path / "languages"
    root.mkdir()
    for name in ("und.yaml", "en.yaml"):
        shutil.copy(LANGUAGES / name, root / name)
    return root


@pytest.mark.parametrize("text, key", [
    ("code: xx\nname: X\nparent: und\nquotes: ['\u00ab']\n", "quotes"),            # one mark, not a pair
    ("code: xx\nname: X\nparent: und\nquotes: ['\u00ab', '\u00bb', '\u201c']\n", "quotes"),
    ("code: xx\nname: X\nparent: und\nforeign_quotes: [['\u201c', 7]]\n", "foreign_quotes[0][1]"),
    ("code: xx\nname: X\nparent: und\ncapitalises_nouns: yes please\n", "capitalises_nouns"),
    ("code: xx\nname: X\nparent: und\nquote: ['\u00ab', '\u00bb']\n", "quote"),       # unknown key
    ("code: xx\nname: X\nparent: und\nnumbers: {decimal: ','}\n", "numbers.group"),   # missing key
    ("code: xx\nname: X\nparent: und\nnumbers: {decimal: ',', group: [' '], grouping: 3}\n", "numbers.grouping"),
    ("code: xx\nname: X\nparent: und\nscript: Klingon\n", "script"),
    ("code: yy\nname: X\nparent: und\n", "code"),                                     # not the file's name
    ("code: xx\nname: X\nparent: zz\n", "parent"),                                    # no such language
    ("code: xx\nname: X\nparent: null\n", "parent"),                                  # only und is a root
    ("code: xx\nname: X\n", "parent"),                                                # missing key
])
def test_broken_file_names_file_and_key(tmp_path: Path, text: str, key: str) -> None:
    root = _tree(tmp_path)
    (root / "xx.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_languages(root)
    message = str(err.value)
    assert "xx.yaml" in message, message
    assert repr(key) in message or f"key '{key}'" in message, message


def test_parent_cycle(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    (root / "xx.yaml").write_text("code: xx\nname: X\nparent: yy\n", encoding="utf-8")
    (root / "yy.yaml").write_text("code: yy\nname: Y\nparent: xx\n", encoding="utf-8")
    with pytest.raises(DataError, match="cycle"):
        load_languages(root)


def test_bad_yaml(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    (root / "xx.yaml").write_text("code: xx\nname: [unclosed\n", encoding="utf-8")
    with pytest.raises(DataError, match="xx.yaml"):
        load_languages(root)


def test_child_inherits_unstated_keys(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    (root / "xx.yaml").write_text("code: xx\nname: X\nparent: en\nspaced_punctuation: '!?'\n", encoding="utf-8")
    facts = load_languages(root)["xx"]
    assert facts["quotes"] == ["\u201c", "\u201d"] and facts["numbers"]["decimal"] == "."
    assert facts["spaced_punctuation"] == "!?"


# -- the same facts as the old classes ---------------------------------------------------------
@pytest.mark.parametrize("code", sorted(OLD_CLASSES))
def test_attributes_as_the_old_classes(code: str) -> None:
    lang = get_language(code)
    assert lang.code == code and lang.family == code
    for attr, expected in OLD_CLASSES[code].items():
        assert getattr(lang, attr) == expected, attr
        assert type(getattr(lang, attr)) is type(expected), attr  # tuples stay hashable
    assert lang.chain() == ([code, "und"] if code != "und" else ["und"])


def test_regions_fall_back() -> None:
    assert get_language("en-AU").code == "en"
    assert get_language("fr_CH").code == "fr"
    assert get_language("fr-CH").family == "fr"
    with pytest.raises(UsageError, match="unsupported language"):
        get_language("xx")


@pytest.mark.parametrize("code", sorted(OLD_NUMBERS))
def test_rule_data_gets_the_facts(code: str) -> None:
    """number.source_mismatch and untranslated.* still find these keys in their data."""
    numbers = get_language(code).data("numbers")
    assert (numbers["decimal"], tuple(numbers["group"])) == OLD_NUMBERS[code]
    assert numbers.get("months")  # the rule file's own keys are still merged
    assert get_language(code).data("untranslated").get("script") == OLD_SCRIPTS[code]
    assert bool(get_language(code).data("untranslated").get("capitalises_nouns")) == (code == "de")


def test_und_has_no_number_format() -> None:
    assert "decimal" not in get_language("und").data("numbers")
    assert get_language("und").data("untranslated").get("script") is None


def test_rule_files_do_not_repeat_facts() -> None:
    """A fact lives in one place: the language file, not also the rule data."""
    for name, keys in FACTS_IN_DATA.items():
        for path in (ROOT / "corpora" / "rules").glob(f"*/{name}.yaml"):
            raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            assert not set(keys) & set(raw), f"{path.relative_to(ROOT)} repeats {set(keys) & set(raw)}"


def test_new_languages() -> None:
    uk, pl = get_language("uk"), get_language("pl")
    assert (uk.name, uk.quotes, uk.script, uk.decimal_separator) == ("Ukrainian", ("\u00ab", "\u00bb"), "Cyrillic", ",")
    assert (pl.name, pl.quotes, pl.script, pl.decimal_separator) == ("Polish", ("\u201e", "\u201d"), "Latin", ",")
    assert "." not in pl.group_separators and "\u00a0" in uk.group_separators


def test_schema_is_json() -> None:
    json.loads((LANGUAGES / "_schema.json").read_text(encoding="utf-8"))


# -- end to end -----------------------------------------------------------------------------
def _mtnorm(tmp_path: Path, *args: str, text: str) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "copy.txt"
    path.write_text(text, encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "normalize", *args, str(path)], cwd=tmp_path, check=False,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("args, text, finding", [
    (("check", "--lang", "uk"), "Він сказав: \u201cМи готові до переговорів\u201d.\n", "\u00abМи готові"),
    (("check", "--lang", "uk", "--source-lang", "en"), "Зростання склало 3,5 відсотка.\n", None),
    (("check", "--lang", "pl"), "Powiedział: \u201cJesteśmy gotowi\u201d.\n", "\u201eJesteśmy gotowi\u201d"),
    (("check", "--lang", "pl", "--source-lang", "uk"), "Wzrost wyniósł 3,5 procent.\n", None),
])
def test_cli_end_to_end(tmp_path: Path, args: tuple[str, ...], text: str, finding: str | None) -> None:
    proc = _mtnorm(tmp_path, *args, "--format", "json", text=text)
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    report = json.loads(proc.stdout)
    found = json.dumps(report, ensure_ascii=False)
    if finding is None:
        assert "typography.foreign_quotes" not in found
    else:
        assert "typography.foreign_quotes" in found and finding in found, found[:2000]


def test_a_language_without_function_words_is_not_outvoted_by_words_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ukrainian shares short words with Russian; without langid, words alone cannot say a
    Ukrainian file is Russian when Ukrainian has no word list to count."""
    from normalize.languages.detect import clearly_other

    monkeypatch.setenv("MTNORM_NO_LANGID", "1")
    text = ("Президент України заявив у четвер, що переговори з Росією тривають, але поки що не дали "
            "результату. За його словами, сторони обговорюють питання безпеки. Він наголосив, що в "
            "найближчі дні на зустрічі в Києві та на переговорах у Женеві ми розраховуємо на підтримку, "
            "а не на обіцянки, і що це не остання зустріч.")
    assert clearly_other(text, "uk") is None


def test_detection_reaches_the_language_identifier() -> None:
    """detect (--lang auto) and clearly_other ask py3langid through normalize.analysis.langid
    (they raised ImportError after the identifier moved there from the untranslated rules)."""
    pytest.importorskip("py3langid")
    from normalize.languages.detect import clearly_other, detect

    german = ("Der Präsident sagte am Donnerstag, dass die Gespräche mit der Regierung weitergehen, aber noch "
              "kein Ergebnis gebracht haben. Er sagte, die Seiten würden die Fragen der Sicherheit besprechen "
              "und dass es nicht das letzte Treffen sei, und der Minister war auch da, aber die anderen nicht.")
    found = detect(german)
    assert found is not None and (found.lang, found.method) == ("de", "langid")
    other = clearly_other(german, "en")
    assert other is not None and other.lang == "de"


def test_number_format_of_a_new_language_end_to_end(tmp_path: Path) -> None:
    """number.source_mismatch reads Polish numbers with the language file's decimal comma and
    space groups: 1 200 000 is the source's 1,200,000; 3,7 is not its 3.5."""
    source = tmp_path / "source.txt"
    source.write_text("Growth was 3.5 percent, or 1,200,000 zlotys.\n", encoding="utf-8")
    proc = _mtnorm(tmp_path, "check", "--lang", "pl", "--source-lang", "en", "--source", str(source),
                   "--select", "number", "--format", "json",
                   text="Wzrost wyniósł 3,7 procent, czyli 1 200 000 złotych.\n")
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    findings = [f for file in json.loads(proc.stdout)["files"] for f in file["findings"]]
    assert [f["text"] for f in findings] == ["3,7"], findings
