"""The rule base class and the registry that finds rules by id, group or category.

Rules live one per module in group folders under :mod:`normalize.rules`
(``rules/debris/html.py`` holds ``debris.html``; rules that are data are declared
in ``corpora/rules/<id>.yaml``, see :mod:`normalize.rules.data.declared`). Rule modules are
imported only when a rule is first looked up, so ``import normalize`` stays
cheap.

Selecting rules for a linter (:func:`select_rules`) imports no rule module:
the attributes of every rule written in code are read from a generated
manifest (:mod:`normalize.rules._manifest`, written by
``scripts/gen_rule_manifest.py``), and the linter gets stand-ins
(:class:`LazyRule`) that import their module only when the rule must run. A
plain check never imports the ~35 modules of rules that need the source text,
nor those of other languages. :func:`all_rules` and :func:`get_rule` still
return the rule classes themselves.
"""
from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from .errors import UsageError
from .findings import Category, Finding, FixSafety, Severity
from .lazy import Imports, cached_property

if TYPE_CHECKING:
    from .analysis import DocumentAnalysis
    from .document import Document
    from .languages.base import Language
    from .styles import Style


_imports = Imports(__package__, analysis=".analysis")


@dataclass
class Context:
    """What a rule sees: the document, its language and house style.

    What rules share about the document (its words, capitalised runs, places,
    people, language spans ...) is computed once, on first use, by
    ``ctx.analysis`` (:mod:`normalize.analysis`); what the rules of one group
    derive from it and share is kept by ``ctx.analysis.shared(builder)``.
    """

    document: Document
    language: Language
    style: Style
    source_lang: str | None = None
    #: The linter's :class:`~normalize.linter.Options` (None for contexts built by
    #: hand); rules configured by the user, such as ``terms.rejected``, read it.
    options: Any = None

    #: The document's text (read by every rule, dozens of times a check: an attribute,
    #: not a property). A document's text is never replaced: the fixer makes new ones.
    text: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.text = self.document.text

    @cached_property
    def analysis(self) -> DocumentAnalysis:
        """The document's analyses (words, capitalised runs, ...), each computed on
        first use; see :mod:`normalize.analysis`."""
        return _imports.analysis.DocumentAnalysis(self)

    @property
    def source_family(self) -> str | None:
        """The source language's base code ("pt-BR" -> "pt"), or None when not given."""
        return self.source_lang.replace("_", "-").split("-")[0].lower() if self.source_lang else None

    @property
    def source_text(self) -> str | None:
        """The source-language text, when the user gave it."""
        return self.document.source

    def aligned_source(self) -> list[tuple[int, int, str]] | None:
        """Segment alignment with the source: ``(start, end, source_segment)`` for each
        non-empty line of the text, when source and text have the same number of
        non-empty lines (one segment per line, as MT output is delivered); else None."""
        return self.analysis.shared(_aligned_source)


def _aligned_source(ctx: Context) -> list[tuple[int, int, str]] | None:
    return _align_lines(ctx.text, ctx.source_text)


def _align_lines(text: str, source: str | None) -> list[tuple[int, int, str]] | None:
    if source is None:
        return None
    spans = []
    pos = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        if body.strip():
            spans.append((pos, pos + len(body)))
        pos += len(line)
    segments = [line for line in source.splitlines() if line.strip()]
    if len(segments) != len(spans):
        return None
    return [(start, end, seg) for (start, end), seg in zip(spans, segments)]


