"""The registry checks the scope a rule declares when the rule is registered."""
from __future__ import annotations

from collections.abc import Iterator

import pytest

from normalize import registry
from normalize.findings import Category, Finding
from normalize.registry import Context, Rule, RuleDefinitionError, all_rules, register


@pytest.fixture
def scratch_registry(monkeypatch: pytest.MonkeyPatch) -> dict[str, type[Rule]]:
    """A copy of the registry, so that rules registered by a test never leak out."""
    all_rules()
    copy = dict(registry._RULES)
    monkeypatch.setattr(registry, "_RULES", copy)
    return copy


def _rule(rule_id: str, **attrs: object) -> type[Rule]:
    def check(self: Rule, ctx: Context) -> Iterator[Finding]:
        return iter(())

    return type("ScratchRule", (Rule,), {"id": rule_id, "category": Category.GARBLE,
                                         "check": check, **attrs})


def test_default_scope_is_document(scratch_registry: dict[str, type[Rule]]) -> None:
    cls = register(_rule("scratch.default"))
    assert cls.scope == "document"
    assert scratch_registry["scratch.default"] is cls


def test_line_scope_is_allowed_for_a_plain_rule(scratch_registry: dict[str, type[Rule]]) -> None:
    assert register(_rule("scratch.line", scope="line")).scope == "line"


def test_a_rule_that_needs_the_source_cannot_claim_line_scope(
        scratch_registry: dict[str, type[Rule]]) -> None:
    with pytest.raises(RuleDefinitionError,
                       match=r"rule scratch\.source: needs_source = True needs scope = \"document\""):
        register(_rule("scratch.source", scope="line", needs_source=True))
    assert "scratch.source" not in scratch_registry
    # The same rule at the default scope registers.
    register(_rule("scratch.source_ok", needs_source=True))


def test_a_consistency_rule_cannot_claim_line_scope(scratch_registry: dict[str, type[Rule]]) -> None:
    with pytest.raises(RuleDefinitionError, match=r"rule scratch\.consistent: a consistency rule"):
        register(_rule("scratch.consistent", scope="line", category=Category.CONSISTENCY))
    assert "scratch.consistent" not in scratch_registry


def test_an_unknown_scope_is_refused(scratch_registry: dict[str, type[Rule]]) -> None:
    with pytest.raises(RuleDefinitionError, match=r"rule scratch\.para: scope 'paragraph' is not one of"):
        register(_rule("scratch.para", scope="paragraph"))


def test_every_registered_rule_declares_a_consistent_scope() -> None:
    rules = all_rules()
    for rule in rules:
        registry.check_declaration(rule)
    # Source-aware and consistency rules all run over the whole text.
    assert all(r.scope == "document" for r in rules
               if r.needs_source or r.category is Category.CONSISTENCY)
