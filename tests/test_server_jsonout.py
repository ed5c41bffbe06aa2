"""The desk's JSON answers: orjson writes what the stdlib would, and the stdlib takes over
where orjson would write otherwise or is not installed."""
from __future__ import annotations

import dataclasses
import datetime
import json
from typing import Any

import pytest

pytest.importorskip("starlette")
pytest.importorskip("orjson")

from hypothesis import given, settings
from hypothesis import strategies as st

from normalize.server import jsonout


def stdlib(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, allow_nan=False,
                      separators=(",", ":")).encode("utf-8")


# Any text but lone surrogates (control characters, quotes, backslashes, every plane),
# and floats in the stdlib's plain form (the one documented difference is below 1e-4).
_TEXT = st.text(st.characters(blacklist_categories=("Cs",)))
_FLOATS = st.floats(allow_nan=False, allow_infinity=False).filter(lambda f: "e-" not in repr(f))
_LEAVES = (st.none() | st.booleans() | st.integers(-2**63, 2**64 - 1) | _FLOATS | _TEXT)
_VALUES = st.recursive(_LEAVES, lambda inner: st.lists(inner) | st.dictionaries(_TEXT, inner),
                       max_leaves=40)


@settings(max_examples=500, deadline=None)
@given(_VALUES)
def test_orjson_writes_what_the_stdlib_writes(value: Any) -> None:
    assert jsonout._orjson is not None
    assert jsonout.compact(value) == stdlib(value)


@dataclasses.dataclass
class _Point:
    x: int


@pytest.mark.parametrize("value", [
    {1: "int key"}, {"a": {None: 1, True: 2}},          # keys that are not str
    [2**64, -2**63 - 1, 10**30],                         # integers beyond 64 bits
])
def test_what_orjson_refuses_the_stdlib_writes(value: Any) -> None:
    assert jsonout.compact(value) == stdlib(value)


@pytest.mark.parametrize("value", [_Point(1), datetime.date(2026, 1, 1), object()])
def test_what_the_stdlib_refuses_stays_refused(value: Any) -> None:
    # orjson would write a dataclass or a date in its own way; the answer must not
    # depend on whether it is installed.
    with pytest.raises(TypeError):
        jsonout.compact({"value": value})


def test_a_lone_surrogate_fails_as_before() -> None:
    with pytest.raises(UnicodeEncodeError):
        jsonout.compact({"text": "a\ud800b"})


def test_without_orjson_the_stdlib_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jsonout, "_orjson", None)
    value = {"text": "Kharkiv «\u00a0»\n\t\x01", "n": [1, 2.5, None, True]}
    assert jsonout.compact(value) == stdlib(value)
    with pytest.raises(ValueError):
        jsonout.compact(float("nan"))


def test_a_desk_answer_is_the_stdlib_rendering() -> None:
    from normalize.server.app import parse_job, render_json, run_check

    text = ("[ad_1]\nThe spokeswoman said He was expected in Kharkov on Monday, "
            "and the the talks went on. «\u00a0Oui\u00a0»\n")
    job = parse_job({"text": text, "lang": "en", "style": "ap", "source_lang": "fr"}, fix=False)
    body = render_json(run_check, job)
    answer = run_check(job)
    assert answer["files"][0]["findings"]
    assert body == stdlib(answer)