class Rule:
    """Base class of every rule.

    Subclasses set the class attributes and implement :meth:`check`, yielding
    findings made with :meth:`finding`. ``languages`` is ``None`` for rules that
    work in any language; language-specific behaviour comes from the
    :class:`~normalize.languages.base.Language` object or the rule's data
    files, never from branching on language codes inside the rule.
    """

    id: ClassVar[str]
    category: ClassVar[Category]
    severity: ClassVar[Severity] = Severity.WARNING
    #: The safety of the fix that :meth:`finding` gives by default.
    fix: ClassVar[FixSafety] = FixSafety.NONE
    #: Every safety this rule's fixes may have, when it decides per finding (a
    #: spelling fix is safe or unsafe depending on the place); ``{fix}`` when
    #: empty. ``mtnorm rules`` lists it and the tests hold every finding to it.
    fixes: ClassVar[frozenset[FixSafety]] = frozenset()
    mqm: ClassVar[str] = ""
    #: Rule ids whose fix this rule's finding contradicts where the two overlap
    #: (another reading of the same words): neither fix is then applied.
    disputes: ClassVar[frozenset[str]] = frozenset()
    #: Rule ids whose finding, where it covers one of this rule's, names the same fault
    #: more precisely: this rule's finding is then dropped (one fault, one finding).
    yields_to: ClassVar[frozenset[str]] = frozenset()
    languages: ClassVar[frozenset[str] | None] = None
    needs_source_lang: ClassVar[bool] = False
    #: The rule compares with the source text (``--source FILE``) and is skipped without it.
    needs_source: ClassVar[bool] = False
    #: "line": a finding depends only on its own line and its neighbours, so
    #: after an edit only the lines around it need checking again (the fixer
    #: relies on this). "document": the rule looks at the whole text. The
    #: default is "document": a rule wrongly claiming "line" would leave stale
    #: findings after a fix, one wrongly left at "document" only costs time.
    scope: ClassVar[str] = "document"
    #: The kinds of document facts the rule reads (:mod:`normalize.pieces`): what it needs
    #: of the whole text when it is checked piece by piece (``module:name`` each).
    facts: ClassVar[tuple[str, ...]] = ()
    description: ClassVar[str] = ""
    #: Settings of the rule's own beyond --select/--ignore/severity (an option or
    #: configuration key -> what it does), shown by ``mtnorm rules RULE``.
    options: ClassVar[dict[str, str]] = {}
    #: Data files under ``corpora/`` the rule reads that ``mtnorm rules RULE``
    #: cannot find by reading its module (``rules/<lang>/debris.yaml`` form);
    #: usually left empty.
    data_files: ClassVar[tuple[str, ...]] = ()
    #: The findings are made outside the linter's pass over the rules (by
    #: ``mtnorm check --round-trip``): ``check`` yields nothing, and inline
    #: directives naming the rule are not judged unused by the linter.
    external: ClassVar[bool] = False

    @classmethod
    def declared_fixes(cls) -> frozenset[FixSafety]:
        """The fix safeties this rule's findings may carry (``none`` aside, which any
        finding may have: a conflict or a suppression takes a fix away)."""
        declared = cls.fixes or frozenset({cls.fix})
        return frozenset(declared - {FixSafety.NONE})

    def applies_to(self, ctx: Context) -> bool:
        """Whether the rule runs on this document at all.

        Overrides may look at the options, the language and whether a source
        is given, not at the text: linters cache the answer per run.
        """
        # A rule about what the source language left behind has nothing to find in a
        # text "translated" from its own language.
        if self.needs_source_lang and ctx.source_family in (None, ctx.language.family):
            return False
        if self.needs_source and ctx.source_text is None:
            return False
        return self.languages is None or ctx.language.family in self.languages

    def check(self, ctx: Context) -> Iterator[Finding]:  # pragma: no cover - abstract
        raise NotImplementedError

    def finding(self, ctx: Context, start: int, end: int, message: str, *,
                replacement: str | None = None, fix: FixSafety | None = None,
                severity: Severity | None = None, mqm: str | None = None,
                replaces: tuple[int, int] | None = None, also: tuple = (),
                data: dict[str, Any] | None = None) -> Finding:
        """Build a finding for ``ctx.text[start:end]`` with this rule's defaults."""
        if fix is None:
            fix = self.fix if replacement is not None else FixSafety.NONE
        return Finding(
            rule=self.id, category=self.category, severity=severity or self.severity,
            start=start, end=end, text=ctx.text[start:end], message=message,
            replacement=replacement, fix=fix, mqm=mqm or self.mqm,
            replaces=replaces if replaces != (start, end) else None, also=tuple(also),
            data=data or {},
        )


_RULES: dict[str, type[Rule]] = {}

_loaded = False


#: The scopes a rule may declare (see ``Rule.scope``).
SCOPES = ("line", "document")


class RuleDefinitionError(RuntimeError):
    """A rule class whose declaration contradicts itself (raised at registration)."""


def check_declaration(cls: type[Rule]) -> None:
    """Raise :class:`RuleDefinitionError` for a scope the rule cannot have.

    A rule that compares with the source (``needs_source``) aligns segments
    over the whole text, and a consistency rule compares places across it:
    re-checking only the edited lines would keep stale findings, so neither
    may claim line scope.
    """
    if cls.scope not in SCOPES:
        raise RuleDefinitionError(f"rule {cls.id}: scope {cls.scope!r} is not one of "
                                  f"{', '.join(SCOPES)}")
    if cls.scope == "line":
        if cls.needs_source:
            raise RuleDefinitionError(
                f"rule {cls.id}: needs_source = True needs scope = \"document\" (the source "
                "is aligned over the whole text), not \"line\"")
        if cls.category is Category.CONSISTENCY:
            raise RuleDefinitionError(
                f"rule {cls.id}: a consistency rule compares places across the whole text, "
                "so its scope must be \"document\", not \"line\"")


