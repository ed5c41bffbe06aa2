"""Property tests: check never crashes, spans are honest, fix is idempotent and keeps line endings."""
from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import normalize
from normalize.findings import FixSafety

LANGS = ["en", "fr", "de", "es", "ru"]

#: Fragments that trigger (or nearly trigger) the rules, glued together at random.
FRAGMENTS = [
    "[ad_1]", "[ad_2]", "[caption id=1]", "{{ ad }}", "Source link", "Read more", "Share this",
    "Lire aussi : ", "Weiterlesen", "Читайте также", "Kiev", "Kiev's", "KIEV", "Nagorny Karabakh",
    "Nagorno-Karabakh", "Nagorno Karabakh", "Shusha", "Shushi", "Kyiv", "KYIV", "Kievan Rus",
    "Odessa, Texas", "Peking duck", "Bombay", "Mumbai", "St. Petersburg", "Turkey", "Türkiye", "chicken Kiev", "the the", "le le", "a The", "plan A",
    "«", "»", "“", "”", "„", "(…)", "[…]", "(...)", "Ã©", "â€™", "CafÃ©", "\ufffd",
    "\r\n", "\n", "\r", "\n\n", "\t", " ", "  ", "\u00a0", "\u202f",
    "\u200b", "\u200d", "\u00ad", "\ufeff", "\u202e",
    "<b>", "</b>", "<br>", "<p>", "</p>", "<script>x</script>", "<!-- c -->", "&amp;", "&nbsp;",
    "&#8217;", "AT&T", "&", "<",
    "e\u0301", "\u0301", "A\u030a", "\u1100\u1161",
    "Привет", "Киев", "он он", "Ð¸", "ß", "İ", "ﬁ",
    "\U0001F468\u200d\U0001F469\u200d\U0001F467", "\U0001F600",
    "!", "?", ":", ";", "12:30", "http://x.fr", ".", ",", "'", "’",
    "Bonjour", "word", "Word", "WORD",
]

any_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200)
fragment_text = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS),
              st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=4)),
    max_size=30).map("".join)
texts = st.one_of(any_text, fragment_text)
langs = st.sampled_from(LANGS)

#: MTNORM_HYPOTHESIS_EXAMPLES=5000 digs deeper than the default run.
def _styles() -> list[tuple[str, str]]:
    """(style, language) for every bundled house style."""
    from normalize.resources import load_yaml
    from normalize.styles import available_styles

    out = []
    for name in available_styles():
        raw = load_yaml("styles", f"{name}.yaml") or {}
        lang = str(raw.get("lang", name.split("-")[-1] if name.startswith("default-") else "en"))
        if lang in LANGS:
            out.append((name, lang))
    return out


STYLES = _styles()

SETTINGS = settings(max_examples=int(os.environ.get("MTNORM_HYPOTHESIS_EXAMPLES", "200")), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


@SETTINGS
@given(text=texts, lang=langs)
def test_check_never_raises_and_spans_are_exact(text: str, lang: str) -> None:
    findings = normalize.check(text, lang=lang)
    for f in findings:
        assert 0 <= f.start <= f.end <= len(text), f
        assert text[f.start:f.end] == f.text, f
        assert (f.line, f.column) == _position(text, f.start), f
        if f.replaces is not None:
            lo, hi = f.replaces
            assert 0 <= lo <= hi <= len(text), f
        if f.fix is not FixSafety.NONE:
            assert f.replacement is not None


@SETTINGS
@given(text=texts, lang=langs)
def test_findings_are_sorted(text: str, lang: str) -> None:
    findings = normalize.check(text, lang=lang)
    keys = [f.sort_key() for f in findings]
    assert keys == sorted(keys)


@SETTINGS
@given(text=texts, lang=langs)
def test_fix_is_idempotent(text: str, lang: str) -> None:
    once = normalize.fix(text, lang=lang)
    assert once.converged
    twice = normalize.fix(once.text, lang=lang)
    assert twice.text == once.text
    assert not twice.applied


@SETTINGS
@given(text=texts, lang=langs)
def test_unsafe_fix_is_idempotent(text: str, lang: str) -> None:
    once = normalize.fix(text, lang=lang, unsafe=True)
    assert once.converged
    assert normalize.fix(once.text, lang=lang, unsafe=True).text == once.text


@SETTINGS
@given(text=texts, lang=langs)
def test_fix_keeps_line_endings(text: str, lang: str) -> None:
    fixed = normalize.fix(text, lang=lang).text
    assert fixed.count("\r\n") <= text.count("\r\n")
    lone_cr = text.count("\r") - text.count("\r\n")
    assert fixed.count("\r") - fixed.count("\r\n") <= lone_cr


@SETTINGS
@given(lines=st.lists(fragment_text.filter(lambda s: "\n" not in s and "\r" not in s),
                      min_size=1, max_size=8),
       lang=langs)
def test_fix_of_crlf_text_stays_crlf(lines: list[str], lang: str) -> None:
    """A text whose every line ends in CRLF keeps CRLF endings only: no bare LF appears."""
    text = "".join(line + "\r\n" for line in lines)
    fixed = normalize.fix(text, lang=lang).text
    assert fixed.count("\n") == fixed.count("\r\n")


@SETTINGS
@given(text=texts, lang=langs)
def test_text_without_safe_fixes_is_unchanged(text: str, lang: str) -> None:
    findings = normalize.check(text, lang=lang)
    result = normalize.fix(text, lang=lang)
    if not findings:
        assert result.text == text
        assert not result.applied
        assert result.remaining == []
    if not any(f.fix is FixSafety.SAFE for f in findings):
        assert result.text == text


@SETTINGS
@given(text=texts, lang=langs)
def test_fix_remaining_matches_check(text: str, lang: str) -> None:
    """What fix says is left is exactly what check reports on the fixed text."""
    result = normalize.fix(text, lang=lang)
    assert result.remaining == normalize.check(result.text, lang=lang)
    assert not any(f.fix is FixSafety.SAFE for f in result.remaining)


@SETTINGS
@given(text=fragment_text, data=st.data())
def test_house_styles_fix_is_idempotent(text: str, data: st.DataObject) -> None:
    if not STYLES:
        pytest.skip("no house styles in corpora/styles yet")
    style, lang = data.draw(st.sampled_from(STYLES), label="style")
    for f in normalize.check(text, lang=lang, style=style):
        assert text[f.start:f.end] == f.text
    once = normalize.fix(text, lang=lang, style=style, unsafe=True)
    assert once.converged
    assert normalize.fix(once.text, lang=lang, style=style, unsafe=True).text == once.text
