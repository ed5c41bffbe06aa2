"""normalize.literals: every literal found in one pass is what ``literal in text`` finds."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from normalize.literals import Literals

# Few characters, so that literals occur, overlap and nest; some beyond ASCII and the BMP.
_CHARS = st.sampled_from(list("ab ,.\n") + ["é", "İ", "і", "«", "\u200b", "𝐀"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(_CHARS, max_size=4), max_size=12), st.text(_CHARS, max_size=60))
def test_present_is_what_in_finds(strings, text):
    assert Literals(strings).present(text) == frozenset(s for s in strings if s and s in text)


def test_overlapping_and_nested_literals_are_all_found():
    literals = Literals(["read more", "more", "ore", "read", "jul", ""])
    assert literals.present("…read more") == {"read more", "read", "more", "ore"}
    assert literals.present("") == frozenset()
    assert len(literals) == 5 and literals.strings[0] == "jul"


def test_no_literals_find_nothing():
    assert Literals([]).present("anything") == frozenset()
    assert Literals([""]).present("anything") == frozenset()