def register(cls: type[Rule]) -> type[Rule]:
    """Class decorator: make a rule known by its id, after checking its declaration."""
    if cls.id in _RULES and _RULES[cls.id] is not cls:
        raise RuntimeError(f"duplicate rule id {cls.id}")
    check_declaration(cls)
    _RULES[cls.id] = cls
    return cls


def _load() -> None:
    """Import every rule module: each group folder under normalize/rules, one rule per
    module (modules starting with "_" are shared helpers, not rules)."""
    global _loaded
    if _loaded:
        return
    import pkgutil

    from . import rules

    for group in sorted(m.name for m in pkgutil.iter_modules(rules.__path__) if m.ispkg):
        package = importlib.import_module(f"normalize.rules.{group}")
        for module in sorted(m.name for m in pkgutil.iter_modules(package.__path__)):
            if not module.startswith("_"):
                importlib.import_module(f"normalize.rules.{group}.{module}")
    _loaded = True


#: The attributes of a rule class that the manifest records (see :func:`manifest_attributes`).
MANIFEST_ATTRIBUTES = ("category", "severity", "fix", "fixes", "mqm", "disputes", "yields_to",
                       "languages", "needs_source_lang", "needs_source", "scope", "description",
                       "options", "data_files", "external", "facts")


def manifest_attributes(cls: type[Rule]) -> dict[str, Any]:
    """The attributes of ``cls`` that the manifest records, as plain literals (enums by
    value, sets as sorted tuples), so that the generated file is the same on every run."""
    out: dict[str, Any] = {}
    for name in MANIFEST_ATTRIBUTES:
        value = getattr(cls, name)
        if isinstance(value, (Category, Severity, FixSafety)):
            value = value.value
        elif isinstance(value, frozenset):
            value = tuple(sorted(v.value if isinstance(v, FixSafety) else v for v in value))
        elif isinstance(value, dict):
            value = dict(value)
        out[name] = value
    return out


def _from_manifest(attrs: dict[str, Any]) -> dict[str, Any]:
    """The class attributes that :func:`manifest_attributes` wrote as ``attrs``."""
    out = dict(attrs)
    out["category"] = Category(attrs["category"])
    out["severity"] = Severity(attrs["severity"])
    out["fix"] = FixSafety(attrs["fix"])
    out["fixes"] = frozenset(FixSafety(v) for v in attrs["fixes"])
    out["disputes"] = frozenset(attrs["disputes"])
    out["yields_to"] = frozenset(attrs["yields_to"])
    out["languages"] = None if attrs["languages"] is None else frozenset(attrs["languages"])
    out["options"] = dict(attrs["options"])
    return out


class StaleManifestError(RuntimeError):
    """The generated rule manifest disagrees with the rule modules."""


class _Entry:
    """A rule written in code, as the manifest describes it (its module not imported)."""

    __slots__ = ("applies", "attrs", "category", "cls", "id", "module")

    def __init__(self, rule_id: str, module: str, applies: str, attrs: dict[str, Any]) -> None:
        self.id = rule_id
        self.module = module
        #: How the class decides :meth:`Rule.applies_to`: "base" (Rule's own), "guarded"
        #: (an override that is False whenever Rule's is), "never" (always False) or
        #: "custom" (anything else: the module is imported to ask it).
        self.applies = applies
        self.attrs = attrs
        self.category = Category(attrs["category"])
        #: The rule's class, once imported and checked.
        self.cls: type[Rule] | None = None

    def load(self) -> type[Rule]:
        """Import the rule's module and return its class, checked against the manifest
        (once: a stale manifest would make a linter treat the rule as it is not)."""
        cls = self.cls
        if cls is None:
            cls = _RULES.get(self.id)
            if cls is None:
                importlib.import_module(self.module)
                cls = _RULES.get(self.id)
            if cls is None:
                raise StaleManifestError(
                    f"rule {self.id}: {self.module} registers no such rule; the rule manifest "
                    "is stale (run python scripts/gen_rule_manifest.py)")
            if manifest_attributes(cls) != self.attrs:
                raise StaleManifestError(
                    f"rule {self.id}: its attributes differ from the rule manifest's "
                    "(run python scripts/gen_rule_manifest.py)")
            self.cls = cls
        return cls

    def make(self) -> Rule:
        """A fresh rule for a linter: the rule itself when its module is imported already,
        else a stand-in that imports it when the rule must run."""
        cls = _RULES.get(self.id)
        if cls is not None:
            return cls()
        return LazyRule(self)  # type: ignore[return-value]  # stands in for a Rule


