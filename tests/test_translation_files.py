"""Translation files (XLIFF 1.2/2.x, TMX 1.4, PO): read, check, fix, write back.

The end-to-end cases run the real command (``python -m normalize``) on files
built here, and compare what it writes with what it read.
"""
from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from normalize.translation_files import read_units, scan_bytes
from normalize.translation_files.inline import (
    OBJECT_CHAR,
    plain_edits,
    po_content,
    xml_content,
)
from normalize.translation_files.process import NOT_FIXED

REPO = Path(__file__).resolve().parent.parent


def mtnorm(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "normalize", *args], check=False,
                          capture_output=True, text=True, cwd=cwd or REPO, timeout=300)


# -- files built by the tests ------------------------------------------------------------
#: (id, source, target): a doubled space, a number that does not match its source, clean text.
PAIRS = [
    ("p1", "Le conseil a voté hier.", "The council  voted yesterday."),
    ("p2", "Il y avait 45 personnes.", "There were 54 people."),
    ("p3", "Tout va bien.", "All is well."),
    ("p4", "Ils ont  parlé de Paris et de Lyon.", "They talked about Paris and  Lyon ."),
]

XLIFF12 = """\
<?xml version="1.0" encoding="UTF-8"?>
<!-- exported by a CAT tool -->
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2" xmlns:x="urn:x-vendor">
  <file source-language="fr-FR" target-language="en-US" datatype="plaintext" original="a.txt">
    <header><note>header  note</note></header>
    <body>
      <trans-unit id="m1" x:extra='kept  as is'>
        <source>Il a dit <g id="1">bonjour</g> au <x id="2"/> monde.</source>
        <target state="translated">He said  <g id="1">hello  there</g> to the <x id="2"/>  world.</target>
        <note>translator  note</note>
      </trans-unit>
      <trans-unit id="m2">
        <source>Prix &amp; taxes</source>
        <target>Price &amp;  taxes &#8212; caf&#233;  included</target>
      </trans-unit>
      <trans-unit id="f1" approved="yes">
        <source>Fini</source>
        <target>Done  here</target>
      </trans-unit>
      <trans-unit id="f2">
        <source>Fini</source>
        <target state="final">Final  text</target>
      </trans-unit>
      <group translate="no">
        <trans-unit id="f3"><source>Non</source><target>Not  translated</target></trans-unit>
      </group>
      <trans-unit id="empty">
        <source>Sans cible</source>
      </trans-unit>
      <trans-unit id="empty2"><source>Cible vide</source><target/></trans-unit>
      <trans-unit id="cross">
        <source>Deux espaces</source>
        <target>Two <g id="3"> </g> spaces</target>
      </trans-unit>
{pairs}
    </body>
  </file>
</xliff>
"""

XLIFF2 = """\
<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="fr" trgLang="en">
  <file id="f1">
    <notes><note>a  note</note></notes>
    <unit id="u1">
      <segment id="s1" state="translated">
        <source>Bonjour <pc id="1">le monde</pc>.</source>
        <target>Hello  <pc id="1">the  world</pc>.</target>
      </segment>
      <ignorable><source> </source></ignorable>
      <segment id="s2" state="final">
        <source>Au revoir.</source>
        <target>Good  bye.</target>
      </segment>
    </unit>
    <unit id="u2" translate="no">
      <segment><source>Garder</source><target>Keep  this</target></segment>
    </unit>
    <unit id="u3">
      <segment><source>Cliquez <ph id="1"/> ici</source><target>Click <ph id="1"/>  here</target></segment>
    </unit>
{pairs}
  </file>
</xliff>
"""

TMX = """\
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4">
  <header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" srclang="fr" datatype="plaintext"/>
  <body>
    <tu tuid="t1" creationdate="20240101T000000Z">
      <prop type="x-domain">news  desk</prop>
      <tuv xml:lang="fr"><seg>Il est <bpt i="1">&lt;b&gt;</bpt>là<ept i="1">&lt;/b&gt;</ept>.</seg></tuv>
      <tuv xml:lang="en"><seg>He is  <bpt i="1">&lt;b&gt;</bpt>there<ept i="1">&lt;/b&gt;</ept>.</seg></tuv>
    </tu>
    <tu><tuv xml:lang="fr"><seg>Deux</seg></tuv><tuv xml:lang="en"><seg>Two  words</seg></tuv></tu>
    <tu tuid="e"><tuv xml:lang="fr"><seg>Vide</seg></tuv><tuv xml:lang="en"><seg/></tuv></tu>
{pairs}
  </body>
</tmx>
"""

