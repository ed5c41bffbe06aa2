"""What a first run builds, and what a wheel ships prebuilt instead.

* The gazetteer's catalogue answers every language's matcher as the per-language
  index it replaces did (a reference built here from the TSV, with that index's rules).
* A prebuilt catalogue or exonym draft (``normalize/_prebuilt``) is read where it was
  built from the installed data, and ignored (the data built again) where it was not.
* The faster builders give what the slower ones gave: the langid model read in place,
  the lexicon's accent index.
"""
from __future__ import annotations

import gzip
import shutil
import sqlite3
from pathlib import Path

import pytest

from normalize import cache as cache_mod
from normalize.gazetteer import store
from normalize.gazetteer.store import Gazetteer, name_key


@pytest.fixture
def fresh_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache directory and no prebuilt files (a source checkout has none)."""
    monkeypatch.setenv("MTNORM_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(cache_mod, "prebuilt_dir", lambda: None)
    return tmp_path / "cache"


def _use_prebuilt(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """Make ``folder`` the package's prebuilt folder."""
    monkeypatch.setattr(cache_mod, "prebuilt_dir", lambda: folder)


def _ship_catalogue(monkeypatch: pytest.MonkeyPatch, shipped: Path) -> str:
    """Build the installed data's catalogue under its prebuilt name into ``shipped``, make
    that the package's prebuilt folder, and return the name."""
    gaz = Gazetteer()
    name = gaz.prebuilt_name()
    assert name is not None
    store._write_sqlite(shipped / name, gaz._fill_catalogue)
    _use_prebuilt(monkeypatch, shipped)
    return name


# -- the catalogue against the per-language index it replaced ---------------------------------
def _reference_index(lang: str) -> tuple[dict[str, int], dict[str, list[tuple[str, ...]]], set[str],
                                         dict[str, str], set[str]]:
    """first words, names by key, prefixes and preferred names of ``lang``, computed as the
    per-language SQLite index (before the catalogue served every language) was built."""
    common = store._function_words(lang)
    kinds: dict[str, str] = {}
    for cols in store._rows("places.tsv.gz"):
        kinds.setdefault(cols[0], cols[1])
    first: dict[str, int] = {}
    names: dict[str, list[tuple[str, ...]]] = {}
    prefixes: set[str] = set()
    preferred: dict[str, str] = {}
    seen: set[tuple[str, str, str]] = set()
    left_out: set[str] = set()  # keys and their starts of names that are left out
    for cols in store._rows("names.tsv.gz"):
        if len(cols) < 5 or cols[1] not in (lang, "und"):
            continue
        place, tag, status, text, source = cols[:5]
        if (place, text, tag) in seen:
            continue
        seen.add((place, text, tag))
        if tag == lang and status == "preferred":
            preferred.setdefault(place, text)
        parts = name_key(text).split()
        if not text[:1].isupper() or not parts or (tag == "und" and (parts[0] in common or len(parts[0]) < 2)):
            left_out.update(" ".join(parts[:n]) for n in range(1, len(parts) + 1))
            continue
        names.setdefault(" ".join(parts), []).append((place, tag, status, text, source, kinds.get(place, "")))
        first[parts[0]] = max(first.get(parts[0], 0), len(parts))
        prefixes.update(" ".join(parts[:n]) for n in range(2, len(parts) + 1))
    return first, names, prefixes, preferred, left_out


@pytest.mark.usefixtures("needs_gazetteer")
@pytest.mark.parametrize("lang", ["en", "fr", "xx"])
def test_catalogue_index_answers_as_the_per_language_index(lang: str) -> None:
    """Every 13th name key, first word and prefix of the reference (and words the language's
    function words keep out: "but", "she"), every 3rd place: the same answers."""
    first, names, prefixes, preferred, left_out = _reference_index(lang)
    # What only names that are left out (lower case, a function word first) have.
    absent = sorted(left_out - prefixes - set(names) - set(first))
    index = Gazetteer.load_bundled().index(lang)
    # Every key of several names too: their order is the file's.
    keys = sorted(names)[::13] + [k for k, v in names.items() if len({n[0] for n in v}) > 2]
    keys += absent[::3] + ["but", "she", "s on", "no such place at all"]
    for key in keys:
        got = [(n.place, n.lang, n.status, n.text, n.source, n.kind) for n in index.names(key)]
        assert got == names.get(key, []), key
    words = sorted(first)[::13] + [w for w in absent if " " not in w][::3] + ["but", "she", "s", "zzqx"]
    for word in words:
        assert index.first_word(word) == first.get(word), word
    probes = sorted(prefixes)[::13] + [k.rsplit(" ", 1)[0] + " zzqx" for k in sorted(prefixes)[:50]]
    probes += [w for w in absent if " " in w][::3]
    for words_ in probes + ["new", "but then", "new york"]:
        assert index.has_prefix(words_) == (words_ in prefixes), words_
    for place in sorted(preferred)[::3] + ["city:0"]:
        assert index.preferred(place) == preferred.get(place), place
    if lang == "en":  # the reference is not empty: these would pass vacuously otherwise
        assert first["new"] >= 2 and "new york" in prefixes and names["kiev"]
        assert "but" not in first and "she" not in names and len(absent) > 1000


