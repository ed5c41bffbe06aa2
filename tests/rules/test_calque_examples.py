"""Every calque entry's ``example`` is reported by that entry (corpora/rules/*/calques/*.yaml).

Entries are many (hundreds per source language) and written by hand: each one's
example is a test, run through the public API with the file's language pair,
so an entry whose regex, anchors, ``near`` or ``unless`` disagree with its own
example fails here. Included files (``common.yaml``) run through every
language that includes them.
"""
from __future__ import annotations

import pytest

import normalize
from normalize.resources import corpus
from normalize.rules.calque.false_friend import calques


def _pairs() -> list[tuple[str, str]]:
    """(target, source) for every calque file that is not only included by others."""
    root = corpus("rules")
    return sorted((p.parent.parent.name, p.stem) for p in root.glob("*/calques/*.yaml")
                  if p.stem != "common")


def _cases() -> list:
    params = []
    for target, source in _pairs():
        data = calques(target, source)
        for entry in data.entries if data else ():
            params.append(pytest.param(target, source, entry.id, entry.example,
                                       id=f"{target}/{source}:{entry.id}"))
    return params


@pytest.mark.parametrize("target, source, entry_id, example", _cases())
def test_entry_example_is_reported(target: str, source: str, entry_id: str, example: str) -> None:
    assert example, f"{target}/calques/{source}.yaml: entry {entry_id!r} has no example"
    findings = normalize.check(example + "\n", lang=target, source_lang=source,
                               select=["calque.false_friend"])
    assert entry_id in [f.data.get("entry") for f in findings], \
        (example, [(f.text, f.data.get("entry")) for f in findings])