PO = """\
# French to English, by hand.
msgid ""
msgstr ""
"Language: en\\n"
"X-Source-Language: fr\\n"
"Content-Type: text/plain; charset=UTF-8\\n"

#. extracted comment  kept
#: src/menu.c:12
#, fuzzy, c-format
msgctxt "menu"
msgid "Ouvrir le fichier"
msgstr "Open  the <b>file</b>"

msgid "Un fichier"
msgid_plural "%d fichiers"
msgstr[0] "One  file"
msgstr[1] ""
"%d files and the  long "
"wrapped  line"

msgid "Pas traduit"
msgstr ""

{pairs}
#~ msgid "Vieux"
#~ msgstr "Old  one"
"""


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def xliff12(pairs=PAIRS) -> str:
    units = "\n".join(f'      <trans-unit id="{i}">\n        <source>{_xml_escape(s)}</source>\n'
                      f'        <target>{_xml_escape(t)}</target>\n      </trans-unit>'
                      for i, s, t in pairs)
    return XLIFF12.replace("{pairs}", units)


def xliff2(pairs=PAIRS) -> str:
    units = "\n".join(f'    <unit id="{i}"><segment><source>{_xml_escape(s)}</source>'
                      f'<target>{_xml_escape(t)}</target></segment></unit>' for i, s, t in pairs)
    return XLIFF2.replace("{pairs}", units)


def tmx(pairs=PAIRS) -> str:
    units = "\n".join(f'    <tu tuid="{i}">\n      <tuv xml:lang="fr"><seg>{_xml_escape(s)}</seg></tuv>\n'
                      f'      <tuv xml:lang="en"><seg>{_xml_escape(t)}</seg></tuv>\n    </tu>'
                      for i, s, t in pairs)
    return TMX.replace("{pairs}", units)


