"""The compiled programs of mtnorm's regular expressions, kept across runs.

``re`` parses a pattern and generates its program (a list of integers that the
``_sre`` engine runs) in Python, every process: ~125 patterns, some of them
alternations of hundreds of words, are ~25-40 ms of a one-article ``mtnorm
check``. The program depends only on the pattern, its flags and the
interpreter, so it is kept in the cache directory, one small marshal file per
pattern (a run reads only the patterns it compiles), in a folder per
interpreter version and ``_sre`` magic number. A pattern read back is built by
``_sre.compile`` from the same arguments ``re`` would have passed it: the same
pattern object, without the parsing.

:func:`install` puts :func:`_compile` in place of ``re``'s internal compiler
function (``re._compile`` looks it up on each call), and only patterns that
``normalize`` code compiles (through ``re.compile``, ``re.search``...,
:class:`~normalize.patterns.LazyPattern`) are kept; others, and anything
this module does not expect (a ``DEBUG`` flag, a bytes pattern, an
interpreter whose ``re`` works differently), are compiled by ``re`` as
before. New programs are written at exit; files are checked against their
pattern and a CRC-32 on reading, and any that does not fit is compiled afresh.
"""
from __future__ import annotations

import atexit
import marshal
import os
import re
import sys
import zlib
from typing import Any

try:
    from re import _compiler, _parser  # type: ignore[attr-defined]  # Python >= 3.11
except ImportError:  # pragma: no cover  # Python 3.10
    import sre_compile as _compiler  # type: ignore[no-redef,unused-ignore]
    import sre_parse as _parser  # type: ignore[no-redef,unused-ignore]

import _sre  # type: ignore[import-not-found]

#: Files kept in a folder at most: past this (patterns of configurations since
#: edited, over many versions) the folder starts again.
_LIMIT = 20000

#: What ``re`` itself calls: used for patterns not kept, and as the reference.
_original = _compiler.compile

#: Substrings of a pattern that ``re``'s parser may warn about (possible set
#: operations and nested sets, unusual conditional group names): such patterns
#: are compiled by ``re`` every time, so a warning is never lost to the cache.
_MAY_WARN = ("[[", "--", "&&", "~~", "||", "(?(")

#: File name -> (pattern, flags, program...) compiled in this process and not yet written.
_new: dict[str, tuple[Any, ...]] = {}
#: ($MTNORM_CACHE_DIR as last seen, folder it gives), so a changed variable is followed.
_where: tuple[str | None, str] | None = None
_registered = False


def _folder() -> str:
    global _where
    env = os.environ.get("MTNORM_CACHE_DIR")
    if _where is None or _where[0] != env:
        from .cache import cache_dir

        tag = f"{sys.implementation.cache_tag}-{sys.hexversion:x}-{_sre.MAGIC}"
        _where = (env, os.path.join(cache_dir(), "regex-code", tag))
    return _where[1]


def _ours() -> bool:
    """Whether the pattern being compiled comes from ``normalize`` code (the first
    caller outside ``re``)."""
    frame: Any = sys._getframe(2)
    while frame is not None and frame.f_globals.get("__name__") == "re":
        frame = frame.f_back
    if frame is None:
        return False
    name = frame.f_globals.get("__name__", "")
    return type(name) is str and (name == "normalize" or name.startswith("normalize."))


def _file_name(pattern: str, flags: int) -> str:
    data = pattern.encode("utf-8", "surrogatepass")
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}-{flags:x}.marshal"


def _read(path: str) -> bytes | None:
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    except OSError:
        return None
    try:
        chunks = []
        while True:
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(fd)


def _load(path: str, pattern: str, flags: int) -> Any:
    """The pattern built from the program kept at ``path``, or None."""
    data = _read(path)
    if data is None or len(data) < 4 or int.from_bytes(data[:4], "little") != zlib.crc32(data[4:]):
        return None
    try:
        entry = marshal.loads(data[4:])
        if (type(entry) is not tuple or len(entry) != 7 or entry[0] != pattern
                or entry[1] != flags):
            return None
        return _sre.compile(pattern, *entry[2:])
    except Exception:  # a file that does not fit: compile afresh
        return None


def _program(pattern: str, flags: int) -> tuple[Any, ...]:
    """What ``re``'s compiler passes ``_sre.compile`` for ``pattern`` (as in its ``compile``)."""
    parsed = _parser.parse(pattern, flags)
    code = [int(op) for op in _compiler._code(parsed, flags)]  # opcodes are int subclasses
    groupindex = dict(parsed.state.groupdict)
    indexgroup = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    return (flags | parsed.state.flags, code, parsed.state.groups - 1, groupindex,
            tuple(indexgroup))


def _compile(pattern: Any, flags: int = 0) -> Any:
    """``re``'s internal compile: a ``normalize`` pattern's program from the cache."""
    if (type(pattern) is not str or type(flags) is not int or flags & re.DEBUG
            or any(s in pattern for s in _MAY_WARN) or not _ours()):
        return _original(pattern, flags)
    name = _file_name(pattern, flags)
    compiled = _load(os.path.join(_folder(), name), pattern, flags)
    if compiled is not None:
        return compiled
    try:
        program = _program(pattern, flags)
        compiled = _sre.compile(pattern, *program)
    except Exception:  # an invalid pattern raises as re raises it
        return _original(pattern, flags)
    _remember(name, (pattern, flags, *program))
    return compiled


def _remember(name: str, entry: tuple[Any, ...]) -> None:
    global _registered
    _new[name] = entry
    if not _registered:
        _registered = True
        atexit.register(save)


def save() -> None:
    """Write the programs compiled since the last save (at exit; an unwritable
    cache is not an error)."""
    if not _new:
        return
    folder = _folder()
    entries = list(_new.items())
    _new.clear()
    try:
        os.makedirs(folder, exist_ok=True)
        if len(os.listdir(folder)) + len(entries) > _LIMIT:
            for old in os.listdir(folder):
                os.unlink(os.path.join(folder, old))
    except OSError:
        return
    for name, entry in entries:
        try:
            payload = marshal.dumps(entry)
        except ValueError:
            continue
        path = os.path.join(folder, name)
        tmp = f"{path}.{os.getpid()}.tmp"
        try:
            with open(tmp, "wb") as handle:
                handle.write(zlib.crc32(payload).to_bytes(4, "little") + payload)
            os.replace(tmp, path)
        except OSError:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def install() -> None:
    """Have ``re`` compile ``normalize``'s patterns through the cache."""
    _compiler.compile = _compile
