"""Every rule data file is valid and every example in it behaves (normalize/ruletypes).

One test per file checks it against its type's schema (an unknown key, a
wrong value or a regex that does not compile fails with the file and line),
and one test per example runs it through the public API: ``fail`` examples are
reported (by their entry, for an entry's examples), ``pass`` examples are not,
``fixed`` pairs fix to the expected text. The test ids and failure messages
name the file and line of the example. Adding a rule, an entry or an example
to any data file adds its tests here, no Python needed.

The last tests add a rule from a data file in a temporary folder through
``MTNORM_RULES_PATH`` and see it listed, fire, fix and obey --ignore and
inline directives, and see bad files refused with their line.
"""
from __future__ import annotations

import functools
import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import normalize
from normalize.errors import DataError
from normalize.ruletypes import ENV, Located, check, read_declaration, schema
from normalize.ruletypes.examples import Example, examples, rule_files

ROOT = Path(__file__).resolve().parents[1]
FILES = rule_files()
EXAMPLES = list(examples(FILES))


def test_every_migrated_rule_has_a_data_file() -> None:
    ids = {f.rule.id for f in FILES}
    assert {"debris.pattern", "calque.false_friend", "pair.identifier"} <= ids


@pytest.mark.parametrize("file", FILES, ids=[f.doc.where for f in FILES])
def test_file_is_valid(file) -> None:
    # rule_files() validated it already; running the rule for its language compiles every
    # entry and reports the rest (an anchor that is not a word, a token pattern the scan
    # cannot find) as a DataError.
    lang = file.lang if file.lang not in (None, "und") else "en"
    source = file.source or (file.included_by or (None,))[0]
    normalize.check("x\n", lang=lang, source_lang=source, select=[file.rule.id])


def _id(example: Example) -> str:
    return f"{example.where}:{example.kind}:{example.source_lang or ''}"


@pytest.mark.parametrize("example", EXAMPLES, ids=[_id(e) for e in EXAMPLES])
def test_example(example: Example) -> None:
    text = example.text if example.text.endswith("\n") else example.text + "\n"
    kw = {"lang": example.lang, "source_lang": example.source_lang, "select": [example.rule]}
    if example.source is not None:  # a pair rule's example: the source segment(s)
        kw["source"] = example.source if example.source.endswith("\n") else example.source + "\n"
    if example.kind == "fixed":
        expected = example.fixed if example.fixed.endswith("\n") else example.fixed + "\n"
        got = normalize.fix(text, unsafe=example.unsafe, **kw).text
        assert got == expected, f"{example.where}: {example.text!r} fixed to {got!r}, not {expected!r}"
        return
    findings = normalize.check(text, **kw)
    if example.entry is not None:
        hits = [f for f in findings if example.entry in f.data.values()]
    else:
        hits = findings
    shown = [(f.text, f.data) for f in findings]
    if example.kind == "fail":
        assert hits, f"{example.where}: {example.text!r} is not reported by {example.entry or example.rule} ({shown})"
    else:
        assert not hits, f"{example.where}: {example.text!r} is reported by {example.entry or example.rule} ({shown})"


# -- the loader's errors name the file and the line --------------------------------------------
def _doc(text: str) -> Located:
    return Located(textwrap.dedent(text), "rules/x.yaml")


def test_unknown_key_names_the_line() -> None:
    doc = _doc("""\
        type: existence
        id: house.banned
        category: style
        words: [utilize]
        wrds: [leverage]
        """)
    with pytest.raises(DataError, match=r"rules/x\.yaml:5: unknown key 'wrds'"):
        check(doc, schema("existence"))


def test_bad_regex_names_the_line() -> None:
    doc = _doc("""\
        type: pattern
        id: house.regex
        category: style
        patterns:
          - id: broken
            pattern: 'since (three'
        """)
    with pytest.raises(DataError, match=r"rules/x\.yaml:6: key 'patterns\[0\]\.pattern': bad regex"):
        check(doc, schema("pattern"))


def test_wrong_value_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text("type: substitution\nid: house.terms\ncategory: style\nseverity: fatal\nswap: {a: b}\n",
                    encoding="utf-8")
    with pytest.raises(DataError, match=r"r\.yaml:4: key 'severity'"):
        read_declaration(path, str(path))