def po(pairs=PAIRS) -> str:
    def quoted(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    units = "".join(f"msgctxt {quoted(i)}\nmsgid {quoted(s)}\nmsgstr {quoted(t)}\n\n"
                    for i, s, t in pairs)
    return PO.replace("{pairs}", units)


BUILDERS = {"a.xlf": xliff12, "b.xliff": xliff2, "c.tmx": tmx, "d.po": po}


def outside_targets(data: bytes, path: str, fmt: str) -> list[bytes]:
    """The file's bytes cut at its targets: what must not change."""
    units, _ = scan_bytes(data, path, fmt)
    pieces, pos = [], 0
    for unit in units:
        if unit.target_span is not None:
            pieces.append(data[pos:unit.target_span[0]])
            pos = unit.target_span[1]
    pieces.append(data[pos:])
    return pieces


FORMAT_OF = {"a.xlf": "xliff", "b.xliff": "xliff", "c.tmx": "tmx", "d.po": "po"}


# -- the inline model ------------------------------------------------------------------------
def test_xml_markup_is_kept_out_of_the_text_and_mapped_back():
    raw = 'He said  <g id="1">hello</g> to <x id="2"/> the &amp; caf&#233;<!-- c --> x'
    inline = xml_content(raw)
    assert inline.text == f"He said  hello to {OBJECT_CHAR} the & café x"
    assert [t for _, t in inline.placeholders] == ['<g id="1">', "</g>", '<x id="2"/>', "<!-- c -->"]
    # The doubled space is removed; the entity far from it is written as it was.
    new, refused = inline.apply(plain_edits(inline.text, inline.text.replace("  ", " ")))
    assert refused == 0
    assert new == raw.replace("said  <g", "said <g")
    # Replacing the "é" written as an entity writes the replacement, escaped.
    at = inline.text.index("é")
    new, _ = inline.apply([(at, at + 1, "e & <")])
    assert new.endswith("caf" + "e &amp; &lt;" + "<!-- c --> x")


def test_edits_that_would_break_a_tag_are_refused():
    inline = xml_content('a <g id="1"> </g> b')
    assert inline.text == "a   b"
    # Removing the spaces on both sides of <g> and </g> would cross them.
    new, refused = inline.apply([(1, 4, " ")])
    assert (new, refused) == (inline.raw, 1)
    # An edit that only touches the tag's edge is fine.
    new, refused = inline.apply([(0, 1, "A")])
    assert (new, refused) == ('A <g id="1"> </g> b', 0)
    # A standalone placeholder is a character no edit may replace.
    obj = xml_content('x <ph id="1">{0}</ph> y')
    assert obj.text == f"x {OBJECT_CHAR} y"
    assert obj.apply([(2, 3, "")]) == (obj.raw, 1)
    # Protected content is not ours to check: one placeholder too.
    for raw in ('the <mrk mtype="protected" mid="1">Acme  Corp</mrk> firm',
                'the <mrk id="m1" translate="no">Acme  Corp</mrk> firm'):
        protected = xml_content(raw)
        assert protected.text == f"the {OBJECT_CHAR} firm"
        assert protected.apply([(4, 5, "X")]) == (raw, 1)
    assert xml_content('a <mrk id="t" type="term">b  c</mrk>').text == "a b  c"


def test_po_escapes_and_wrapping_survive_an_edit():
    raw = 'Say \\"hi\\"  now and "\n"then  <b>go</b>\\n'
    inline = po_content(raw)
    assert inline.text == 'Say "hi"  now and then  go\n'
    new, refused = inline.apply(plain_edits(inline.text, inline.text.replace("  ", " ")))
    assert refused == 0
    assert new == 'Say \\"hi\\" now and "\n"then <b>go</b>\\n'
    # An edit across the line wrap keeps the wrap (after the replacement).
    at = inline.text.index("and then")
    new, _ = inline.apply([(at, at + 8, 'and "then"')])
    assert new == 'Say \\"hi\\"  now and \\"then\\""\n"  <b>go</b>\\n'


# -- reading -----------------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_units_are_read_with_ids_languages_lines_and_flags(tmp_path, name):
    path = tmp_path / name
    path.write_text(BUILDERS[name]())
    units = {u.id: u for u in read_units(path)}
    for ident, source, target in PAIRS:
        unit = units[f"{ident}|{source}" if name.endswith(".po") else ident]
        assert (unit.source, unit.target) == (source, target)
        assert unit.source_lang.startswith("fr") and unit.target_lang.startswith("en")
        assert path.read_text().splitlines()[unit.line - 1].lstrip().startswith(
            ("<trans-unit", "<unit", "<tu", "msgctxt"))
    if name == "a.xlf":
        assert units["m1"].target == f"He said  hello  there to the {OBJECT_CHAR}  world."
        assert units["m1"].placeholders[0] == (9, '<g id="1">')
        assert units["m2"].target == "Price &  taxes — café  included"
        assert [units[i].final for i in ("m1", "f1", "f2", "f3")] == [False, True, True, True]
        assert units["empty"].target is None and units["empty2"].target is None
    if name == "b.xliff":
        assert units["u1/s1"].target == "Hello  the  world."
        assert units["u1/s2"].final and units["u2"].final and not units["u3"].final
    if name == "c.tmx":
        assert units["t1"].target == "He is  there."
        assert units["#2"].target == "Two  words"
        assert units["e"].target is None
    if name == "d.po":
        assert units["menu|Ouvrir le fichier"].target == "Open  the file"
        assert units["Un fichier[1]"].source == "%d fichiers"
        assert units["Un fichier[1]"].target == "%d files and the  long wrapped  line"
        assert units["Pas traduit"].target is None
        assert not any(u.startswith("Vieux") for u in units)


# -- the command, end to end ----------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_fix_round_trip_keeps_every_byte_outside_the_fixed_targets(tmp_path, name):
    path = tmp_path / name
    path.write_text(BUILDERS[name]())
    out = tmp_path / f"out-{name}"
    done = mtnorm("fix", str(path), "-o", str(out), "--select", "typography.double_space")
    assert done.returncode == 0, done.stderr
    before, after = path.read_bytes(), out.read_bytes()
    fmt = FORMAT_OF[name]
    assert after != before
    # Valid, and everything outside the targets is byte for byte what it was.
    assert outside_targets(after, str(out), fmt) == outside_targets(before, str(path), fmt)
    if fmt != "po":
        from lxml import etree

        etree.fromstring(after)
    else:
        import polib

        polib.pofile(after.decode())
    old = {u.id: u for u in read_units(path)}
    new = {u.id: u for u in read_units(out)}
    assert old.keys() == new.keys()
    for ident, unit in new.items():
        assert unit.source == old[ident].source
        assert unit.placeholders == old[ident].placeholders or unit.target.count(OBJECT_CHAR) == \
            old[ident].target.count(OBJECT_CHAR)
        assert [t for _, t in unit.placeholders] == [t for _, t in old[ident].placeholders]
        if old[ident].final or old[ident].target is None:
            assert unit.target == old[ident].target  # left alone
        elif ident != "cross":
            assert "  " not in unit.target, ident
    if name == "a.xlf":
        assert b'<target state="translated">He said <g id="1">hello there</g> to the <x id="2"/> world.</target>' in after
        assert b"caf&#233; included" in after  # the entity kept
        assert b'Two <g id="3"> </g> spaces' in after  # fixing it would cross <g> and </g>
    # Fixing again changes nothing.
    again = mtnorm("fix", str(out), "--in-place", "--select", "typography.double_space")
    assert again.returncode == 0 and out.read_bytes() == after


@pytest.mark.skipif(shutil.which("patch") is None, reason="needs patch(1)")
@pytest.mark.parametrize("name", ["a.xlf", "d.po"])
def test_fix_diff_is_a_patch_that_gives_the_fixed_file(tmp_path, name):
    path = tmp_path / name
    path.write_text(BUILDERS[name]())
    fixed = tmp_path / "fixed"
    assert mtnorm("fix", str(path), "-o", str(fixed), "-q").returncode == 0
    diff = mtnorm("fix", name, "--diff", "-q", cwd=tmp_path)
    assert diff.returncode == 1 and diff.stdout.startswith(f"--- a/{name}\n"), diff.stderr
    subprocess.run(["patch", "-p1", "-s"], input=diff.stdout, text=True, cwd=tmp_path, check=True)
    assert path.read_bytes() == fixed.read_bytes()


def test_a_fix_that_would_break_markup_is_reported_as_not_fixable(tmp_path):
    path = tmp_path / "a.xlf"
    path.write_text(xliff12())
    done = mtnorm("check", str(path), "--format", "json", "--select", "typography.double_space")
    assert done.returncode == 0, done.stderr
    found = {f["data"]["record"]: f for f in json.loads(done.stdout)["files"][0]["findings"]}
    assert found["cross"]["fix"] == "none"
    assert found["cross"]["message"].endswith("[not fixed: the fix would break inline markup]")
    assert found["m2"]["fix"] == "safe"


def test_include_final_fixes_final_and_locked_units_too(tmp_path):
    path = tmp_path / "a.xlf"
    path.write_text(xliff12())
    told = mtnorm("check", str(path), "--select", "typography.double_space")
    assert f"mtnorm: note: {path}: 3 units marked final, approved or locked left alone " \
           "(--include-final checks them)" in told.stderr
    assert "note:" not in mtnorm("check", str(path), "-q").stderr
    done = mtnorm("fix", str(path), "--in-place", "--include-final", "--select",
                  "typography.double_space")
    assert done.returncode == 0, done.stderr
    units = {u.id: u for u in read_units(path)}
    assert units["f1"].target == "Done here" and units["f3"].target == "Not translated"


def _findings(report: dict) -> list[tuple]:
    # Markup is what JSONL lacks: a file's finding may add that its fix would break a tag.
    return sorted((f["data"]["record"], f["rule"], f["start"], f["end"],
                   f["message"].removesuffix(NOT_FIXED),
                   f["data"]["field_line"], f["data"]["field_column"])
                  for file in report["files"] for f in file["findings"])


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_findings_equal_those_of_the_same_pairs_as_jsonl(tmp_path, name):
    path = tmp_path / name
    path.write_text(BUILDERS[name]())
    units = [u for u in read_units(path) if u.target is not None and not u.final]
    jsonl = tmp_path / "pairs.jsonl"
    jsonl.write_text("".join(json.dumps({"id": u.id, "src": u.source, "text": u.target},
                                        ensure_ascii=False) + "\n" for u in units))
    common = ("--lang", "en", "--source-lang", "fr", "--format", "json", "--fail-on", "never")
    from_file = mtnorm("check", str(path), *common)
    from_jsonl = mtnorm("check", str(jsonl), "--source-field", "src", *common)
    assert from_file.returncode == 0, from_file.stderr
    assert from_jsonl.returncode == 0, from_jsonl.stderr
    found = _findings(json.loads(from_file.stdout))
    assert found == _findings(json.loads(from_jsonl.stdout))
    rules = {f[1] for f in found}
    assert "typography.double_space" in rules and any(r.startswith("number.") for r in rules), rules


def test_languages_come_from_the_file(tmp_path):
    path = tmp_path / "c.tmx"
    path.write_text(tmx().replace('xml:lang="en"', 'xml:lang="de-DE"'))
    done = mtnorm("check", str(path), "--format", "json", "--fail-on", "never")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["files"][0]["lang"] == "de-DE"
    # A language mtnorm has no rules for is said, not checked as English.
    path.write_text(tmx().replace('xml:lang="en"', 'xml:lang="zh-CN"'))
    done = mtnorm("check", str(path))
    assert done.returncode == 2 and "zh-CN" in done.stderr and "--lang" in done.stderr


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "junit"])
def test_every_output_format_names_the_unit(tmp_path, fmt):
    path = tmp_path / "d.po"
    path.write_text(po())
    done = mtnorm("check", str(path), "--format", fmt, "--select", "typography.double_space")
    assert done.returncode == 0, done.stderr
    line = PO.splitlines().index("#. extracted comment  kept") + 1
    if fmt in ("text", "junit"):
        assert f"{path}:{line}:1: [id menu|Ouvrir le fichier, field target 1:5] info " \
               "typography.double_space" in done.stdout
        return
    if fmt == "github":
        assert f"::notice file={path},line={line},col=1,title=typography.double_space::2 spaces " \
               "in a row; use one [id menu|Ouvrir le fichier, field target 1:5]" in done.stdout
        return
    doc = json.loads(done.stdout)
    if fmt == "json":
        first = doc["files"][0]["findings"][0]
        assert (first["line"], first["data"]["record"], first["data"]["msgctxt"]) == \
            (line, "menu|Ouvrir le fichier", "menu")
        return
    result = doc["runs"][0]["results"][0]
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == line
    assert result["properties"]["record"] == "menu|Ouvrir le fichier"