@pytest.mark.usefixtures("needs_gazetteer")
@pytest.mark.parametrize("lang", ["en", "fr", "und"])
def test_first_words_answer_as_the_catalogue_rows(fresh_cache: Path, lang: str) -> None:
    """The first words of the language and of the untagged names, read through the mapped
    table (store.first_words), say for every such word and for words of neither what the
    catalogue's rows say; so does the dict made where the table cannot be written."""
    catalogue = Gazetteer().catalogue()
    assert catalogue is not None
    with sqlite3.connect(catalogue.path) as conn:
        rows = conn.execute("SELECT word, lang, most FROM first WHERE lang IN (?, 'und')",
                            (lang,)).fetchall()
    own = {w: m for w, tag, m in rows if tag != "und"}
    und = {w: m for w, tag, m in rows if tag == "und"}
    table = store.first_words(catalogue.path, lang)
    assert isinstance(table, cache_mod.WordTable)
    assert (fresh_cache / f"{catalogue.path.stem}.first-{lang}").is_file()
    words = sorted(own.keys() | und.keys())
    probes = words[::7] + list(own) + ["zzqx", "but", "she", "s", ""]
    for word in probes:
        assert store.unpack_first(table.get(word)) == (own.get(word), und.get(word)), word
    assert len(probes) > 1000 and (lang == "und" or own)


def test_first_rows_pack_and_unpack() -> None:
    for own in (None, 0, 1, 7, store._FIRST_MOST):
        for und in (None, 0, 1, 12, store._FIRST_MOST):
            assert store.unpack_first(store.pack_first(own, und)) == (own, und)
    assert store.unpack_first(None) == (None, None)


