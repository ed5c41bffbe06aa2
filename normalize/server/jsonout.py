"""The desk's JSON answers: written by orjson where it is installed, else by the stdlib, same text.

:func:`compact` writes what ``json.dumps(value, ensure_ascii=False, allow_nan=False,
separators=(",", ":"))`` writes, in UTF-8. orjson (Apache-2.0 or MIT, a dependency of
the desk extra) writes the answer for the Kharkiv story (13 findings, 6 KB) in ~3 µs;
the stdlib's encoder took ~46 µs, about 2% of the whole request. (The command line's
reports stay with the stdlib: importing orjson costs ~4 ms, more than it saves on an
article's findings.)

What orjson would write otherwise than the stdlib, the stdlib writes: orjson refuses
(and the stdlib is asked) a dict key that is not a ``str``, an integer beyond 64
bits, a string with a lone surrogate, a dataclass or a date. Two differences are
left, for values no answer holds: a float under 1e-4 (not 0) is written in another
form of the same number (``0.00001`` and ``1e-7`` for the stdlib's ``1e-05`` and
``1e-07``); and NaN or an infinity is written ``null`` where the stdlib refuses it.
"""
from __future__ import annotations

import json
from types import ModuleType
from typing import Any

_orjson: ModuleType | None
try:
    import orjson as _orjson
except ImportError:  # pragma: no cover - orjson comes with the desk extra; the stdlib path is tested
    _orjson = None

#: What orjson must hand back (and so refuse) instead of writing in its own way.
_PASSTHROUGH = (0 if _orjson is None
                else _orjson.OPT_PASSTHROUGH_DATACLASS | _orjson.OPT_PASSTHROUGH_DATETIME)


def compact(value: Any) -> bytes:
    """``value`` as ``json.dumps(value, ensure_ascii=False, allow_nan=False,
    separators=(",", ":"))`` encoded in UTF-8 (a string with a lone surrogate raises
    UnicodeEncodeError)."""
    if _orjson is not None:
        try:
            return _orjson.dumps(value, option=_PASSTHROUGH)
        except TypeError:  # orjson.JSONEncodeError: see the module's docstring
            pass
    return json.dumps(value, ensure_ascii=False, allow_nan=False,
                      separators=(",", ":")).encode("utf-8")
