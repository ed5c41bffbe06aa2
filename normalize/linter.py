"""Run the enabled rules over a document and return sorted, positioned findings."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from .document import Document
from .errors import UsageError
from .findings import Finding, Severity, mark_conflicts, without_yielded
from .languages import get_language
from .pieces import own_range
from .registry import Context, Rule, select_rules
from .styles import load_style
from .suppressions import (
    MARKER,
    UNKNOWN_RULE,
    UNUSED_RULE,
    SuppressionMap,
    is_known_selector,
    unused_message,
)


@dataclass(frozen=True)
class Options:
    """What to check and how: the same for the CLI, the API and batch workers.

    Every compared field is hashable (options are an ``lru_cache`` key) and
    picklable (they are sent to worker processes).
    """

    lang: str = "en"
    style: str | None = None
    source_lang: str | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    #: Severity overrides, ``(rule id, group or category, "error"|"warning"|"info")``
    #: pairs; the most specific selector wins (rule id, then the longest group,
    #: then the category, then ``all``). Applied after the house style's.
    severity: tuple[tuple[str, str], ...] = ()
    #: Terms never reported: a finding whose text equals one of these is dropped.
    accept: tuple[str, ...] = ()
    #: Terms reported by ``terms.rejected``: ``(term, replacement or None)``.
    reject: tuple[tuple[str, str | None], ...] = ()
    #: The glossary ``pair.glossary`` checks terms against (TBX, TSV or CSV): an absolute
    #: path, or None. Compared and hashed like every option, so two glossaries never
    #: share a cached linter.
    glossary: str | None = None
    #: Further rule settings, ``(key, value)`` pairs (a mapping given is stored as its
    #: sorted items, so options stay hashable and two settings never compare equal).
    #: ``extra={"glossary": PATH}`` (the older spelling) sets :attr:`glossary`.
    extra: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        given: object = self.extra  # a mapping is taken too, and stored as its items
        if isinstance(given, Mapping):
            extra = dict(given)
            if "glossary" in extra:
                glossary = extra.pop("glossary")
                if self.glossary is None and glossary:
                    object.__setattr__(self, "glossary", str(glossary))
            object.__setattr__(self, "extra", tuple(sorted((str(k), v) for k, v in extra.items())))


class Linter:
    """Rules chosen once, applied to many documents."""

    def __init__(self, options: Options, rules: Sequence[Rule] | None = None) -> None:
        self.options = options
        self.language = get_language(options.lang)
        self.style = load_style(options.style, self.language.family)
        self.rules = list(rules) if rules is not None else select_rules(options.select, options.ignore)
        self._severity_overrides = _parse_severity(options.severity)
        self._severity_cache: dict[str, Severity | None] = {}
        self._accept = frozenset(options.accept)
        self._active_rules: dict[tuple[str | None, bool], list[Rule]] = {}
        #: Rule id -> "line" or "document" (the fixer re-checks by scope).
        self.scope_of = {rule.id: rule.scope for rule in self.rules}
        #: Rule id -> the rules whose fixes it contradicts where they overlap.
        self.disputes = {rule.id: rule.disputes for rule in self.rules if rule.disputes}
        #: Rule id -> the rules whose covering finding makes its own redundant.
        self.yields_to = {rule.id: rule.yields_to for rule in self.rules if rule.yields_to}
        #: The reports about directives that are selected (suppression.* rules).
        self._directive_reports = frozenset({UNUSED_RULE, UNKNOWN_RULE} & self.scope_of.keys())
        #: Whether a directive is unused is judged on the rules whose findings the
        #: linter makes (a round trip adds its own later, see :meth:`admit`).
        self._judged = [rule for rule in self.rules if not rule.external]
        #: ``--select suppression.unused`` with few other rules asks which directives are
        #: stale: the rules not ignored run too, silently, on texts with directives.
        self._silent: Linter | None = None
        self._needs_silent = bool(UNUSED_RULE in self.scope_of and options.select
                                  and rules is None)
        if options.reject:
            from .rules.terms.rejected import validate_reject

            try:
                validate_reject(options.reject)
            except ValueError as exc:
                raise UsageError(f"reject: {exc}") from None
        if options.glossary is not None:
            from .glossary import validate_glossary

            validate_glossary(options.glossary)   # a usage error naming the file and line

    def context(self, doc: Document) -> Context:
        return Context(document=doc, language=self.language, style=self.style,
                       source_lang=self.options.source_lang, options=self.options)

    def severity_for(self, rule_id: str, category: str) -> Severity | None:
        """The severity the options set for a rule (most specific selector wins), or None."""
        try:
            return self._severity_cache[rule_id]
        except KeyError:
            pass
        best: Severity | None = None
        best_rank = -1
        for selector, severity in self._severity_overrides:
            if selector == rule_id:
                rank = 1_000_000
            elif rule_id.startswith(selector + "."):
                rank = 2 + len(selector)   # a deeper group is more specific
            elif selector == category:
                rank = 1
            elif selector == "all":
                rank = 0
            else:
                continue
            if rank > best_rank:
                best, best_rank = severity, rank
        self._severity_cache[rule_id] = best
        return best

    def adjust(self, finding: Finding) -> Finding:
        """``finding`` with the style's and then the options' severity override applied."""
        severity = self.style.severity.get(finding.rule)
        if self._severity_overrides:
            severity = self.severity_for(finding.rule, finding.category.value) or severity
        if severity is not None and severity is not finding.severity:
            return finding.with_severity(severity)
        return finding

    def raw(self, ctx: Context, scope: str | None = None) -> list[Finding]:
        """Findings of the rules (of one ``scope``, or all), unsorted, without line/column.

        Severity overrides and accepted terms are applied here; inline
        suppressions are not (they depend on the whole text, and the fixer
        calls this on windows of it). A finding whose fix edits several places
        becomes one finding per place, sharing a group (:meth:`Finding.split`),
        so that every occurrence is reported, suppressed and shown at its own place.
        """
        overrides = self.style.severity
        by_options = bool(self._severity_overrides)
        accept = self._accept
        found: dict[tuple[int, int, str], Finding] = {}
        for rule in self._active(ctx, scope):
            for reported in rule.check(ctx):
                for finding in reported.split(ctx.text) if reported.also else (reported,):
                    if accept and finding.text in accept:
                        continue
                    if by_options:
                        finding = self.adjust(finding)
                    elif finding.rule in overrides:
                        finding = finding.with_severity(overrides[finding.rule])
                    found.setdefault(finding.sort_key(), finding)
        piece = ctx.document.piece
        if piece is not None and (piece.own_from or piece.own_to is not None):
            # Context lines around a piece: their findings belong to the next or previous piece.
            lo, hi = own_range(ctx.document)
            return [f for f in found.values() if lo <= f.start < hi]
        return list(found.values())

    def _active(self, ctx: Context, scope: str | None) -> list[Rule]:
        """The rules that run on ``ctx``, chosen once per scope and source presence.

        ``Rule.applies_to`` may depend only on the linter's options and
        language and on whether a source text is given, never on the text:
        that is what makes the choice cacheable (it costs ~10 µs per short
        document otherwise, which adds up over millions of records).
        """
        key = (scope, ctx.source_text is not None)
        rules = self._active_rules.get(key)
        if rules is None:
            rules = self._active_rules[key] = [
                rule for rule in self.rules
                if (scope is None or rule.scope == scope) and rule.applies_to(ctx)]
        return rules

    def conflicts(self, text: str, findings: list[Finding]) -> list[Finding]:
        """``findings`` (of ``text``) with contradicting fixes marked and disabled
        (:func:`~normalize.findings.mark_conflicts`, with the rules' declared disputes)."""
        return mark_conflicts(findings, text, self.disputes)

    def positioned(self, doc: Document, findings: list[Finding]) -> list[Finding]:
        """Findings sorted by position, with 1-based line and column filled in, and
        groups named ``rule@line:column`` after their first place (stable output,
        whatever offsets the fixer's passes used internally). A finding covered by
        one of a rule it yields to (:attr:`Rule.yields_to`) is left out."""
        if self.yields_to:
            findings = without_yielded(findings, self.yields_to)
        out = [f.with_position(*doc.position(f.start))
               for f in sorted(findings, key=Finding.sort_key)]
        names: dict[str, str] = {}
        for i, f in enumerate(out):
            if f.group:
                name = names.setdefault(f.group, f"{f.rule}@{f.line}:{f.column}")
                if name != f.group:
                    out[i] = replace(f, group=name)
        return out

    def check(self, doc: Document, *, report_unused: bool = True) -> list[Finding]:
        """Findings for ``doc``, sorted by position, with line and column filled in.

        Inline ``mtnorm:`` directives are honoured; with ``report_unused`` the
        directives that suppressed nothing (or name unknown rules) are reported
        as ``suppression.unused`` / ``suppression.unknown`` findings.
        """
        ctx = self.context(doc)
        findings = self.raw(ctx)
        # The analyses refer to their context and the context to them: a cycle, which
        # only the garbage collector would free, holding the words, sentences and the
        # rest of each check until its next pass (~14 checks of a short text) and
        # making that pass traverse them all. Dropped here, they go with the context.
        ctx.__dict__.pop("analysis", None)
        if MARKER in doc.text:   # the common case costs one substring search
            directives = SuppressionMap.parse(doc.text)
            findings, used = directives.filter(findings)
            if report_unused and self._directive_reports:
                judged = self._judged
                if self._needs_silent:
                    silent = self._silent_linter()
                    used |= directives.filter(silent.raw(silent.context(doc)))[1]
                    judged = [*judged, *silent.rules]
                reports = directives.reports(used, judged, self._directive_reports)
                piece = doc.piece
                if piece is not None and (piece.own_from or piece.own_to is not None):
                    # A directive in a piece's context lines is reported by the piece it
                    # belongs to. (A piece judges whether a directive is used on the
                    # findings of its text with its context, and a disable opened before
                    # its context does not reach it: see README, "Corpora and CI".)
                    lo, hi = own_range(doc)
                    reports = [f for f in reports if lo <= f.start < hi]
                findings.extend(self.adjust(f) for f in reports)
        return self.positioned(doc, self.conflicts(doc.text, findings))

    def _silent_linter(self) -> Linter:
        """The rules not ignored that this linter's selection leaves out (built once)."""
        if self._silent is None:
            chosen = set(self.scope_of)
            others = [r for r in select_rules(None, self.options.ignore)
                      if r.id not in chosen and not r.external]
            self._silent = Linter(replace(self.options, select=()), rules=others)
        return self._silent

    def admit(self, doc: Document, findings: list[Finding], extra: list[Finding]) -> list[Finding]:
        """``findings`` (of :meth:`check`) with ``extra`` findings made outside the rules'
        checks (a round trip, :mod:`normalize.translation.roundtrip`) merged in, under the
        same options: only selected rules, severity overrides, accepted terms and inline
        directives apply to them too. A directive's names that suppress one of them are
        used, so the report that they were unused is taken back."""
        extra = [self.adjust(f) for f in extra
                 if f.rule in self.scope_of and f.text not in self._accept]
        if extra and MARKER in doc.text:
            directives = SuppressionMap.parse(doc.text)
            extra, used = directives.filter(extra)
            taken: dict[tuple[int, int], set[str]] = {}
            for i, j in used:
                d = directives.directives[i]
                taken.setdefault((d.start, d.end), set()).add(d.selectors[j])
            kept = []
            for f in findings:
                names = taken.get((f.start, f.end)) if f.rule == UNUSED_RULE else None
                if names:
                    left = [s for s in f.data.get("selectors", ()) if s not in names]
                    if not left:
                        continue
                    f = replace(f, message=unused_message(left, f.data["kind"]),
                                data={**f.data, "selectors": left})
                kept.append(f)
            findings = kept
        return self.positioned(doc, [*findings, *extra])


def _parse_severity(pairs: tuple[tuple[str, str], ...]) -> tuple[tuple[str, Severity], ...]:
    out = []
    for selector, value in pairs:
        if not is_known_selector(selector, pseudo=True):
            raise UsageError(f"severity override for unknown rule, group or category {selector!r} "
                             "(see 'mtnorm rules')")
        try:
            out.append((selector, Severity.parse(value)))
        except ValueError as exc:
            raise UsageError(f"severity override for {selector!r}: {exc}") from None
    return tuple(out)
