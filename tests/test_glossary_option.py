"""--glossary, the ``glossary`` configuration key and ``glossary=`` of the API (issue 13)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import normalize
from normalize.checker import get_linter
from normalize.errors import UsageError
from normalize.linter import Options

SOURCE = "The treaty was signed.\n"
TARGET = "Die Übereinkunft wurde unterzeichnet.\n"


def _mtnorm(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "normalize", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, encoding="utf-8", timeout=120,
                          check=False)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "vertrag.tsv").write_text("en\tde\ntreaty\tVertrag\n", encoding="utf-8")
    (tmp_path / "abkommen.tsv").write_text("en\tde\ntreaty\tÜbereinkunft|Abkommen\n",
                                           encoding="utf-8")
    (tmp_path / "src.txt").write_text(SOURCE, encoding="utf-8")
    (tmp_path / "tgt.txt").write_text(TARGET, encoding="utf-8")
    return tmp_path


def test_options_tell_two_glossaries_apart(folder: Path) -> None:
    a = Options(lang="de", source_lang="en", glossary=str(folder / "vertrag.tsv"))
    b = Options(lang="de", source_lang="en", glossary=str(folder / "abkommen.tsv"))
    assert a != b and hash(a) != hash(b)
    assert get_linter(a) is not get_linter(b)
    # The older spelling is the same option (and hashable).
    old = Options(lang="de", source_lang="en", extra={"glossary": str(folder / "vertrag.tsv")})
    assert old == a and hash(old) == hash(a)


def test_api_argument(folder: Path) -> None:
    kw = {"lang": "de", "source_lang": "en", "source": SOURCE, "select": ["pair.glossary"]}
    found = normalize.check(TARGET, glossary=folder / "vertrag.tsv", **kw)
    assert [f.rule for f in found] == ["pair.glossary"] and "Vertrag" in found[0].message
    # Another glossary in the same process: not the cached linter of the first.
    assert normalize.check(TARGET, glossary=str(folder / "abkommen.tsv"), **kw) == []
    assert normalize.check(TARGET, **kw) == []
    assert normalize.fix(TARGET, glossary=folder / "vertrag.tsv", **kw).remaining


def test_api_errors_name_file_and_line(folder: Path) -> None:
    bad = folder / "bad.tsv"
    bad.write_text("# terms\ntreaty\tVertrag\nlaw\tGesetz\tmust\n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"bad\.tsv: line 3: unknown status 'must'"):
        normalize.check(TARGET, lang="de", source=SOURCE, glossary=bad)
    with pytest.raises(UsageError, match=r"missing\.tbx: cannot read the glossary"):
        normalize.check(TARGET, lang="de", source=SOURCE, glossary=folder / "missing.tbx")
    tbx = folder / "bad.tbx"
    tbx.write_text('<?xml version="1.0"?>\n<martif>\n<text><body><termEntry></body>\n',
                   encoding="utf-8")
    with pytest.raises(UsageError, match=r"bad\.tbx: line 3: malformed TBX"):
        normalize.check(TARGET, lang="de", source=SOURCE, glossary=tbx)
    with pytest.raises(UsageError, match="key 'glossary' in the arguments: expected a string"):
        normalize.check(TARGET, lang="de", source=SOURCE, glossary=3)


def test_cli_option_and_errors(folder: Path) -> None:
    args = ("check", "--lang", "de", "--source-lang", "en", "--source", "src.txt", "tgt.txt")
    proc = _mtnorm(*args, "--glossary", "vertrag.tsv", cwd=folder)
    assert proc.returncode == 0 and "pair.glossary" in proc.stdout, proc.stderr
    assert "pair.glossary" not in _mtnorm(*args, "--glossary", "abkommen.tsv", cwd=folder).stdout
    (folder / "bad.csv").write_text('treaty,Vertrag\n"law,Gesetz\n', encoding="utf-8")
    for name, message in (("missing.tsv", "missing.tsv: cannot read the glossary"),
                          ("bad.csv", "bad.csv: line 2: malformed CSV")):
        proc = _mtnorm(*args, "--glossary", name, cwd=folder)
        assert proc.returncode == 2 and proc.stdout == ""
        lines = proc.stderr.splitlines()
        assert len(lines) == 1 and message in lines[0], proc.stderr
    # fix takes it too: the finding remains (no safe fix), the text is unchanged.
    proc = _mtnorm("fix", "--lang", "de", "--source-lang", "en", "--source", "src.txt", "tgt.txt",
                   "--glossary", "vertrag.tsv", "--format", "json", cwd=folder)
    assert proc.returncode == 0 and proc.stdout == TARGET and "pair.glossary" in proc.stderr


def test_configuration_key_is_relative_to_the_file(folder: Path) -> None:
    (folder / "terms").mkdir()
    (folder / "vertrag.tsv").rename(folder / "terms" / "vertrag.tsv")
    (folder / "mtnorm.toml").write_text('lang = "de"\nsource_lang = "en"\n'
                                        'glossary = "terms/vertrag.tsv"\n', encoding="utf-8")
    (folder / "work").mkdir()
    proc = _mtnorm("check", "--source", "../src.txt", "../tgt.txt", cwd=folder / "work")
    assert proc.returncode == 0 and "pair.glossary" in proc.stdout, proc.stderr
    # The command line wins over the configuration.
    proc = _mtnorm("check", "--source", "../src.txt", "../tgt.txt", "--glossary",
                   "../abkommen.tsv", cwd=folder / "work")
    assert "pair.glossary" not in proc.stdout, proc.stderr
    # The API's config= reads it the same way.
    found = normalize.check(TARGET, source=SOURCE, config=folder / "mtnorm.toml",
                            select=["pair.glossary"])
    assert [f.rule for f in found] == ["pair.glossary"]
    (folder / "mtnorm.toml").write_text('glossary = ["a"]\n', encoding="utf-8")
    proc = _mtnorm("check", "--source", "../src.txt", "../tgt.txt", cwd=folder / "work")
    assert proc.returncode == 2 and "key 'glossary' in the top level: expected a string" \
        in proc.stderr
