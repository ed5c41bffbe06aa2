"""Language identification of short spans with py3langid (optional).

py3langid (BSD-3-Clause, ~4.6 MB wheel, numpy only) is a maintained fork of
langid.py: a byte n-gram naive Bayes model over 97 languages. Its model ships
LZMA-compressed and takes ~0.8 s to unpack, longer than checking an article,
so the first use writes the part this project needs (the byte DFA and the
columns of the languages asked for) uncompressed into the mtnorm cache
directory; later processes load that in a few tens of milliseconds.

The identifier is loaded only when a rule has a candidate span to classify,
so clean copy never pays for it. Without the package (or with
``MTNORM_NO_LANGID=1``) :func:`identifier` returns None and the rules fall
back to what needs no model (scripts, function words).
"""
from __future__ import annotations

import functools
import hashlib
import os
import threading
from collections.abc import Iterable

from ..cache import cache_dir, store, store_bytes

_LOCK = threading.Lock()
_FORMAT = 2


class Identifier:
    """``classify(text) -> (lang, probability)`` over a fixed set of languages."""

    def __init__(self, impl, languages: tuple[str, ...]) -> None:
        self._impl = impl
        self.languages = languages

    def classify(self, text: str) -> tuple[str, float]:
        lang, prob = self._impl.classify(text)
        return str(lang), float(prob)

    def rank(self, text: str) -> list[tuple[str, float]]:
        return [(str(k), float(v)) for k, v in self._impl.rank(text)]


def available() -> bool:
    """Whether language identification can run here."""
    return not os.environ.get("MTNORM_NO_LANGID") and _installed()


@functools.lru_cache(maxsize=1)
def _installed() -> bool:
    try:
        import py3langid  # noqa: F401
    except ImportError:
        return False
    return True


def identifier(languages: Iterable[str]) -> Identifier | None:
    """An identifier restricted to ``languages`` (codes the model does not know are dropped)."""
    if not available():
        return None
    return _identifier(tuple(sorted(set(languages))))


@functools.lru_cache(maxsize=8)
def _identifier(languages: tuple[str, ...]) -> Identifier | None:
    with _LOCK:
        try:
            impl = _load_cached(languages)
        except Exception:
            impl = _load_public(languages)
    if impl is None:
        return None
    return Identifier(impl, tuple(impl.nb_classes))


def _load_public(languages: tuple[str, ...]):
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    impl = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    known = [lang for lang in languages if lang in set(impl.nb_classes)]
    if not known:
        return None
    impl.set_languages(known)
    return impl


def _cache_paths(languages: tuple[str, ...]):
    """The cached model: ``<model>.dfa`` (the byte DFA's transition rows, raw uint32, read
    straight into an ``array``; shared by every language set) and ``<model>-<set>.npz``
    (the columns of these languages and the small arrays)."""
    import py3langid
    from py3langid import langid

    model = langid.MODEL_DIR / langid.MODEL_FILE
    st = model.stat()
    sig = hashlib.sha256(f"{_FORMAT}:{py3langid.__version__}:{st.st_size}:{int(st.st_mtime)}"
                         .encode()).hexdigest()[:12]
    subset = hashlib.sha256(",".join(languages).encode()).hexdigest()[:8]
    base = cache_dir() / f"py3langid-{sig}"
    return base.with_suffix(".dfa"), cache_dir() / f"py3langid-{sig}-{subset}.npz"


def _load_cached(languages: tuple[str, ...]):
    """Load (or build, then load) the cached subset model; None if no language is known."""
    import numpy as np
    from py3langid.langid import LanguageIdentifier

    dfa_path, npz_path = _cache_paths(languages)
    try:
        with np.load(npz_path, allow_pickle=False) as npz:
            data = {k: npz[k] for k in npz.files}
        nextmove = _map_dfa(dfa_path, int(data["nextmove_len"]))
    except (OSError, ValueError, KeyError, EOFError):
        data, nextmove = _build_cache(languages, dfa_path, npz_path)
    classes = [str(c) for c in data["classes"].tolist()]
    if not classes:
        return None
    return LanguageIdentifier(
        data["ptc"], data["pc"], classes, nextmove, data["out_feat"].tolist(),
        norm_probs=True, tk_row=data["nextmove_row"].tolist())


