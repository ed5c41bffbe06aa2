"""Rule tests in the sqlfluff style: one YAML file of cases per rule.

Each ``tests/rules/<rule id>.yml`` holds::

    rule: debris.pattern
    cases:
      - name: ad_placeholder_line
        lang: en              # optional (default en); style, source_lang, source optional too
                              # (reject: {term: replacement} as in a configuration file)
        fail: "[ad_1]\\nText.\\n"   # the rule must report at least one finding
        spans: ["[ad_1]"]     # optional: the exact text of each finding, in order
        fixed: "Text.\\n"      # optional: fix(fail, select=[rule]).text
        fixed_unsafe: "..."   # optional: the same with unsafe=True
      - name: plain_text_passes
        pass: "Nothing here.\\n"  # the rule must report nothing
        xfail: "reason"       # optional: a known bug (strict xfail)

Every case becomes one test with id ``<rule>::<name>``.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

import normalize
from normalize.findings import FixSafety
from normalize.registry import all_rules
from normalize.resources import corpus

HERE = Path(__file__).parent
CASE_KEYS = {"name", "lang", "style", "source_lang", "source", "reject", "fail", "pass", "spans", "fixed",
             "fixed_unsafe", "xfail"}


def _load(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _rule_files() -> list[Path]:
    return sorted(HERE.glob("*.yml"))


def _gazetteer_available() -> bool:
    return all(corpus("gazetteer", n).is_file() for n in ("names.tsv.gz", "places.tsv.gz"))


def _lexicon_missing(rule: str, lang: str) -> bool:
    """A rule that needs a word list (normalize.lexicon) and has none for ``lang``."""
    from normalize import lexicon
    from normalize.registry import get_rule

    return getattr(get_rule(rule), "needs_lexicon", False) and not lexicon.available(lang.split("-")[0])


def _style_available(name: str | None) -> bool:
    return name is None or corpus("styles", f"{name}.yaml").is_file()


def _cases() -> list[Any]:
    params = []
    for path in _rule_files():
        doc = _load(path)
        rule = doc["rule"]
        for case in doc["cases"]:
            marks = []
            if _lexicon_missing(rule, case.get("lang", "en")):
                marks.append(pytest.mark.skip(reason="no lexicon (pip install mtnorm[lexicon])"))
            elif rule.startswith("toponym.") and not _gazetteer_available():
                marks.append(pytest.mark.skip(reason="gazetteer data (corpora/gazetteer) not built yet"))
            elif not _style_available(case.get("style")):
                marks.append(pytest.mark.skip(reason=f"style {case['style']!r} (corpora/styles) not built yet"))
            if case.get("xfail"):
                marks.append(pytest.mark.xfail(reason=str(case["xfail"]), strict=True))
            params.append(pytest.param(path.name, rule, case, id=f"{rule}::{case['name']}",
                                       marks=marks))
    return params


def _kwargs(case: dict[str, Any]) -> dict[str, Any]:
    return {"lang": case.get("lang", "en"), "style": case.get("style"),
            "source_lang": case.get("source_lang"), "source": case.get("source"),
            "reject": case.get("reject")}


@pytest.mark.parametrize("filename, rule, case", _cases())
def test_rule_case(filename: str, rule: str, case: dict[str, Any]) -> None:
    unknown = set(case) - CASE_KEYS
    assert not unknown, f"{filename}: unknown keys {sorted(unknown)} in case {case['name']}"
    assert ("fail" in case) != ("pass" in case), f"{filename}: give exactly one of fail/pass"
    kwargs = _kwargs(case)

    if "pass" in case:
        findings = normalize.check(case["pass"], **kwargs, select=[rule])
        assert findings == [], [(f.text, f.message) for f in findings]
        for key in ("spans", "fixed", "fixed_unsafe"):
            assert key not in case, f"{filename}: '{key}' only makes sense with 'fail'"
        return

    text = case["fail"]
    findings = normalize.check(text, **kwargs, select=[rule])
    assert findings, f"{rule} reported nothing on {text!r}"
    assert all(f.rule == rule for f in findings)
    if "spans" in case:
        assert [f.text for f in findings] == case["spans"]

    for key, unsafe in (("fixed", False), ("fixed_unsafe", True)):
        if key not in case:
            continue
        expected = case[key]
        result = normalize.fix(text, **kwargs, unsafe=unsafe, select=[rule])
        assert result.text == expected
        assert result.converged
        again = normalize.fix(result.text, **kwargs, unsafe=unsafe, select=[rule])
        assert again.text == result.text, "fix is not idempotent"
        assert not again.applied
        left = normalize.check(result.text, **kwargs, select=[rule])
        assert not [f for f in left if f.fix is FixSafety.SAFE], \
            [(f.text, f.replacement) for f in left]


def test_every_rule_has_cases() -> None:
    """Each registered rule has a YAML file with at least one fail and one pass case."""
    files = {path.stem: _load(path) for path in _rule_files()}
    missing = []
    for rule in all_rules():
        doc = files.get(rule.id)
        if doc is None:
            missing.append(f"{rule.id}: no tests/rules/{rule.id}.yml")
            continue
        kinds = {k for case in doc["cases"] for k in ("fail", "pass") if k in case}
        if kinds != {"fail", "pass"}:
            missing.append(f"{rule.id}: needs both fail and pass cases (has {sorted(kinds)})")
    assert not missing, "\n".join(missing)


def test_rule_files_are_well_formed() -> None:
    """File names match the rule they test; case names are unique per file; rules exist."""
    known = {r.id for r in all_rules()}
    problems = []
    for path in _rule_files():
        doc = _load(path)
        if doc.get("rule") != path.stem:
            problems.append(f"{path.name}: rule is {doc.get('rule')!r}, expected {path.stem!r}")
        if doc.get("rule") not in known:
            problems.append(f"{path.name}: no registered rule {doc.get('rule')!r}")
        names = [c.get("name") for c in doc.get("cases", [])]
        if None in names or len(names) != len(set(names)):
            problems.append(f"{path.name}: case names must be given and unique")
    assert not problems, "\n".join(problems)