def test_explicit_input_format(tmp_path):
    path = tmp_path / "memory.xml"
    path.write_text(tmx())
    done = mtnorm("check", str(path), "--input-format", "tmx", "--format", "json",
                  "--select", "typography.double_space", "--fail-on", "never")
    assert done.returncode == 0, done.stderr
    assert {f["data"]["record"] for f in json.loads(done.stdout)["files"][0]["findings"]} >= {"t1", "#2"}


BAD = {
    "malformed.xlf": (xliff12().replace("</trans-unit>\n      <trans-unit id=\"m2\">",
                                        "\n      <trans-unit id=\"m2\">", 1), "malformed XML"),
    "no-source.xlf": (xliff12().replace("<source>Prix &amp; taxes</source>", ""), "has no <source>"),
    "one-tuv.tmx": (tmx().replace('<tuv xml:lang="fr"><seg>Deux</seg></tuv>', ""), "1 <tuv>"),
    "syntax.po": (po().replace('msgstr[0] "One  file"', 'msgstr[0] "One  file'), "PO syntax error"),
    "no-targets.xlf": (re.sub(r"\s*<target\b.*?</target>|\s*<target/>", "", xliff12(), flags=re.DOTALL),
                       "no unit has a <target>"),
    "no-targets-2.xlf": (re.sub(r"\s*<target\b.*?</target>", "", xliff2(), flags=re.DOTALL),
                         "no unit has a <target>"),
    "malformed-2.xlf": (xliff2().replace("</segment>", "</segmnt>", 1), "malformed XML"),
    "malformed.tmx": (tmx().replace("</seg>", "</sg>", 1), "malformed XML"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_files_are_one_line_errors_and_nothing_is_written(tmp_path, name):
    text, problem = BAD[name]
    path = tmp_path / name
    path.write_text(text)
    before = path.read_bytes()
    for args in (("check", str(path)), ("fix", str(path), "--in-place"),
                 ("fix", str(path), "-o", str(tmp_path / "out"))):
        done = mtnorm(*args, "-q")
        assert done.returncode == 2, (args, done.stderr)
        errors = [line for line in done.stderr.splitlines() if line.startswith("mtnorm: error:")]
        assert len(errors) == 1 and problem in errors[0], done.stderr
        assert errors[0].startswith(f"mtnorm: error: {path}:"), errors[0]
        where = int(errors[0].split(f"{path}:")[1].split(":")[0])
        assert 1 <= where <= text.count("\n") + 1
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


@pytest.mark.parametrize("target_lines, source_lines", [(2, 3), (3, 2), (0, 1)])
def test_aligned_text_with_other_line_counts_is_a_one_line_error(tmp_path, target_lines, source_lines):
    target = tmp_path / "mt.en"
    source = tmp_path / "src.fr"
    target.write_text("".join(f"Line  {n}.\n" for n in range(target_lines)))
    source.write_text("".join(f"Ligne {n}.\n" for n in range(source_lines)))
    before = target.read_bytes()
    for args in (("check",), ("fix", "--in-place"), ("fix", "-o", str(tmp_path / "out"))):
        done = mtnorm(args[0], str(target), "--source", str(source), *args[1:], "-q")
        assert done.returncode == 2, (args, done.stderr)
        errors = [line for line in done.stderr.splitlines() if line.startswith("mtnorm: error:")]
        assert len(errors) == 1 and done.stderr.count("\n") == 1, done.stderr
        line = min(target_lines, source_lines) + 1
        assert errors[0].startswith(f"mtnorm: error: {target}:{line}: {target_lines} line"), errors[0]
        assert f"{source} has {source_lines}" in errors[0]
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mt.en", "src.fr"]


def test_aligned_text_with_equal_line_counts_is_checked(tmp_path):
    target = tmp_path / "mt.en"
    source = tmp_path / "src.fr"
    target.write_text("There were 54 people.\nAll is well.")  # no final newline: still 2 lines
    source.write_text("Il y avait 45 personnes.\nTout va bien.\n")
    done = mtnorm("check", str(target), "--source", str(source), "--format", "json", "--fail-on", "never")
    assert done.returncode == 0, done.stderr
    assert "number.source_mismatch" in {f["rule"] for f in json.loads(done.stdout)["files"][0]["findings"]}


def test_a_large_tmx_is_cut_into_chunks_that_put_back_make_the_file(tmp_path, monkeypatch):
    from normalize.linter import Options
    from normalize.translation_files import chunks

    monkeypatch.setattr(chunks, "UNIT_CHUNK_BYTES", 2000)
    monkeypatch.setattr(chunks, "BLOCK_BYTES", 777)
    many = [(f"x{n}", f"Phrase numéro {n}.", f"Sentence  number {n}.") for n in range(300)]
    data = tmx(many).encode()
    pieces = list(chunks.unit_chunks(0, "big.tmx", io.BytesIO(data), Options(), "tmx"))
    assert len(pieces) > 10
    assert b"".join(p.payload[0] for p in pieces) == data
    ids = [u.id for p in pieces for u in p.payload[1]]
    assert ids == ["t1", "#2", "e", *(i for i, _, _ in many)]
    for piece in pieces:
        chunk_data, units = piece.payload
        for unit in units:
            target = unit.target(chunk_data)
            assert unit.id == "e" and target is None or target.text.startswith(
                ("He is", "Two", "Sentence"))
        # Chunks hold whole lines, so each starts on the line its first_line says.
        assert data.count(b"\n", 0, data.index(chunk_data)) + 1 == piece.first_line


def test_a_tmx_is_read_and_handed_on_in_small_chunks():
    """The main process holds a block and a chunk of units at a time, and each worker a
    chunk: both stay near UNIT_CHUNK_BYTES whatever the file's size (memory)."""
    from normalize.linter import Options
    from normalize.translation_files import BLOCK_BYTES, chunks

    many = [(f"x{n}", f"Phrase numéro {n} du texte source.", f"Sentence number {n}.")
            for n in range(12000)]
    data = tmx(many).encode()
    assert len(data) > 8 * chunks.UNIT_CHUNK_BYTES
    assert BLOCK_BYTES <= chunks.UNIT_CHUNK_BYTES <= 256 << 10
    pieces = list(chunks.unit_chunks(0, "big.tmx", io.BytesIO(data), Options(), "tmx"))
    sizes = [len(p.payload[0]) for p in pieces]
    assert len(pieces) >= len(data) // (2 * chunks.UNIT_CHUNK_BYTES)
    assert max(sizes) < chunks.UNIT_CHUNK_BYTES + BLOCK_BYTES
    assert b"".join(p.payload[0] for p in pieces) == data


def test_fix_of_a_multi_chunk_tmx_with_workers_equals_the_serial_fix(tmp_path):
    many = [(f"x{n}", f"Il y a {n} chats.", f"There are  {n} cats.") for n in range(8000)]
    path = tmp_path / "big.tmx"
    path.write_text(tmx(many))
    assert path.stat().st_size > 1 << 20  # more than one chunk
    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}.tmx"
        done = mtnorm("fix", str(path), "-o", str(out), "--jobs", jobs, "-q",
                      "--select", "typography.double_space")
        assert done.returncode == 0, done.stderr
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert outputs[0] == path.read_bytes().replace(b"There are  ", b"There are ").replace(
        b"He is  <bpt", b"He is <bpt").replace(b"Two  words", b"Two words")


# -- edits and markup, for any text ------------------------------------------------------
_PIECES = st.sampled_from(["a", "b", " ", "é", "&amp;", "&#233;", "&lt;", '<g id="1">', "</g>",
                           '<x id="2"/>', '<ph id="3">{0}</ph>', "<!-- c -->", "<![CDATA[c d]]>"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=14), st.data())
def test_any_applied_edit_gives_the_edited_text_and_keeps_every_tag(pieces, data):
    raw = "".join(pieces)
    # Tags balanced or not does not matter to the model; it never parses them as a tree.
    inline = xml_content(raw)
    n = len(inline.text)
    start = data.draw(st.integers(0, n))
    end = data.draw(st.integers(start, n))
    replacement = data.draw(st.sampled_from(["", "z", " ", "&", "<", "é"]))
    new, refused = inline.apply([(start, end, replacement)])
    if refused:
        assert new == raw
        return
    again = xml_content(new)
    assert again.text == inline.text[:start] + replacement + inline.text[end:]
    assert [t for _, t in again.placeholders] == [t for _, t in inline.placeholders]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["a", " ", "\\n", '\\"', "\\\\", '"\n"', "<b>", "</b>", "é"]),
                max_size=14), st.data())