class LazyRule:
    """A stand-in for a rule whose module is not imported yet.

    It holds the attributes the manifest records (``id``, ``category``,
    ``scope``, ``needs_source`` ...), so a linter can select, order and sort out
    rules, and answer :meth:`applies_to` from them when the class keeps
    :meth:`Rule.applies_to` or only narrows it, without importing anything.
    :meth:`check`, a ``custom`` :meth:`applies_to` and any other attribute
    import the module and make the rule itself; from then on its methods are
    called directly (they are set on the stand-in).
    """

    def __init__(self, entry: _Entry) -> None:
        self.__dict__.update(_from_manifest(entry.attrs))
        self.id = entry.id
        self._entry = entry

    def _rule(self) -> Rule:
        """The rule itself, made on first need."""
        rule: Rule | None = self.__dict__.get("_real")
        if rule is None:
            rule = self.__dict__["_real"] = self._entry.load()()
            # Bound methods in the instance's dict shadow this class's: later calls
            # go straight to the rule.
            self.__dict__["check"] = rule.check
            self.__dict__["applies_to"] = rule.applies_to
        return rule

    def applies_to(self, ctx: Context) -> bool:
        """:meth:`Rule.applies_to` of the rule, importing its module only when the
        manifest's attributes cannot decide."""
        applies = self._entry.applies
        if applies == "never":
            return False
        if applies in ("base", "guarded"):
            # Rule.applies_to reads only attributes the stand-in holds.
            if not Rule.applies_to(self, ctx):  # type: ignore[arg-type]
                return False
            if applies == "base":
                return True
        return self._rule().applies_to(ctx)

    def check(self, ctx: Context) -> Iterator[Finding]:
        """The rule's findings (importing its module)."""
        return self._rule().check(ctx)

    def __getattr__(self, name: str) -> Any:
        # Only attributes the manifest does not hold get here: the rule's own.
        if name.startswith("__") or name in ("_entry", "_real"):
            raise AttributeError(name)
        return getattr(self._rule(), name)

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        # Sent to another process, the rule is made there as the registry makes it.
        return _make_rule, (self.id,)

    def __repr__(self) -> str:
        return f"<LazyRule {self.id}>"


def _make_rule(rule_id: str) -> Rule:
    """The rule ``rule_id`` as :func:`select_rules` makes it (unpickling a stand-in)."""
    entry = _manifest_entries().get(rule_id)
    return entry.make() if entry is not None else get_rule(rule_id)()


_ENTRIES: dict[str, _Entry] | None = None
_declared: bool = False


def _manifest_entries() -> dict[str, _Entry]:
    """The manifest's rules by id, in the order their modules are loaded."""
    global _ENTRIES
    if _ENTRIES is None:
        from .rules._manifest import RULES

        _ENTRIES = {rule_id: _Entry(rule_id, module, applies, attrs)
                    for rule_id, (module, applies, attrs) in RULES.items()}
    return _ENTRIES


def _manifest_fresh() -> bool:
    """Whether the manifest lists exactly the rule modules there are (a module added or
    removed since it was written makes the registry import them all, as before)."""
    from .rules._manifest import MODULES

    try:
        return rule_modules() == list(MODULES)
    except OSError:  # not a folder on disk (a zip): the modules are imported as before
        return False


def rule_modules() -> list[str]:
    """Every rule module under normalize/rules as ``group.module``, sorted: the ``.py``
    files and packages of its group folders, less the ``_`` helpers (what :func:`_load`
    imports). Listing the folders costs ~0.1 ms, against ~100 ms for importing the modules."""
    import os

    from . import rules

    def package(path: str) -> bool:
        return os.path.isfile(os.path.join(path, "__init__.py"))

    found = []
    for root in rules.__path__:
        for group in os.listdir(root):
            folder = os.path.join(root, group)
            if group.startswith("_") or not package(folder):
                continue
            for name in os.listdir(folder):
                stem, _, ext = name.partition(".")
                if stem.startswith("_") or ext not in ("py", ""):
                    continue
                if ext == "py" or package(os.path.join(folder, name)):
                    found.append(f"{group}.{stem}")
    return sorted(found)


