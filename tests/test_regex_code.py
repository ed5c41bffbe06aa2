"""The cache of compiled regular expression programs (normalize._regex_code)."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from normalize import _regex_code as rc

ROOT = Path(__file__).resolve().parent.parent

#: Run as ``normalize`` code: only such patterns are kept.
_AS_NORMALIZE = "def compile_it(pattern, flags):\n    return re.compile(pattern, flags)\n"


def _compile(pattern: str, flags: int = 0, module: str = "normalize._regex_code_test") -> re.Pattern[str]:
    namespace = {"__name__": module, "re": re}
    exec(_AS_NORMALIZE, namespace)  # noqa: S102  # a function whose module is ``module``
    return namespace["compile_it"](pattern, flags)


@pytest.fixture
def fresh(monkeypatch, tmp_path):
    """An empty cache folder, nothing pending, and ``re``'s own memo emptied."""
    monkeypatch.setenv("MTNORM_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(rc, "_new", {})
    monkeypatch.setattr(rc, "_where", None)
    re.purge()
    yield tmp_path
    re.purge()


SAMPLES = [
    (r"(?<![\w'’-])(?P<p>of|in|at)[ ](?:the|a)[ ](?P=p)(?=[ ])", 0, "news of the of the day"),
    (r"(?<!\w)(?:have\s+been\s+shot\s+down|has\s+been\s+destroyed)(?!\w)", re.IGNORECASE,
     "Two drones HAVE BEEN shot down; one has been destroyed."),
    (r"^(\d{1,3})(?:,(\d{3}))*(?P<rest>\.\d+)?$", re.MULTILINE, "1,234.5\nabc\n12\n"),
    (r"(?x) (?P<word> [^\W\d_]+ ) \s* (?P<num> \d+ )?", 0, "Kyiv 2024 Lviv"),
]


def _same(a: re.Pattern[str], b: re.Pattern[str], text: str) -> None:
    assert (a.pattern, a.flags, a.groups, dict(a.groupindex)) == (b.pattern, b.flags, b.groups, dict(b.groupindex))
    assert [m.span() for m in a.finditer(text)] == [m.span() for m in b.finditer(text)]
    assert [m.groupdict() for m in a.finditer(text)] == [m.groupdict() for m in b.finditer(text)]
    assert a.sub("<\\g<0>>", text) == b.sub("<\\g<0>>", text)


def test_re_compiles_through_the_cache():
    assert re._compiler.compile is rc._compile  # type: ignore[attr-defined]


@pytest.mark.parametrize(("pattern", "flags", "text"), SAMPLES)
def test_a_kept_program_matches_as_compiled(fresh, monkeypatch, pattern, flags, text):
    first = _compile(pattern, flags)
    assert len(rc._new) == 1
    rc.save()
    files = list(Path(rc._folder()).iterdir())
    assert len(files) == 1 and files[0].name == rc._file_name(pattern, flags)
    re.purge()
    # Read back, not parsed: the parser is not called.
    monkeypatch.setattr(rc, "_program", lambda *a: pytest.fail("compiled again"))
    again = _compile(pattern, flags)
    assert again is not first and not rc._new
    _same(again, first, text)
    monkeypatch.setattr(rc._compiler, "compile", rc._original)
    re.purge()
    _same(again, re.compile(pattern, flags), text)


def test_other_modules_patterns_are_not_kept(fresh):
    _compile(r"\bplain\b", 0, module="somebody_else")
    assert not rc._new


def test_a_damaged_file_is_compiled_afresh(fresh):
    pattern = r"(?P<a>\w+)-(?P<b>\w+)"
    _compile(pattern)
    rc.save()
    path = Path(rc._folder()) / rc._file_name(pattern, 0)
    data = bytearray(path.read_bytes())
    data[-3] ^= 0xFF  # the CRC no longer fits
    path.write_bytes(bytes(data))
    re.purge()
    again = _compile(pattern)
    assert rc._new  # compiled again, to be written again
    _same(again, re.compile(pattern), "left-right up-down")


def test_a_pattern_re_may_warn_about_is_left_to_re(fresh):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _compile(r"[[a-z]]")
    assert any(issubclass(w.category, FutureWarning) for w in caught)
    assert not rc._new


def test_an_invalid_pattern_raises_as_re_does(fresh):
    with pytest.raises(re.error, match="missing \\)"):
        _compile(r"(unclosed")
    assert not rc._new


def test_the_same_patterns_whatever_the_hash_seed(tmp_path):
    """Patterns built from sets are the same text in every process (else each run would
    compile and keep new ones): two hash seeds, the same programs for a check (toponym
    rules left out: they would build the gazetteer's index for each language)."""
    script = (
        "import json, sys\n"
        "from normalize import _regex_code as rc\n"
        "rc._load = lambda *a: None\n"
        "import normalize\n"
        "text = open(sys.argv[1], encoding='utf-8').read()\n"
        "for lang in ('en', 'fr', 'es'):\n"
        "    normalize.check(text, lang=lang, source_lang='uk', source=text, ignore='toponym')\n"
        "print(json.dumps(sorted(rc._new)))\n"
        "rc._new.clear()\n"
    )
    text = tmp_path / "text.txt"
    text.write_text("The mayor said that 1,5 million people of the of the city have been evacuated. "
                    "« Liberté » , dit-il . Kharkov and Kyiv, or or Lviv.\n", encoding="utf-8")
    names = []
    # A first run fills the other caches (a process that builds the people registry
    # compiles the patterns of transliteration; one that reads it back does not).
    for seed in ("0", "1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        out = subprocess.run([sys.executable, "-c", script, str(text)], cwd=ROOT, env=env,
                             capture_output=True, text=True, check=True).stdout
        names.append(json.loads(out))
    assert names[1] and names[1] == names[2]
