"""Given-name gender lexicon, derived from the ``nomquamgender`` package.

The runtime reads ``corpora/names/given_names.tsv.gz`` (about 55,000 given
names, ~0.3 MB), a filtered extract of nomquamgender's ``name_data.json``
(MIT licence, Van Buskirk, Clauset & Larremore 2022; see
``corpora/names/SOURCES.md``). The package itself is only needed to rebuild
the file, and is the optional extra ``names``::

    .venv/bin/pip install -e '.[names]'
    .venv/bin/python -m normalize.analysis.given_names build     # rewrite the file
    .venv/bin/python -m normalize.analysis.given_names check     # exit 1 if stale

Why this one (recorded in SOURCES.md): ``gender-guesser`` is GPL-3.0 with a
GFDL data file (usable only behind an optional extra, never shipped);
``names-dataset`` is 56 MB, needs gigabytes of memory and is built from a
leaked social-network dump; nomquamgender is MIT, covers ~720k names with
p(female), a count and a number of sources per name, and a filtered extract is
small enough to ship, so the rules need no extra at run time.

Lookup keys are accent-free lower case (``Ségolène`` → ``segolene``), as in
nomquamgender; Cyrillic is transliterated first (``Мария`` → ``mariya``).
"""
from __future__ import annotations

import functools
import gzip
import io
import sys
import unicodedata

from ..resources import corpus

#: Keep a name if this many people carry it in the sources, and this many sources list it.
MIN_COUNT = 50
MIN_SOURCES = 3
#: p(female) at or above which a name counts as female, at or below which as male
#: (nomquamgender's own default threshold); anything between is "u" (either).
FEMALE_AT = 0.9
MALE_AT = 0.1

FILE = ("names", "given_names.tsv.gz")
HEADER = "name\tgender\tp_female\tcount"

_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    "і": "i", "ї": "yi", "є": "ye", "ґ": "g",
}


def name_key(word: str) -> str:
    """The lookup key of a given name: lower case, accents removed, Cyrillic romanised."""
    low = word.lower()
    if low.isascii():
        return low
    if any("\u0400" <= c <= "\u04ff" for c in low):
        low = "".join(_CYRILLIC.get(c, c) for c in low)
    return "".join(c for c in unicodedata.normalize("NFKD", low) if not unicodedata.combining(c))


@functools.lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    """name key -> gender. Parsing the 56k-row file costs ~65 ms, so the dict is
    kept in the cache directory as marshal data keyed by the file's bytes."""
    import hashlib

    from ..cache import cache_dir, load_marshal, store_marshal

    node = corpus(*FILE)
    if not node.is_file():
        return {}
    raw = node.read_bytes()
    cached = cache_dir() / f"given-names-{hashlib.sha256(raw).hexdigest()[:16]}.marshal"
    known = load_marshal(cached)
    if known is not None:
        return known
    text = gzip.decompress(raw).decode("utf-8")
    out: dict[str, str] = {}
    for line in text.split("\n")[1:]:
        if line:
            tab = line.index("\t")
            out[line[:tab]] = line[tab + 1]
    store_marshal(cached, out)
    return out


#: Russian case endings and the nominative endings they come from ("Сергеем" -> "Сергей",
#: "Марией" -> "Мария"), tried in order when the word itself is not a known name.
_CYRILLIC_CASES = (("ием", "ий"), ("ией", "ия"), ("ии", "ия"), ("ию", "ия"), ("ем", "й"),
                   ("ея", "ей"), ("ею", "ей"), ("ей", "я"), ("ой", "а"), ("ою", "а"), ("ом", ""),
                   ("ы", "а"), ("е", "а"), ("у", "а"), ("ю", "я"), ("а", ""), ("у", ""), ("е", ""))


def given_name_gender(word: str) -> str | None:
    """'f', 'm', 'u' (a given name of either gender) or None (not a known given name)."""
    table = _table()
    found = table.get(name_key(word))
    if found is None and len(word) > 3 and "\u0400" <= word[-1] <= "\u04ff":
        low = word.lower()
        for ending, nominative in _CYRILLIC_CASES:
            if low.endswith(ending):
                found = table.get(name_key(low[:-len(ending)] + nominative))
                if found is not None:
                    break
    return found


def available() -> bool:
    """Whether the lexicon file is there (a stripped install may lack it)."""
    return bool(_table())


# -- build -------------------------------------------------------------------------
def _rows_from_package() -> list[tuple[str, str, float, int]]:
    import json
    from importlib import resources

    try:
        node = resources.files("nomquamgender").joinpath("name_data.json")
    except ModuleNotFoundError:
        sys.exit("nomquamgender is not installed: pip install -e '.[names]'")
    # Read the data file directly: importing the package would import pandas.
    data = json.loads(node.read_text(encoding="utf-8"))
    rows = []
    for name, value in data.items():
        sources, count, p_female = value[0], value[1], value[2]
        if count < MIN_COUNT or sources < MIN_SOURCES or len(name) < 2:
            continue
        if not all(c.isalpha() or c == "-" for c in name) or name.startswith("-") or name.endswith("-"):
            continue
        gender = "f" if p_female >= FEMALE_AT else "m" if p_female <= MALE_AT else "u"
        rows.append((name, gender, float(p_female), int(count)))
    rows.sort()
    return rows


def _render(rows: list[tuple[str, str, float, int]]) -> bytes:
    body = HEADER + "\n" + "".join(f"{n}\t{g}\t{p:.3f}\t{c}\n" for n, g, p, c in rows)
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0, compresslevel=9) as handle:
        handle.write(body.encode("utf-8"))
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    import argparse
    from pathlib import Path

    ap = argparse.ArgumentParser(description="Build corpora/names/given_names.tsv.gz from nomquamgender.")
    ap.add_argument("command", choices=["build", "check"])
    args = ap.parse_args(argv)
    path = Path(__file__).resolve().parents[3] / "corpora" / FILE[0] / FILE[1]
    data = _render(_rows_from_package())
    if args.command == "check":
        same = path.is_file() and path.read_bytes() == data
        print(f"{path}: {'up to date' if same else 'STALE'}")
        return 0 if same else 1
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    print(f"wrote {path} ({len(data):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