# -- a new rule from a data file, no Python -----------------------------------------------------
RULES = {
    "banned.yaml": """\
        # A Vale-like existence rule: words a house style bans.
        type: existence
        id: house.banned
        category: style
        severity: error
        fix: safe
        languages: [en]
        message: "'{match}' is banned here; remove it"
        words: [very unique, basically]
        examples:
          fail: ["It was basically over."]
          pass: ["It was over."]
          fixed: [["It was basically over.", "It was over."]]
        """,
    "terms.yaml": """\
        type: substitution
        id: house.terms
        category: style
        fix: safe
        languages: [en]
        message: "write '{replacement}', not '{match}'"
        swap: {utilize: use, "in order to": to}
        examples:
          fixed: [["We utilize it in order to win.", "We use it to win."]]
        """,
    "spelling.yaml": """\
        type: consistency
        id: house.spelling
        category: consistency
        fix: unsafe
        groups:
          - forms: [e-mail, email]
            prefer: email
            examples:
              fail: ["Send an e-mail. Read the email."]
              pass: ["Send an e-mail. Read the e-mail."]
        """,
    "since.yaml": """\
        type: pattern
        id: house.since
        category: calque
        source_languages: [fr, ru]
        message: "'{match}': write {write}"
        patterns:
          - id: since-years
            pattern: 'since (?:two|three|four|\\d+) years'
            anchors: [since]
            unless: 'ago'
            rewrite: ['^since', 'for']
            examples:
              fail: ["He has lived here since three years."]
              pass: ["He has lived here since three years ago, they say."]
              fixed: [["He has lived here since three years.", "He has lived here for three years."]]
        """,
    # A pattern rule whose entries are per language pair, as calque.false_friend's: one more
    # source language is one more file <target>/calques/<source>.yaml.
    "calque.yaml": """\
        type: pattern
        id: house.calque
        category: calque
        data: "calques/{source}"
        message: "'{match}' renders {source_language} '{source}'; write {write}"
        """,
    "en/calques/nl.yaml": """\
        patterns:
          - id: eventueel
            pattern: 'eventual(?:ly)? (?:costs?|changes?)'
            anchors: [eventual, eventually]
            source: eventueel
            suggest: possible
            example: "The eventual costs are unknown."
        """,
    # A bilingual pair rule: ticket numbers and product names carried from source to target.
    "tickets.yaml": """\
        type: pair
        id: house.tickets
        category: number
        fix: unsafe
        tokens:
          - kind: ticket
            pattern: '\\b(?:MT|OPS)-\\d{1,6}\\b'
          - kind: product
            literals: [Desk Pro, Desk Lite]
            examples:
              fail: [{source: "Desk Pro ist da.", text: "Desk Lite is here."}]
              pass: [{source: "Desk Pro ist da.", text: "Desk Pro is here."}]
        examples:
          fail: [{source: "Siehe MT-1024.", text: "See MT-1042."}, {source: "Siehe MT-1024.", text: "See it."}]
          pass: [{source: "Siehe MT-1024.", text: "See MT-1024."}]
          fixed: [{source: "Siehe MT-1024.", text: "See MT-1042.", fixed: "See MT-1024."}]
        """,
}


def _mtnorm(folder: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, ENV: str(folder), "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "normalize", *args], input=stdin, env=env,
                          capture_output=True, text=True, cwd=folder, timeout=120)


@pytest.fixture(scope="module")
def rules_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("rules")
    for name, text in RULES.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


def _run_examples(folder: Path) -> dict:
    env = {**os.environ, ENV: str(folder), "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-c", EXAMPLES_SCRIPT], env=env, capture_output=True,
                          text=True, cwd=folder, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_an_example_that_does_not_behave_is_named_by_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_text(textwrap.dedent("""\
        type: existence
        id: house.wrong
        category: style
        words: [basically]
        examples:
          fail:
            - "It was over."
        """), encoding="utf-8")
    out = _run_examples(tmp_path)
    assert out["bad"] == [[f"{tmp_path / 'x.yaml'}:7", "fail", "It was over."]], out


def test_new_rules_run_from_a_folder(rules_dir: Path) -> None:
    out = _run_examples(rules_dir)
    assert out == {"rules": ["house.banned", "house.calque", "house.since", "house.spelling", "house.terms",
                             "house.tickets"],
                   "bad": [], "examples": 16, "severity": ["info"], "directive": []}