def _load_declared() -> bool:
    """Register the rules that data files declare, as a full load would (they are not in
    the manifest: ``MTNORM_RULES_PATH`` may add any). False when the manifest is stale
    (then rules are loaded the old way)."""
    global _declared
    if _declared:
        return True
    if not _manifest_fresh():
        return False
    from .rules.data import declared

    # A full load imports the rule modules after the data rules: a declared id that a
    # module registers fails there ("duplicate rule id"), so it fails here too.
    taken = {cls.id for cls in declared.DECLARED}
    for entry in _manifest_entries().values():
        if entry.id in taken:
            raise RuntimeError(f"duplicate rule id {entry.id}")
    _declared = True
    return True


def _selectable() -> list[Any]:
    """What :func:`select_rules` chooses from, sorted by id: the classes of the rules
    registered already, and manifest entries for the rest."""
    if _loaded or not _load_declared():
        return all_rules()
    entries = _manifest_entries()
    ids = sorted(entries.keys() | _RULES.keys())
    return [_RULES[i] if i in _RULES else entries[i] for i in ids]


def all_rules() -> list[type[Rule]]:
    """Every registered rule class, sorted by id."""
    _load()
    return [_RULES[k] for k in sorted(_RULES)]


def get_rule(rule_id: str) -> type[Rule]:
    """The class of the rule ``rule_id``: only its own module is imported when the
    manifest knows it (the data rules are read first, as a full load would)."""
    if not _loaded and _load_declared():
        entry = _manifest_entries().get(rule_id)
        if entry is not None:
            return entry.load()
        if rule_id in _RULES:
            return _RULES[rule_id]
    _load()
    try:
        return _RULES[rule_id]
    except KeyError:
        raise UsageError(f"unknown rule {rule_id!r} (see 'mtnorm rules')") from None


def _matches(rule: type[Rule] | _Entry, selector: str) -> bool:
    return (selector == "all" or rule.id == selector or rule.id.startswith(selector + ".")
            or rule.category.value == selector)


def select_rules(select: Iterable[str] | None = None,
                 ignore: Iterable[str] | None = None) -> list[Rule]:
    """Instantiate the rules chosen by id, group (``toponym``) or category.

    An unknown selector is an error rather than silently matching nothing.
    Rules written in code whose module is not imported yet are given as
    :class:`LazyRule` stand-ins (see the module docstring).
    """
    rules: list[Any] = _selectable()
    chosen = rules
    select = [s for s in (select or []) if s]
    ignore = [s for s in (ignore or []) if s]
    for selector in [*select, *ignore]:
        if not any(_matches(r, selector) for r in rules):
            from .rule_docs import close_ids

            near = close_ids(selector)
            hint = f"; did you mean {', '.join(near)}?" if near else ""
            raise UsageError(f"unknown rule, group or category {selector!r}{hint} "
                             "(see 'mtnorm rules')")
    if select:
        chosen = [r for r in chosen if any(_matches(r, s) for s in select)]
    if ignore:
        chosen = [r for r in chosen if not any(_matches(r, s) for s in ignore)]
    return [r.make() if isinstance(r, _Entry) else r() for r in chosen]


#: Fix safeties from the most to the least permissive (``fix`` of a rule row is the first declared).
_FIX_ORDER = (FixSafety.SAFE, FixSafety.UNSAFE, FixSafety.NONE)


def rule_fixes(rule: type[Rule]) -> list[str]:
    """The fix safeties a rule declares, most permissive first (``["none"]`` for no fix)."""
    declared = rule.declared_fixes()
    return [s.value for s in _FIX_ORDER if s in declared] or [FixSafety.NONE.value]


def rule_table() -> list[dict[str, Any]]:
    """One row per rule: what ``mtnorm rules --format json`` and the desk's /api/rules return.

    ``fix`` is the most permissive safety the rule's fixes may have (``safe``
    if any of them may be applied by default); ``fixes`` lists them all.
    """
    return [{"id": r.id, "category": r.category.value, "severity": str(r.severity),
             "fix": rule_fixes(r)[0], "fixes": rule_fixes(r), "mqm": r.mqm,
             "languages": sorted(r.languages) if r.languages else "all",
             "description": r.description} for r in all_rules()]
