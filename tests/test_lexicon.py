"""normalize.lexicon: loading a built list, frequencies, accent keys, prose tokens."""
from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from normalize import lexicon
from normalize.lexicon.tokens import prose_tokens


@pytest.fixture
def built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A tiny French list in $MTNORM_LEXICON_DIR, with an empty cache directory."""
    folder = tmp_path / "lists"
    folder.mkdir()
    rows = ["été\t6.22", "nommé\t4.68", "armées\t4.42", "armes\t4.90", "été\t1.00", "ete\t3.92", "rare\t0.5"]
    with gzip.open(folder / "fr.tsv.gz", "wt", encoding="utf-8") as handle:
        handle.write("\n".join(rows) + "\n")
    monkeypatch.setenv("MTNORM_LEXICON_DIR", str(folder))
    monkeypatch.setenv("MTNORM_CACHE_DIR", str(tmp_path / "cache"))
    lexicon.get.cache_clear()
    yield folder
    lexicon.get.cache_clear()


def test_built_list_takes_precedence(built: Path) -> None:
    assert lexicon.available("fr")
    lex = lexicon.get("fr")
    assert lex is not None and lex.source == "list:fr.tsv.gz"
    assert lex.zipf("nommé") == 4.68
    assert lex.zipf("Nommé") == 4.68  # case-insensitive
    assert lex.zipf("été") == 6.22  # the first (most frequent) row wins
    assert lex.zipf("inconnu") == 0.0 and "inconnu" not in lex
    assert "rare" not in lex  # below MIN_ZIPF: the typo tail is left out
    assert lex.known("ete") and not lex.known("ete", 4.0)


def test_cache_is_reused(built: Path, tmp_path: Path) -> None:
    lexicon.get("fr")
    cached = list((tmp_path / "cache" / "lexicon").glob("*.words"))
    assert len(cached) == 1
    # A second process reads the cache: make it recognisably different to prove it.
    from normalize.cache import store_word_table

    assert store_word_table(cached[0], {"cache": 500})
    lexicon.get.cache_clear()
    assert lexicon.get("fr").zipf("cache") == 5.0
    assert lexicon.get("fr").zipf("nommé") == 0.0


def test_word_table_acts_as_the_dict(tmp_path: Path) -> None:
    from normalize.cache import open_word_table, store_word_table

    words = {f"w{i}": i - 50 for i in range(100)} | {"été": 622, "": 1}
    assert store_word_table(tmp_path / "t.words", words)
    table = open_word_table(tmp_path / "t.words")
    assert table is not None and len(table) == len(words)
    assert list(table) == list(words) and list(table.items()) == list(words.items())
    assert all(table.get(w) == v for w, v in words.items())
    assert table.get("w100") is None and table.get("x", 0) == 0 and "été" in table
    assert table.get("\ud800") is None and table.get(5) is None and 5 not in table
    (tmp_path / "bad.words").write_bytes(b"MTWT")
    assert open_word_table(tmp_path / "bad.words") is None
    assert open_word_table(tmp_path / "missing.words") is None


def test_accent_index(built: Path) -> None:
    stripped, deleted = lexicon.get("fr").accent_index
    assert stripped["armees"].word == "armées" and stripped["armees"].sharing == 1
    assert deleted["nomm"].word == "nommé"
    assert deleted["t"].word == "été"
    assert "armes" not in stripped  # an ASCII word is no accent key


def test_malformed_list_is_an_actionable_error(built: Path) -> None:
    with gzip.open(built / "fr.tsv.gz", "wt", encoding="utf-8") as handle:
        handle.write("mot\tnot-a-number\n")
    with pytest.raises(ValueError, match=r"fr.tsv.gz:1: expected 'word<TAB>zipf'"):
        lexicon.get("fr")


def test_unknown_language() -> None:
    assert lexicon.get("xx") is None and not lexicon.available("xx")


def test_accent_helpers() -> None:
    assert lexicon.strip_accents("Armées") == "Armees"
    assert lexicon.delete_accented("nommé") == "nomm"
    assert lexicon.strip_accents("Straße") == "Straße"


def test_prose_tokens_skip_non_prose() -> None:
    text = "l'armee said @userName #TagIt www.site.com/aBc 5km file_name obj.method theGovernment"
    tokens = [(t.text, t.elided, t.clipped) for t in prose_tokens(text)]
    assert tokens == [("l", False, True), ("armee", True, False), ("said", False, False),
                      ("theGovernment", False, False)]
    assert [t.text for t in prose_tokens("u\u0308ber alles")] == ["alles"]


def test_accent_index_is_cached(built: Path, tmp_path: Path) -> None:
    first = lexicon.get("fr").accent_index
    assert list((tmp_path / "cache" / "lexicon").glob("*.accents.marshal"))
    lexicon.get.cache_clear()
    assert lexicon.get("fr").accent_index == first


def test_source_word_verdicts_are_kept_per_word_and_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """``untranslated.source_word`` keeps each word's verdict across documents: the kept
    answers are those judged afresh, and no more than ``VERDICTS_KEPT`` words are kept."""
    from normalize.rules.untranslated import source_word as sw

    target, source = lexicon.get("en"), lexicon.get("fr")
    if target is None or source is None:
        pytest.skip("needs the English and French word lists (pip install mtnorm[lexicon])")
    words = {"vendredi", "Monday", "gouvernement", "the", "Straße", "rue", "boulevard", "Mairie",
             "talks", "préfecture", "aussi", "franceinfo", "x", "Kharkiv", "semaine"}
    fresh = {w: sw._original("fr", target, "en", w) for w in words}
    assert {w for w, o in fresh.items() if o} >= {"vendredi", "gouvernement", "semaine"}
    expected = {w: o for w, o in fresh.items() if o is not None}
    monkeypatch.setattr(sw, "_VERDICTS", {})
    rule = sw.UntranslatedSourceWord
    assert rule._originals("fr", target, "en", set(words)) == expected   # judged
    assert rule._originals("fr", target, "en", set(words)) == expected   # kept
    assert sw._VERDICTS[("fr", "en", target)] == fresh
    monkeypatch.setattr(sw, "_VERDICTS", {})
    monkeypatch.setattr(sw, "VERDICTS_KEPT", 4)
    assert rule._originals("fr", target, "en", set(words)) == expected
    assert len(sw._VERDICTS[("fr", "en", target)]) == 4
    assert rule._originals("fr", target, "en", set(words)) == expected