def _map_dfa(path, length: int):
    """The DFA rows as a read-only memory map viewed as uint32: nothing is read until a
    span is classified, and then only the rows its bytes visit."""
    import mmap
    import sys

    if sys.byteorder != "little":
        raise ValueError("the cached DFA is little-endian")
    with open(path, "rb") as handle:
        mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    if len(mapped) != 4 * length:
        mapped.close()
        raise ValueError("truncated DFA cache")
    return memoryview(mapped).cast("I")


def _model_arrays(raw: bytes) -> dict:
    """The arrays of py3langid's model (``raw``: its .npz, a zip of stored .npy files) as
    read-only views of ``raw``: no copy and no CRC pass, which ``np.load`` makes of every
    member (~0.4 s of the 68 MB; the xz stream they came from carries its own check)."""
    import io
    import math
    import struct
    import zipfile

    import numpy as np
    from numpy.lib import format as npy

    arrays = {}
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        for info in archive.infolist():
            if info.compress_type != zipfile.ZIP_STORED or not info.filename.endswith(".npy"):
                raise ValueError(f"unexpected member {info.filename!r} in the langid model")
            if raw[info.header_offset:info.header_offset + 4] != b"PK\x03\x04":
                raise ValueError("not a zip local header")
            name_len, extra_len = struct.unpack_from("<HH", raw, info.header_offset + 26)
            start = info.header_offset + 30 + name_len + extra_len
            head = io.BytesIO(raw[start:start + 65536])
            version = npy.read_magic(head)
            shape, fortran, dtype = (npy.read_array_header_1_0(head) if version == (1, 0)
                                     else npy.read_array_header_2_0(head))
            if dtype.hasobject:
                raise ValueError("object arrays in the langid model")
            count = math.prod(shape)
            if head.tell() + count * dtype.itemsize > info.file_size:
                raise ValueError(f"truncated member {info.filename!r}")
            array = np.frombuffer(raw, dtype=dtype, count=count, offset=start + head.tell())
            arrays[info.filename[:-4]] = array.reshape(shape, order="F" if fortran else "C")
    return arrays


def _build_cache(languages: tuple[str, ...], dfa_path, npz_path):
    import lzma

    import numpy as np
    from py3langid import langid

    full = _model_arrays(lzma.decompress((langid.MODEL_DIR / langid.MODEL_FILE).read_bytes()))
    classes = [str(c) for c in full["classes"].tolist()]
    wanted = set(languages)
    # Some labels appear twice (script aliases); keep every column of a wanted label.
    idx = [i for i, c in enumerate(classes) if c in wanted]
    rows = np.ascontiguousarray(full["nextmove"], dtype="<u4")
    data = {
        # float16 as shipped: half the size to read; scores are computed in float32.
        "ptc": np.ascontiguousarray(full["ptc"][:, idx]),
        "pc": full["pc"][idx].astype(np.float32),
        "classes": np.array([classes[i] for i in idx]),
        "nextmove_row": full["nextmove_row"],
        "nextmove_len": np.array(len(rows)),
        "out_feat": full["out_feat"],
    }
    # The DFA first: a reader that finds the .npz finds a complete .dfa beside it. Read
    # back mapped, as later processes read it (the rows need not be copied here).
    if (dfa_path.is_file() and dfa_path.stat().st_size == rows.nbytes) or store_bytes(dfa_path, rows.data):
        store(npz_path, lambda tmp: np.savez(tmp, **data))
        try:
            return data, _map_dfa(dfa_path, len(rows))
        except (OSError, ValueError):
            pass
    return data, rows.data.cast("B").cast("I")