@pytest.mark.usefixtures("needs_gazetteer")
def test_first_words_are_built_once_and_held_in_memory_where_they_cannot_be_kept(
        fresh_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    catalogue = Gazetteer().catalogue()
    assert catalogue is not None
    built = store.first_words(catalogue.path, "en")
    monkeypatch.setattr(store, "store_word_table", lambda *a: pytest.fail("built again"))
    again = store.first_words(catalogue.path, "en")   # read, not built
    assert isinstance(again, cache_mod.WordTable) and again.get("new") == built.get("new")
    monkeypatch.setattr(store, "store_word_table", lambda *a: False)   # an unwritable cache
    held = store.first_words(catalogue.path, "de")
    assert isinstance(held, dict) and (store.unpack_first(held.get("berlin"))[1] or 0) >= 1
    index = store.LanguageIndex("de", catalogue.path)
    assert (index.first_word("berlin") or 0) >= 1 and index.first_word("zzqx") is None


# -- prebuilt copies -------------------------------------------------------------------------
@pytest.mark.usefixtures("needs_gazetteer")
def test_prebuilt_catalogue_is_read_in_place(fresh_cache: Path, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """A catalogue named by the installed data's hash is linked into the cache and read;
    nothing is built; lookups answer as the in-memory path over the TSV does."""
    shipped = tmp_path / "prebuilt"
    name = _ship_catalogue(monkeypatch, shipped)

    def no_build(*args: object) -> None:
        raise AssertionError("built although a prebuilt copy of this data is there")

    monkeypatch.setattr(store, "_write_sqlite", no_build)
    gaz = Gazetteer()
    path = gaz.catalogue_path()
    assert path.parent == fresh_cache and path.is_symlink() and path.resolve() == (shipped / name).resolve()
    catalogue = gaz.catalogue()
    assert catalogue is not None
    assert gaz.index("en").names("kiev") and (gaz.index("en").first_word("kiev") or 0) >= 1
    slow = Gazetteer()
    slow._catalogue = None  # the way of an unwritable cache: every name in memory
    for query, lang in (("Kiev", None), ("Kiev", "en"), ("München", None), ("Nagorno Karabakh", "en")):
        assert [p.id for p in gaz.lookup(query, lang)] == [p.id for p in slow.lookup(query, lang)], query
        for place in gaz.lookup(query, lang)[:3]:
            assert gaz.names_by_lang(place.id) == slow.names_by_lang(place.id)
    # A later process finds the link by the cheap key alone: the data is not hashed again.
    monkeypatch.setattr(cache_mod, "prebuilt_dir", lambda: None)
    assert Gazetteer().catalogue_path() == path


@pytest.mark.usefixtures("needs_gazetteer")
def test_stale_prebuilt_catalogue_is_ignored(fresh_cache: Path, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """A copy built from other data than the installed one is never read: the data is built."""
    shipped = tmp_path / "prebuilt"
    old_name = _ship_catalogue(monkeypatch, shipped)
    # The installed data differs from what the copy was built from: one more place.
    data = tmp_path / "corpora"
    shutil.copytree(store.corpus("gazetteer"), data / "gazetteer")
    names = data / "gazetteer" / "names.tsv.gz"
    text = gzip.decompress(names.read_bytes()).decode("utf-8")
    names.write_bytes(gzip.compress((text + "city:test\ten\tpreferred\tQuuxville\tcurated\n").encode()))

    def corpus(*parts: str):
        return data.joinpath(*parts)

    from normalize import resources

    monkeypatch.setattr(resources, "corpus", corpus)
    monkeypatch.setattr(store, "corpus", corpus)
    gaz = Gazetteer()
    assert gaz.prebuilt_name() != old_name
    path = gaz.catalogue_path()
    assert not path.exists()  # not linked to the stale copy: to be built
    assert [p.id for p in gaz.lookup("Quuxville")] == ["city:test"]
    assert path.is_file() and not path.is_symlink()


@pytest.mark.usefixtures("needs_gazetteer")
def test_prebuilt_exonym_draft(fresh_cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The draft as the wheel build writes it (``normalize._prebuild``) is read and judged
    into the tables the draft gives when built here; a draft named by other data is not read."""
    from normalize import _prebuild
    from normalize.rules.toponym import _exonyms

    shipped = tmp_path / "prebuilt"
    draft = _exonyms.build_draft("en")
    _prebuild.write_exonym_draft(shipped, "en", draft)
    want = _exonyms._judge("en", draft)
    _use_prebuilt(monkeypatch, shipped)

    def no_build(lang: str) -> _exonyms.Draft:
        raise AssertionError("built although a prebuilt draft of this data is there")

    monkeypatch.setattr(_exonyms, "build_draft", no_build)
    _exonyms.tables.cache_clear()
    try:
        read = _exonyms.tables("en")
        assert read.by_key == want.by_key and list(read.by_key) == list(want.by_key)
        assert read.by_translit == want.by_translit and read.most_words == want.most_words
        assert isinstance(read.native, cache_mod.WordTable) and read.native.path.parent == shipped
        assert list(read.native) == sorted(want.native)
        assert read.by_key["borshchagovka"].target == "Borshchahivka"
        assert read.by_key["borshchagovka"].kind == "russian"
        assert read.by_key["wien"].target == "Vienna" and read.by_key["münchen"].target == "Munich"
        # Named as if built from other data: not read (and so built, here refused).
        for path in shipped.glob("exonyms-en-*"):
            path.rename(path.with_name(path.name.replace("exonyms-en-", "exonyms-en-0")))
        _exonyms.tables.cache_clear()
        monkeypatch.setenv("MTNORM_CACHE_DIR", str(tmp_path / "other-cache"))
        with pytest.raises(AssertionError, match="prebuilt draft"):
            _exonyms.tables("en")
    finally:
        _exonyms.tables.cache_clear()


def test_exonym_tables_follow_the_lexicon(fresh_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The judged tables are keyed by the lexicon they were judged with: installing
    wordfreq after a first run does not leave tables judged without it in use."""
    from normalize import lexicon
    from normalize.rules.toponym import _exonyms

    native = fresh_cache / "native.words"
    assert cache_mod.store_word_table(native, {"kyiv": 0})
    monkeypatch.setattr(_exonyms, "draft", lambda lang: _exonyms.Draft(
        [], {}, cache_mod.open_word_table(native)))  # type: ignore[arg-type]
    seen = set()
    try:
        for stamp in ("", "/site-packages/wordfreq/data/large_en.msgpack.gz:1:2"):
            monkeypatch.setattr(lexicon, "stamp", lambda lang, stamp=stamp: stamp)
            _exonyms.tables.cache_clear()
            _exonyms.tables("en")
            seen |= {p.name for p in fresh_cache.glob("exonyms-en-*.marshal")}
            assert len(seen) == (2 if stamp else 1), stamp
    finally:
        _exonyms.tables.cache_clear()


# -- faster builders, same data -------------------------------------------------------------
def test_langid_model_read_in_place_is_numpy_load() -> None:
    """py3langid's model members, read as views of the unpacked bytes, are np.load's arrays."""
    np = pytest.importorskip("numpy")
    pytest.importorskip("py3langid")
    import io
    import lzma

    from py3langid import langid as model

    from normalize.analysis.langid import _model_arrays

    raw = lzma.decompress((model.MODEL_DIR / model.MODEL_FILE).read_bytes())
    fast = _model_arrays(raw)
    with np.load(io.BytesIO(raw), allow_pickle=False) as full:
        assert sorted(fast) == sorted(full.files)
        for name in full.files:
            want = full[name]
            assert fast[name].dtype == want.dtype and fast[name].shape == want.shape, name
            assert np.array_equal(fast[name], want), name


def test_accent_index_as_a_character_at_a_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The translate tables give the index strip_accents/delete_accented give."""
    from normalize.lexicon import AccentEntry, Lexicon, delete_accented, strip_accents

    words = {"été": 622, "ete": 392, "nommé": 468, "armées": 442, "armes": 490, "Ærø": 300, "ǅemal": 250,
             "naïve": 400, "naive": 380, "ﬁn": 200, "i̇stanbul": 210, "ñandú": 150, "école": 500, "ecole": 120}
    stripped: dict[str, AccentEntry] = {}
    deleted: dict[str, AccentEntry] = {}
    for word, cz in words.items():
        if word.isascii():
            continue
        for index, key in ((stripped, strip_accents(word)), (deleted, delete_accented(word))):
            if key != word and key:
                old = index.get(key)
                index[key] = AccentEntry(word, cz / 100, 1) if old is None else old._replace(sharing=old.sharing + 1)
    got = Lexicon("fr", words, "test")._build_accent_index()
    assert got == (stripped, deleted)
    assert list(got[0]) == list(stripped) and got[0]["ete"] == AccentEntry("été", 6.22, 1)
    # From the mapped table, and from the list it was just built from (a first run).
    assert cache_mod.store_word_table(tmp_path / "fr.words", words)
    table = cache_mod.open_word_table(tmp_path / "fr.words")
    assert table is not None
    assert Lexicon("fr", table, "test")._build_accent_index() == got
    assert Lexicon("fr", table, "test", built_from=dict(words))._build_accent_index() == got


@pytest.mark.usefixtures("needs_gazetteer")
def test_catalogue_file_is_sqlite_with_the_matcher_tables(fresh_cache: Path) -> None:
    """The catalogue holds what LanguageIndex reads (names with key, words, cap; first)."""
    catalogue = Gazetteer().catalogue()
    assert catalogue is not None and catalogue.path.parent == fresh_cache
    with sqlite3.connect(f"file:{catalogue.path}?mode=ro", uri=True) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {"names", "places", "first"} <= tables
        assert conn.execute("SELECT most FROM first WHERE word = 'new' AND lang = 'und'").fetchone()[0] >= 2


def test_name_key_lowers_each_word_alone() -> None:
    """name_key lower-cases the joined words: as lower-casing each word alone, final
    sigmas (the one context str.lower reads) and letters that lower to two included."""
    hypothesis = pytest.importorskip("hypothesis")
    from hypothesis import strategies as st

    from normalize.gazetteer.store import _WORD

    alphabet = st.sampled_from(list("ΣσςΑαʼ'’\u0301\u0307İIıK -.·_1") + ["ǅ", "ẞ", "Ω", "ﬁ", "Ǆ"])

    @hypothesis.settings(max_examples=3000, deadline=None)
    @hypothesis.given(st.text(alphabet, max_size=12) | st.text(max_size=12))
    def check(name: str) -> None:
        assert name_key(name) == " ".join(w.lower() for w in _WORD.findall(name))

    check()
    assert name_key("ΟΔΟΣ ΑΘΗΝΑΣ") == "οδος αθηνας" and name_key("ΟΔΟΣ-Α") == "οδος α"


def test_no_prebuilt_switch(monkeypatch: pytest.MonkeyPatch) -> None:
    """MTNORM_NO_PREBUILT=1: the package's prebuilt files are not read (built, as without)."""
    monkeypatch.setenv("MTNORM_NO_PREBUILT", "1")
    assert cache_mod.prebuilt_dir.__wrapped__() is None
    monkeypatch.delenv("MTNORM_NO_PREBUILT")
    folder = cache_mod.prebuilt_dir.__wrapped__()
    assert folder is None or folder.name == "_prebuilt"