def test_any_applied_po_edit_gives_the_edited_text_and_keeps_the_wrapping(pieces, data):
    raw = "".join(pieces)
    inline = po_content(raw)
    n = len(inline.text)
    start = data.draw(st.integers(0, n))
    end = data.draw(st.integers(start, n))
    replacement = data.draw(st.sampled_from(["", "z", '"', "\n", "\\"]))
    new, refused = inline.apply([(start, end, replacement)])
    if refused:
        assert new == raw
        return
    again = po_content(new)
    assert again.text == inline.text[:start] + replacement + inline.text[end:]
    assert new.count('"\n"') == raw.count('"\n"')
    assert [t for _, t in again.placeholders] == [t for _, t in inline.placeholders]


def test_fix_on_dask_equals_the_local_fix(tmp_path):
    distributed = pytest.importorskip("distributed")
    path = tmp_path / "c.tmx"
    path.write_text(tmx([(f"x{n}", f"Il y a {n} chats.", f"There are  {n} cats.") for n in range(50)]))
    local = tmp_path / "local.tmx"
    assert mtnorm("fix", str(path), "-o", str(local), "-q").returncode in (0, 1)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None) as cluster:
        remote = tmp_path / "dask.tmx"
        done = mtnorm("fix", str(path), "-o", str(remote), "-q", "--engine", "dask",
                      "--scheduler", cluster.scheduler_address)
    assert done.returncode in (0, 1), done.stderr
    assert remote.read_bytes() == local.read_bytes() != path.read_bytes()