EXAMPLES_SCRIPT = textwrap.dedent("""\
        import json, normalize
        from normalize.ruletypes.examples import examples, rule_files
        own = [f for f in rule_files() if f.rule.id.startswith("house.")]
        out = {"rules": sorted({f.rule.id for f in own}), "bad": [], "examples": 0}
        for e in examples(own):
            out["examples"] += 1
            kw = dict(lang=e.lang, source_lang=e.source_lang, select=[e.rule])
            if e.source is not None:
                kw["source"] = e.source + "\\n"
            if e.kind == "fixed":
                ok = normalize.fix(e.text + "\\n", unsafe=e.unsafe, **kw).text == e.fixed + "\\n"
            else:
                found = normalize.check(e.text + "\\n", **kw)
                ok = bool(found) == (e.kind == "fail")
            if not ok:
                out["bad"].append([e.where, e.kind, e.text])
        # A data rule takes severity overrides and inline directives like any other.
        if "house.banned" in out["rules"]:
            text = "It was basically over.\\n"
            out["severity"] = [str(f.severity) for f in normalize.check(
                text, lang="en", select=["house.banned"], severity={"house.banned": "info"})]
            out["directive"] = [f.rule for f in normalize.check(
                "It was basically over. <!-- mtnorm: disable-line=house.banned -->\\n", lang="en",
                select=["house.banned"])]
        print(json.dumps(out))
        """)


