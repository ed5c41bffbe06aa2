"""Build, when the wheel is built, the derived data a first run would otherwise build.

``hatch_build.py`` runs ``python -m normalize._prebuild DIR`` from the source tree and
ships what it writes in ``normalize/_prebuilt``: the gazetteer's catalogue (SQLite, read
in place) with a word table of its English first words, and the English exonym draft.
All are pure functions of ``corpora/``, and each file is named by a hash of the bytes
it was built from (:func:`normalize.cache.content_digest`), so an installed copy is read
only where the installed data is that data. What depends on anything else (the
lexicon, read from wordfreq at run time; the interpreter) is not built here.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .rules.toponym import _exonyms

#: Languages whose exonym draft is shipped (the rule toponym.exonym reads English copy only).
EXONYM_LANGS = ("en",)


#: Languages whose table of the gazetteer's first words is shipped (the others are built
#: on first use, ~0.15 s each).
FIRST_WORDS_LANGS = ("en",)


def build(out: Path) -> list[Path]:
    """Write the prebuilt files into ``out``; returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    written = build_catalogue(out)
    if written:
        written += write_first_words(out, written[0])
    for lang in EXONYM_LANGS:
        written += write_exonym_draft(out, lang)
    return written


def write_first_words(out: Path, catalogue: Path) -> list[Path]:
    """The matcher's table of first words (:func:`normalize.gazetteer.store.first_words`)
    of each of :data:`FIRST_WORDS_LANGS`, for the catalogue ``catalogue``."""
    from .cache import store_word_table
    from .gazetteer.store import first_words_name, read_first_words

    written = []
    for lang in FIRST_WORDS_LANGS:
        path = out / first_words_name(catalogue, lang)
        if not store_word_table(path, read_first_words(catalogue, lang)):
            raise OSError(f"cannot write {path}")
        path.chmod(0o644)
        written.append(path)
    return written


def build_catalogue(out: Path) -> list[Path]:
    """The gazetteer's catalogue, named as :meth:`Gazetteer.prebuilt_name` says."""
    from .gazetteer.store import Gazetteer, _write_sqlite

    gaz = Gazetteer()
    name = gaz.prebuilt_name()
    if name is None:
        return []
    _write_sqlite(out / name, gaz._fill_catalogue)
    (out / name).chmod(0o644)  # written private, as a cache file is; read by every user
    return [out / name]


def write_exonym_draft(out: Path, lang: str, draft: _exonyms.Draft | None = None) -> list[Path]:
    """``lang``'s exonym draft (built unless given): its native keys and its steps."""
    from .cache import store_marshal, store_word_table
    from .rules.toponym import _exonyms

    if draft is None:
        draft = _exonyms.build_draft(lang)
    path = out / _exonyms.draft_name(lang)
    native = path.with_suffix(".native")
    if not (store_word_table(native, dict.fromkeys(sorted(draft.native), 0))
            and store_marshal(path, (list(draft.steps), draft.by_translit))):
        raise OSError(f"cannot write {path}")
    return [native, path]


def main(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m normalize._prebuild", description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write the prebuilt files into")
    parser.add_argument("--corpora", type=Path, default=None,
                        help="the corpora/ folder the wheel ships (default: the package's own)")
    args = parser.parse_args(argv)
    if args.corpora is not None:
        # An unpacked sdist has corpora/ beside the package, not inside it: read what the
        # wheel will ship. Set before the builders' modules import ``corpus``.
        from . import resources

        folder = args.corpora.resolve()
        resources.corpus = lambda *parts: folder.joinpath(*parts)
    from .resources import corpus

    if not all(corpus("gazetteer", f).is_file() for f in ("names.tsv.gz", "places.tsv.gz")):
        print("normalize._prebuild: no gazetteer data (corpora/gazetteer/*.tsv.gz): nothing prebuilt",
              file=sys.stderr)
        return 0
    for path in build(args.out):
        print(f"{path.name}  {path.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
