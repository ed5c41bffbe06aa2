"""Run the enabled rules over a document and return sorted, positioned findings."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from .document import Document
from .findings import Finding
from .languages import get_language
from .registry import Context, Rule, select_rules
from .styles import load_style


@dataclass(frozen=True)
class Options:
    """What to check and how: the same for the CLI, the API and batch workers."""

    lang: str = "en"
    style: str | None = None
    source_lang: str | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    extra: dict[str, str] = field(default_factory=dict, compare=False)


class Linter:
    """Rules chosen once, applied to many documents."""

    def __init__(self, options: Options, rules: Sequence[Rule] | None = None) -> None:
        self.options = options
        self.language = get_language(options.lang)
        self.style = load_style(options.style, self.language.family)
        self.rules = list(rules) if rules is not None else select_rules(options.select, options.ignore)

    def context(self, doc: Document) -> Context:
        return Context(document=doc, language=self.language, style=self.style,
                       source_lang=self.options.source_lang)

    def raw(self, ctx: Context, scope: str | None = None) -> list[Finding]:
        """Findings of the rules (of one ``scope``, or all), unsorted, without line/column."""
        overrides = self.style.severity
        found: dict[tuple[int, int, str], Finding] = {}
        for rule in self.rules:
            if (scope is not None and rule.scope != scope) or not rule.applies_to(ctx):
                continue
            for finding in rule.check(ctx):
                if finding.rule in overrides:
                    finding = finding.with_severity(overrides[finding.rule])
                found.setdefault(finding.sort_key(), finding)
        return list(found.values())

    @staticmethod
    def positioned(doc: Document, findings: list[Finding]) -> list[Finding]:
        """Findings sorted by position, with 1-based line and column filled in."""
        return [f.with_position(*doc.position(f.start))
                for f in sorted(findings, key=Finding.sort_key)]

    def check(self, doc: Document) -> list[Finding]:
        """Findings for ``doc``, sorted by position, with line and column filled in."""
        return self.positioned(doc, self.raw(self.context(doc)))