def test_new_rule_is_a_registered_rule(rules_dir: Path) -> None:
    listed = _mtnorm(rules_dir, "rules", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    rows = {r["id"]: r for r in json.loads(listed.stdout)}
    assert rows["house.banned"]["category"] == "style" and rows["house.banned"]["fix"] == "safe"
    assert rows["house.since"]["fix"] == "unsafe"

    text = "It was basically over.\n"
    found = _mtnorm(rules_dir, "check", "--lang", "en", "--select", "house", "--format", "json", "-",
                    stdin=text)
    assert "house.banned" in found.stdout and "is banned here" in found.stdout
    ignored = _mtnorm(rules_dir, "check", "--lang", "en", "--select", "house", "--ignore",
                      "house.banned", "--format", "json", "-", stdin=text)
    assert "house.banned" not in ignored.stdout
    fixed = _mtnorm(rules_dir, "fix", "--lang", "en", "--select", "house.banned", "-", stdin=text)
    assert fixed.stdout == "It was over.\n", fixed.stderr
    # mtnorm rules RULE explains it from its file: where it is, and its examples.
    info = json.loads(_mtnorm(rules_dir, "rules", "house.banned", "--format", "json").stdout)
    assert info["data"] == [{"pattern": str(rules_dir / "banned.yaml"), "files": [str(rules_dir / "banned.yaml")]}]
    assert [e["text"] for e in info["examples"]["fail"]] == ["It was basically over."]
    assert [e["fixed"] for e in info["examples"]["fixed"]] == ["It was over."]


def test_bad_rule_file_is_refused_with_its_line(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("type: existence\nid: house.bad\ncategory: style\n"
                                       "patterns:\n  - id: x\n    pattern: '[unclosed'\n",
                                       encoding="utf-8")
    proc = _mtnorm(tmp_path, "check", "--lang", "en", "-", stdin="Text.\n")
    assert proc.returncode == 2
    assert f"{tmp_path / 'bad.yaml'}:6" in proc.stderr and "bad regex" in proc.stderr


def test_a_house_style_bundles_its_own_reject_list(monkeypatch: pytest.MonkeyPatch) -> None:
    """``reject:`` in a style file feeds terms.rejected like the configuration's table."""
    from normalize import styles

    real = styles.load_yaml

    def fake(*parts: str):
        if parts == ("styles", "house-test.yaml"):
            return {"name": "house-test", "lang": "en", "inherits": "default-en",
                    "reject": {"utilize": "use", "leverage": None}}
        return real(*parts)

    monkeypatch.setattr(styles, "load_yaml", fake)
    styles.load_style.cache_clear()
    try:
        style = styles.load_style("house-test", "en")
        assert style.reject == (("utilize", "use"), ("leverage", None))
        from normalize.document import Document
        from normalize.languages import get_language
        from normalize.registry import Context, get_rule

        ctx = Context(document=Document("We utilize and leverage it.\n"),
                      language=get_language("en"), style=style)
        rule = get_rule("terms.rejected")()
        assert rule.applies_to(ctx)
        found = [(f.text, f.replacement, f.message) for f in rule.check(ctx)]
        assert found == [("utilize", "use", "'utilize' is a rejected term; use 'use'"),
                         ("leverage", None, "'leverage' is a rejected term")]
    finally:
        styles.load_style.cache_clear()


# -- each type's behaviour, on rules built in place (not registered) -----------------------------
def _rule(text: str):
    from normalize.ruletypes import make_rule

    doc = Located(textwrap.dedent(text), "x.yaml")
    check(doc, schema(doc.data["type"]))
    return make_rule(doc)()


def _run(rule, text: str, lang: str = "en") -> list[tuple[str, str | None, str]]:
    from normalize.document import Document
    from normalize.languages import get_language
    from normalize.registry import Context
    from normalize.styles import load_style

    ctx = Context(document=Document(text), language=get_language(lang), style=load_style(None, lang))
    return [(f.text, f.replacement, f.message) for f in rule.check(ctx)]


def test_existence_scopes() -> None:
    rule = _rule("""\
        type: existence
        id: t.gone
        category: debris
        fix: safe
        starts: "<"
        words: [click here]
        patterns:
          - {id: footer, pattern: 'the end', scope: line, message: a footer}
          - {id: tag, pattern: '<x>', scope: token, message: a tag}
          - {id: stars, pattern: '\\*{3}', scope: text, message: stars}
        """)
    found = _run(rule, "Read <x> this *** now, Click  here.\nThe end\nNot the end.\n")
    assert [(t, m) for t, _r, m in found] == [("The end", "a footer"), ("<x>", "a tag"), ("***", "stars"),
                                              ("Click  here", "'Click  here' should not be here")]
    assert {r for _t, r, _m in found} == {""}


def test_substitution_cases_and_advice() -> None:
    rule = _rule("""\
        type: substitution
        id: t.terms
        category: style
        ignore_case: true
        fix: none
        swap: {Kiev: Kyiv, leverage: null}
        """)
    assert _run(rule, "KIEV, kiev; Leverage.\n") == [
        ("KIEV", None, "'KIEV': write 'KYIV'"), ("kiev", None, "'kiev': write 'Kyiv'"),
        ("Leverage", None, "'Leverage' should not be here")]


def test_consistency_keeps_the_preferred_or_the_first_form() -> None:
    rule = _rule("""\
        type: consistency
        id: t.forms
        category: consistency
        fix: unsafe
        groups:
          - {forms: [e-mail, email], prefer: email}
          - {forms: [online, on-line]}
        """)
    assert _run(rule, "E-mail us online. Our email is on-line. No email.\n") == [
        ("E-mail", "Email", "'E-mail' here, 'email' elsewhere: keep one form"),
        ("on-line", "online", "'on-line' here, 'online' elsewhere: keep one form")]
    assert _run(rule, "E-mail us on-line; e-mail again.\n") == []


def test_pattern_conditions() -> None:
    rule = _rule("""\
        type: pattern
        id: t.cond
        category: garble
        message: "'{match}' ({id})"
        patterns:
          - id: after-said
            pattern: 'that that'
            after: '\\bsaid'
          - id: before-dot
            pattern: 'had had'
            before: '\\.'
            unless: 'indeed'
          - id: near
            phrases: [the the]
            near: 'copy'
        """)
    text = ("He said that that was all.\nThat that was all.\nShe had had.\nIndeed she had had.\n"
            "The the copy.\nThe the end.\n")
    assert [(t, m) for t, _r, m in _run(rule, text)] == [
        ("that that", "'that that' (after-said)"), ("had had", "'had had' (before-dot)"),
        ("The the", "'The the' (near)")]


# -- the data rules' trigger scan and the required literals of a pattern ----------------------
def test_required_literals_are_what_every_match_contains() -> None:
    import re

    from normalize.patterns import required_literals

    def req(pattern: str) -> tuple[tuple[str, ...], ...]:
        return required_literals(re.compile(rf"(?<!\w)(?:{pattern})(?!\w)", re.IGNORECASE))

    # (re's parser takes the common start of an alternation's branches out of it)
    assert req("the (?:return|reprise) (?:from|of) (?:the )?fighting") == (
        ("the re",), ("turn", "prise"), ("fighting",))
    assert req("according to (?:an? |the )?(?:\\w+ ){0,2}results?") == (("according to ",), ("result",))
    assert req("(?:could|might) (?:\\w+ )?eventually") == (("could", "might"), ("eventually",))
    assert req("(?:a|b)c") == ()            # an alternation ends a run; runs of one are no test
    assert req("Kiev\\s+(?:cake|torte|chicken)") == (("kiev",), ("cake", "torte", "chicken"))
    assert req("(?:abc(?:def|ghi)|xyz)") == (("abc", "xyz"),)    # a branch's longest run
    assert req("(?:abc(?:def|ghi)|x)") == ()      # a branch that needs nothing
    assert req("(?:(?:def|ghi)|xyz)") == (("def", "ghi", "xyz"),)
    assert req("[Ee]n adición") == (("n adici",),)  # ASCII runs only: "ó" ends one


def test_folded_for_literals_holds_every_literal_a_case_insensitive_match_holds() -> None:
    """Every character that re or regex (V0) matches to an ASCII character when ignoring
    case becomes that character in folded_for_literals, one character for one: so a window
    lacking a required literal, folded, holds no match."""
    import re
    import string
    import sys

    import regex

    from normalize.patterns import folded_for_literals

    everything = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    folded = folded_for_literals(everything)
    assert len(folded) == len(everything)  # offsets kept: one character for one
    for c in string.ascii_lowercase + string.digits + string.punctuation + " ":
        for engine, flags in ((re, re.IGNORECASE), (regex, regex.IGNORECASE | regex.V0)):
            for m in engine.finditer(engine.escape(c), everything, flags):
                assert folded[m.start()] == c, (hex(ord(m.group())), c)


def test_exception_patterns_are_skipped_only_where_they_cannot_match() -> None:
    from normalize.analysis.places import _in_exception
    from normalize.document import Document
    from normalize.gazetteer import get_gazetteer
    from normalize.linter import Linter, Options

    gaz = get_gazetteer()
    linter = Linter(Options(lang="en"))
    place = next(p for p in gaz.exceptions if any("Kiev" in x for x in gaz.exceptions[p]))
    for text, inside in (("They ate chicken Kiev in Kyiv.", True), ("They ate CHİCKEN KİEV.", True),
                         ("Kiev is far from the front.", False)):
        start = text.upper().find("KIEV") if "KIEV" in text.upper() else text.find("KİEV")
        ctx = linter.context(Document(text, lang="en"))
        assert _in_exception(ctx, start, start + 4, place, gaz) is inside, text


_FOLDING = "aAİıſK\u212aΣσς kiev KİEV chİcken ΟΔΟΣ ſtraße İstanbul \n."  # \u212a: the Kelvin sign


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_a_documents_required_check_is_that_of_its_window_folded_alone(data) -> None:
    """``ctx.analysis.holds_required`` answers as folding the window on its own would,
    whether the text is folded once (a short text, where the folded copy is the
    lower-cased one unless "ı" or "ſ" stand in it) or window by window (a long one):
    characters that fold otherwise than lower() does, and a final sigma that lowers
    otherwise at a window's edge, included."""
    from normalize.analysis.document import KEEP_LOWER
    from normalize.document import Document
    from normalize.linter import Linter, Options
    from normalize.patterns import folded_for_literals, holds_required

    linter = Linter(Options(lang="en"))
    text = data.draw(st.text(alphabet=_FOLDING, max_size=60))
    if data.draw(st.booleans()):
        text = text + " " * KEEP_LOWER  # the window-by-window path
    # Required runs are ASCII (required_literals): a final sigma at a window's edge
    # lowers otherwise than inside the whole text, and no run can tell.
    runs = st.text(alphabet="aiks ", min_size=1, max_size=3)
    groups = tuple(tuple(g) for g in data.draw(st.lists(st.lists(runs, min_size=1, max_size=2),
                                                        min_size=1, max_size=2)))
    analysis = linter.context(Document(text, lang="en")).analysis
    for _ in range(3):
        lo = data.draw(st.integers(0, min(len(text), 70)))
        hi = data.draw(st.integers(lo, min(len(text), 70)))
        assert analysis.holds_required(groups, lo, hi) == holds_required(
            folded_for_literals(text[lo:hi]), groups), (text[:70], lo, hi, groups)


def _residue_with_leads():
    from normalize.patterns import lead_class
    from normalize.rules.debris import boilerplate

    out = {}
    for codes in (("und", "en", "fr", "en"), ("und", "fr", "fr", "en"), ("und", "de", "ru", "en")):
        vocab = boilerplate._vocab(tuple(dict.fromkeys(codes)))
        for pattern, rid, _msg, triggers, at_end, _last, _in_line in vocab.residue:
            lead = lead_class(pattern, triggers) if triggers and not at_end else None
            if lead is not None:
                out[(rid, pattern.pattern)] = (pattern, triggers, lead)
    return list(out.values())


RESIDUE_LEADS = _residue_with_leads()
_FRAGMENTS = ["Read more", "READ MORE", "Read Mor", "reaD moRe", "Continue readİng", "read the full story",
              "Lire la suite", "Related:", "Also read", "…", "...", "[…]", ",", ".", " ", "  ", "\t", "\n",
              "\n\n", "2024-05-01 10:30", "2024", "T", "x", "Kiev", "»", ">>", "&amp;lt;", "<b>", "<",
              "ı", "İ", "ſ", "K", "é", "ч", "!", "?", '"', "”"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=25).map("".join))
def test_residue_scans_from_the_lead_find_every_match(text):
    """debris.boilerplate scans a residue pattern from scan_start: the same matches as a
    scan of the whole text."""
    from normalize.patterns import folded_for_literals, scan_start

    assert RESIDUE_LEADS, "no residue entry has a lead class: the shortcut is never taken"
    folded = folded_for_literals(text)
    for pattern, triggers, lead in RESIDUE_LEADS:
        start = scan_start(text, folded, triggers, lead)
        got = [] if start is None else [m.span() for m in pattern.finditer(text, start)]
        assert got == [m.span() for m in pattern.finditer(text)], (pattern.pattern, text)


@functools.cache
def _required_sources() -> list[tuple[str, re.Pattern[str]]]:
    """Every exception pattern of the gazetteer and every language's toponym ``naming``
    alternation (read by ``re``, as ``patterns.required_in`` reads them), and every pattern
    rule entry's compiled regex."""
    from normalize.gazetteer import get_gazetteer
    from normalize.languages import get_language
    from normalize.rules.toponym._context import _alternation
    from normalize.ruletypes.pattern import _compile

    out = []
    naming = {_alternation(list(get_language(lang).data("toponyms").get("naming") or []), lang, "naming")
              for lang in ("en", "fr", "de", "es", "it", "ru", "uk")}
    for source in sorted({p for patterns in get_gazetteer().exceptions.values() for p in patterns}
                         | {n.pattern for n in naming if n is not None}):
        try:
            out.append((source, re.compile(source, re.IGNORECASE)))
        except re.error:
            pass  # only the regex module reads it: no required literals are taken from it
    for file in PATTERN_FILES:
        for entry in file.doc.data["patterns"]:
            out.append((entry["id"], _compile(entry, file.doc.where, None).regex))
    return out


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_every_match_holds_a_run_of_each_required_group(data) -> None:
    """Strings drawn from the gazetteer's exception patterns and the pattern rules' regexes
    (hypothesis's from_regex: every branch, repeat and class) hold, case folded, a run of
    each group of the pattern's required literals."""
    from normalize.patterns import (
        folded_for_literals,
        holds_required,
        required_literals,
    )

    name, compiled = data.draw(st.sampled_from(_required_sources()))
    groups = required_literals(compiled)
    text = data.draw(st.from_regex(compiled, fullmatch=True))
    assert holds_required(folded_for_literals(text), groups), (name, text, groups)


@functools.lru_cache(maxsize=1)
def _exception_sets() -> list[tuple[str, tuple[re.Pattern[str], ...]]]:
    """Each place with exception patterns that ``re`` reads, and those patterns."""
    from normalize.gazetteer import get_gazetteer

    gaz = get_gazetteer()
    out = []
    for place in sorted(gaz.exceptions):
        try:
            out.append((place, tuple(re.compile(p.pattern, re.IGNORECASE)
                                     for p in gaz.exception_patterns(place))))
        except re.error:
            pass  # only the regex module reads one: that place has no gate
    return out


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_a_places_gate_finds_a_run_in_every_match_of_its_exceptions(data) -> None:
    """The gate of a place's exception patterns around a mention (one search instead of
    a look per pattern) finds a run in every string one of them matches, case folded,
    with text around it, whichever mention it was made for: a mention it lets pass
    unexamined is in none of the exceptions."""
    from normalize.patterns import folded_for_literals, gate_of, required_in

    place, patterns = data.draw(st.sampled_from(_exception_sets()))
    mention = data.draw(st.sampled_from(["", "Kiev", "Odessa", "Kharkov", "Derry", "Burma", "Lviv"]))
    gate = gate_of((required_in(p.pattern) for p in patterns), around=folded_for_literals(mention))
    if gate is None:
        return  # its patterns are looked at one by one
    pattern = data.draw(st.sampled_from(patterns))
    text = data.draw(st.from_regex(pattern, fullmatch=True))
    around = f"Yesterday in {text}, officials said."
    assert gate.search(folded_for_literals(around)), (place, mention, pattern.pattern, text)


def test_a_gate_does_not_fire_on_the_mention_it_is_made_for() -> None:
    """Made around a mention, a gate takes no run of the mention's own words: the gate
    of Kyiv's exceptions around "Kiev" finds nothing in a window that holds only it,
    and finds "chicken Kiev"."""
    from normalize.gazetteer import get_gazetteer
    from normalize.patterns import folded_for_literals

    gaz = get_gazetteer()
    place = next(p for p in gaz.exceptions if any("chicken" in x.lower() for x in gaz.exceptions[p]))
    gates = [gaz.exception_gate(place, m) for m in ("Kiev", "KIEV")]
    assert gates and all(g is not None for g in gates), place
    for gate in gates:
        assert not gate.search(folded_for_literals("Officials in Kiev said on Tuesday that"))
        assert gate.search(folded_for_literals("they ate chicken Kiev"))
    # Around "Kyiv", "kiev" is a run like any other ("Kyiv's Kiev cake").
    kyiv = gaz.exception_gate(place, "Kyiv")
    assert kyiv is not None and kyiv.search("kyiv's kiev cake")


def test_a_gate_is_none_where_a_pattern_requires_nothing() -> None:
    from normalize.patterns import gate_of, required_literals

    assert gate_of([required_literals(re.compile(r"chicken\s+kiev", re.IGNORECASE)),
                    required_literals(re.compile(r"\w+", re.IGNORECASE))]) is None
    gate = gate_of([required_literals(re.compile(r"chicken\s+kiev", re.IGNORECASE)),
                    required_literals(re.compile(r"odessa,?\s+texas", re.IGNORECASE))])
    assert gate is not None and gate.search("we ate chicken there") and not gate.search("kyiv")


PATTERN_FILES = [f for f in FILES if f.rule.spec["type"] == "pattern" and (f.doc.data or {}).get("patterns")]


@pytest.mark.parametrize("file", PATTERN_FILES, ids=[f.doc.where for f in PATTERN_FILES])
def test_required_literals_stand_in_every_match_of_the_examples(file) -> None:
    # The shortcut skips an entry whose window lacks a required string: every match of
    # an entry's regex in its own examples must contain them all.
    from normalize.patterns import folded_for_literals, holds_required
    from normalize.ruletypes.pattern import _compile, _required

    for entry in file.doc.data["patterns"]:
        compiled = _compile(entry, file.doc.where, None)
        required = _required(compiled)
        texts = [entry.get("example"), *((entry.get("examples") or {}).get("fail") or [])]
        for text in filter(None, texts):
            for m in compiled.regex.finditer(text):
                assert holds_required(folded_for_literals(m[0]), required), (entry["id"], m[0], required)


def test_one_trigger_scan_serves_every_pattern_rule() -> None:
    from normalize.analysis.lookup import word_hits
    from normalize.api import get_linter
    from normalize.document import Document
    from normalize.linter import Options
    from normalize.ruletypes import triggers

    text = ("Thousands assisted at the funeral. The balance sheet rose to 12 dead; "
            "the eventual costs are unknown.\n") * 40
    ctx = get_linter(Options(lang="en", source_lang="fr")).context(
        Document(text, lang="en", source_lang="fr"))
    words = triggers._pair_words("en", "fr")
    assert {"assisted", "balance"} <= words
    assert triggers.hits(ctx, words) == word_hits(ctx, words)
    assert triggers.hits(ctx, frozenset({"balance"})) == word_hits(ctx, frozenset({"balance"}))
    assert triggers.hits(ctx, frozenset({"sheet"})) == word_hits(ctx, frozenset({"sheet"}))


def test_every_party_match_holds_one_of_its_gates() -> None:
    """name.institution looks for a party only in texts holding one of its gates: each of
    its forms (and 'before' words, before each role) matched in a sentence holds one."""
    from normalize.resources import load_yaml
    from normalize.rules.name.institution import _gates, parties

    raw = load_yaml("names", "institutions.yaml")
    roles = [str(r) for r in raw["roles"]]
    entries = {str(e["name"]): e for e in raw["parties"]}
    for party in parties():
        entry = entries[party.name]
        literals = [*(entry.get("forms") or []),
                    *(f"{b} {r}" for b in entry.get("before") or [] for r in entry.get("roles") or roles)]
        assert literals, party.name
        for literal in literals:
            text = f"Yesterday {literal} spoke in the capital."
            matches = list(party.pattern.finditer(text))
            assert matches, (party.name, literal)
            for m in matches:
                assert any(g in m.group() for g in party.gates), (party.name, m.group())
            assert not _gates().present(text).isdisjoint(party.gates)


def _match_by_definition(text: str, rx: re.Pattern[str], pos: int, lo: int, hi: int):
    """What ``PatternRule._match`` answers, by its definition: the regex tried at each word
    start from ``lo`` (after a space, or after an opening mark that follows one; ``lo``
    itself where a line starts), leftmost first, then at the anchor; the first match that
    ends after the anchor."""
    from normalize.ruletypes.pattern import _OPENERS

    starts = [k + 2 if text[k + 1:k + 2] in _OPENERS else k + 1
              for k in range(max(lo - 1, 0), pos) if text[k] == " "]
    if lo == 0 or text[lo - 1] == "\n":
        starts.append(lo)
    for s in sorted(s for s in set(starts) if s < pos) + [pos]:
        m = rx.match(text, s, hi)
        if m is not None and m.end() > pos:
            return m.span()
    return None


_WINDOW_RX = re.compile(r"(?<!\w)(?:a\s+b|b|ab a|-b|\(b)(?!\w)", re.IGNORECASE | re.MULTILINE)


@pytest.mark.parametrize("text, pos, lo, hi", [
    (" “a b", 4, 2, 5),   # a match at lo after a space and a mark before lo: not tried
    (" (b", 2, 1, 3),     # a match at a mark after a space: tried after the mark only
    ("x\na b", 4, 2, 5),  # lo at a line start: tried there
    ("a b", 2, 0, 3), (" a b", 3, 1, 4), ("-b a", 1, 0, 4)])
def test_pattern_windows_find_the_match_their_definition_finds_at_the_edges(
        text: str, pos: int, lo: int, hi: int) -> None:
    from normalize.ruletypes.pattern import PatternRule

    class _Entry:
        regex = _WINDOW_RX

    got = PatternRule._match(text, _Entry, pos, lo, hi)  # type: ignore[arg-type]
    assert (got.span() if got is not None else None) == _match_by_definition(text, _WINDOW_RX, pos, lo, hi)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="ab -\n(“«'", max_size=40), st.data())
def test_pattern_windows_find_the_match_their_definition_finds(text: str, data) -> None:
    """``PatternRule._match`` (which takes the window's leftmost match where it starts at a
    word start it would try) answers as trying every word start in turn does."""
    from normalize.ruletypes.pattern import PatternRule

    rx = _WINDOW_RX
    pos = data.draw(st.integers(0, len(text)))
    lo = data.draw(st.integers(0, pos))
    hi = data.draw(st.integers(pos, len(text)))

    class _Entry:
        regex = rx

    got = PatternRule._match(text, _Entry, pos, lo, hi)  # type: ignore[arg-type]
    assert (got.span() if got is not None else None) == _match_by_definition(text, rx, pos, lo, hi)
