"""The generated rule manifest and the stand-ins the registry makes from it.

:func:`normalize.registry.select_rules` gives the linter stand-ins
(:class:`~normalize.registry.LazyRule`) built from ``normalize/rules/_manifest.py``
instead of importing every rule module; these tests hold the manifest to the rule
modules and the stand-ins to the rules they stand for.
"""
from __future__ import annotations

import importlib.util
import json
import pickle
import subprocess
import sys
import textwrap
from pathlib import Path
from types import ModuleType

import pytest

from normalize import registry
from normalize.document import Document
from normalize.languages import get_language
from normalize.linter import Linter, Options
from normalize.registry import (
    MANIFEST_ATTRIBUTES,
    Context,
    LazyRule,
    all_rules,
    select_rules,
)
from normalize.styles import load_style

ROOT = Path(__file__).resolve().parents[1]


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_rule_manifest",
                                                  ROOT / "scripts" / "gen_rule_manifest.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run(code: str, **env: str) -> str:
    """stdout of ``code`` run by a fresh interpreter in the checkout (a clean sys.modules)."""
    import os

    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT), **env})
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout


def test_manifest_is_up_to_date_with_the_rule_modules(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MTNORM_RULES_PATH", raising=False)
    text = (ROOT / "normalize" / "rules" / "_manifest.py").read_text(encoding="utf-8")
    assert _generator().render() == text, "run python scripts/gen_rule_manifest.py"


def test_generator_check_mode_passes_on_the_checked_in_manifest() -> None:
    proc = subprocess.run([sys.executable, ROOT / "scripts" / "gen_rule_manifest.py", "--check"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr


def test_manifest_holds_every_rule_written_in_code() -> None:
    from normalize.rules.data.declared import DECLARED

    data = {cls.id for cls in DECLARED}
    entries = registry._manifest_entries()
    assert set(entries) == {r.id for r in all_rules()} - data
    assert registry.rule_modules() == list(__import__("normalize.rules._manifest",
                                                      fromlist=["MODULES"]).MODULES)


def test_select_rules_gives_the_same_rules_in_the_same_order() -> None:
    assert [r.id for r in select_rules()] == [r.id for r in all_rules()]
    select, ignore = ["typography", "pair.dash"], ["typography.double_space", "style"]
    assert ([r.id for r in select_rules(select, ignore)]
            == [r.id for r in all_rules() if any(registry._matches(r, s) for s in select)
                and not any(registry._matches(r, s) for s in ignore)])


@pytest.mark.parametrize("rule_id", sorted(registry._manifest_entries()))
def test_stand_in_holds_the_attributes_of_its_rule(rule_id: str) -> None:
    entry = registry._manifest_entries()[rule_id]
    cls = entry.load()
    stand_in = LazyRule(entry)
    for name in ("id", *MANIFEST_ATTRIBUTES):
        assert getattr(stand_in, name) == getattr(cls, name), name
        assert type(getattr(stand_in, name)) is type(getattr(cls, name)), name
    assert stand_in.declared_fixes() == cls.declared_fixes()


_CONTEXTS = [("en", None, None), ("en", "de", "Quelle."), ("en", "en", "Source."), ("de", "en", "Source."),
             ("fr", None, None), ("ru", "en", "Source."), ("uk", None, None), ("en", "fr", None)]


@pytest.mark.parametrize(("lang", "source_lang", "source"), _CONTEXTS)
def test_stand_ins_apply_where_their_rules_apply(lang: str, source_lang: str | None,
                                                 source: str | None) -> None:
    language = get_language(lang)
    for options in (None, Options(lang=lang, source_lang=source_lang, glossary=None)):
        ctx = Context(document=Document("Text.", source=source), language=language,
                      style=load_style(None, language.family), source_lang=source_lang,
                      options=options)
        for rule_id, entry in registry._manifest_entries().items():
            assert LazyRule(entry).applies_to(ctx) == entry.load()().applies_to(ctx), rule_id


def test_a_plain_check_imports_no_rule_that_needs_the_source() -> None:
    out = _run("""
        import json, sys
        from normalize.linter import Linter, Options
        from normalize.document import Document
        linter = Linter(Options(lang="en", style="ap"))
        found = linter.check(Document("He said  that that it it was over.\\n"))
        loaded = sorted(m for m in sys.modules if m.startswith("normalize.rules.pair."))
        print(json.dumps({"findings": [f.rule for f in found], "pair": loaded}))
    """)
    result = json.loads(out)
    assert result["findings"]
    # The pair.* rules all need the source text: none is imported (helpers aside).
    assert all(m.rsplit(".", 1)[1].startswith("_") for m in result["pair"]), result["pair"]


def test_stand_ins_find_what_the_rules_find() -> None:
    text = 'He said  that "the  the plan" was  over .\nIt was  over.\n'
    lazy = Linter(Options(lang="en", style="ap"))
    assert any(isinstance(r, LazyRule) for r in lazy.rules) or registry._loaded
    real = Linter(Options(lang="en", style="ap"), rules=[type(r)() if not isinstance(r, LazyRule)
                                                           else r._entry.load()() for r in lazy.rules])
    doc = Document(text)
    assert lazy.check(doc) == real.check(doc)


def test_stand_in_asks_its_rule_for_what_the_manifest_does_not_hold() -> None:
    entry = registry._manifest_entries()["typography.double_space"]
    stand_in = LazyRule(entry)
    assert stand_in.finding.__self__ is stand_in._rule()
    with pytest.raises(AttributeError):
        _ = stand_in.no_such_attribute


def test_stand_in_pickles_as_its_rule() -> None:
    stand_in = LazyRule(registry._manifest_entries()["debris.html"])
    again = pickle.loads(pickle.dumps(stand_in))
    assert again.id == "debris.html"
    assert again.scope == stand_in.scope


def test_stale_attributes_are_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    entry = registry._manifest_entries()["encoding.nfc"]
    monkeypatch.setattr(entry, "attrs", {**entry.attrs, "scope": "nowhere"})
    monkeypatch.setattr(entry, "cls", None)
    with pytest.raises(registry.StaleManifestError, match="encoding.nfc"):
        entry.load()


def test_a_rule_its_module_does_not_register_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    entry = registry._manifest_entries()["encoding.nfc"]
    monkeypatch.setattr(entry, "module", "normalize.rules.encoding.mojibake")
    monkeypatch.setattr(entry, "cls", None)
    monkeypatch.delitem(registry._RULES, "encoding.nfc", raising=False)
    with pytest.raises(registry.StaleManifestError, match="registers no such rule"):
        entry.load()


def test_a_module_missing_from_the_manifest_makes_the_registry_load_every_module() -> None:
    out = _run("""
        import json, sys
        import normalize.rules._manifest as manifest
        manifest.MODULES = manifest.MODULES[1:]
        from normalize.registry import select_rules, LazyRule
        rules = select_rules()
        print(json.dumps([isinstance(r, LazyRule) for r in rules]))
    """)
    assert not any(json.loads(out))


def test_a_data_rule_taking_a_coded_rules_id_fails_as_a_full_load_does(tmp_path: Path) -> None:
    (tmp_path / "clash.yaml").write_text(textwrap.dedent("""\
        id: typography.double_space
        type: existence
        category: typography
        severity: info
        description: A clash.
        words: [foo]
        message: "no {match}"
    """), encoding="utf-8")
    code = """
        from normalize.registry import {}
        try:
            {}
        except Exception as exc:
            print(type(exc).__name__, exc)
    """
    lazy = _run(code.format("select_rules", "select_rules()"), MTNORM_RULES_PATH=str(tmp_path))
    full = _run(code.format("all_rules", "all_rules()"), MTNORM_RULES_PATH=str(tmp_path))
    assert lazy == full
    assert lazy.strip()


def test_a_plain_check_of_a_text_file_loads_only_what_it_needs(tmp_path: Path) -> None:
    """Start-up: a check of one text file imports no fixer, translation-file, baseline or
    corpus-consistency code, and no module of a rule that needs the source."""
    article = tmp_path / "article.txt"
    article.write_text("The minister said  that the plan was was over.\n", encoding="utf-8")
    report = tmp_path / "modules.json"
    _run(f"""
        import json, sys
        sys.argv = ["mtnorm", "check", "--lang", "en", "--style", "ap", "-q", {str(article)!r}]
        from normalize.cli import main
        main()
        with open({str(report)!r}, "w") as out:
            json.dump(sorted(sys.modules), out)
    """)
    modules = set(json.loads(report.read_text(encoding="utf-8")))
    for name in ("normalize.fixer", "normalize.translation_files", "normalize.baseline",
                 "normalize.consistency"):
        assert name not in modules, name
    needs_source = [e.module for e in registry._manifest_entries().values()
                    if e.attrs["needs_source"]]
    assert needs_source and not modules & set(needs_source)
