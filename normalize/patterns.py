"""Regular expressions compiled on first use.

Neither ``re`` nor ``regex`` can keep a compiled pattern on disk, and compiling is
most of a rule's start-up (~70 ms of a cold ``mtnorm check`` of one article, for
patterns most articles never need: a rule whose literal trigger is absent never
runs its pattern). :class:`LazyPattern` stands in for a compiled pattern and
compiles it the first time a method or attribute is asked for, with ``re`` or with
the third-party ``regex`` module (whose import alone costs ~11 ms).
"""
from __future__ import annotations

import functools
import importlib
import re
from collections.abc import Callable, Iterable
from typing import Any


class LazyPattern:
    """A compiled pattern's stand-in: ``re.compile(pattern, flags)`` on first use.

    Every attribute (``search``, ``finditer``, ``pattern``...) is the compiled
    pattern's, copied onto this object when first asked for, so later uses cost a
    plain attribute look-up. ``on_error`` turns a compile error into the exception
    to raise (a :class:`~normalize.errors.DataError` naming the data file), as an
    eager compile would have raised it at load time. ``engine`` is the module that
    compiles: ``"re"`` or ``"regex"``.
    """

    __slots__ = ("__dict__", "_compiled", "_engine", "_flags", "_on_error", "_source")

    def __init__(self, pattern: str, flags: int = 0,
                 on_error: Callable[[Exception], Exception] | None = None,
                 engine: str = "re") -> None:
        self._source = pattern
        self._flags = flags
        self._on_error = on_error
        self._engine = engine
        self._compiled: Any = None

    def compiled(self) -> Any:
        """The compiled pattern (compiling it now if it is the first use)."""
        if self._compiled is None:
            module = re if self._engine == "re" else importlib.import_module(self._engine)
            try:
                self._compiled = module.compile(self._source, self._flags)
            except module.error as exc:
                if self._on_error is None:
                    raise
                raise self._on_error(exc) from None
        return self._compiled

    def __getattr__(self, name: str) -> Any:
        # Only reached for names not yet on the object: keep the compiled pattern's.
        if name.startswith("__"):
            raise AttributeError(name)
        value = getattr(self.compiled(), name)
        self.__dict__[name] = value
        return value

    def __repr__(self) -> str:
        return f"LazyPattern({self._source!r}, {self._flags!r}, engine={self._engine!r})"


#: The characters beyond ASCII that ``re`` and ``regex`` match to an ASCII letter when
#: ignoring case (Turkish dotted and dotless i, the long s, the Kelvin sign): what they
#: become in :func:`folded_for_literals` (a test asks both engines about every code point).
_FOLD_TO_ASCII = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})


def folded_for_literals(text: str) -> str:
    """``text`` lower-cased so that, wherever a case-insensitive pattern matches, one run
    of each group of its :func:`required_literals` stands in it: ASCII letters lower-cased
    and the few other characters those engines take for an ASCII letter turned into it,
    character for character (no other character lowers to an ASCII letter or to two
    characters)."""
    low = text.lower()
    # Only "İ" lowers to two characters; "ı" and "ſ" stay as they are; the Kelvin sign
    # lowers to "k". The table (str.translate asks a dict for each character: ten
    # times the cost of lower()) only where one of the first three stands.
    if len(low) != len(text) or "\u0131" in low or "\u017f" in low:
        return text.translate(_FOLD_TO_ASCII).lower()
    return low


def _parse(pattern: str, flags: int) -> Any:
    try:
        from re import _parser as parser  # type: ignore[attr-defined]
    except ImportError:  # Python 3.10
        import sre_parse as parser
    return parser.parse(pattern, flags)


def required_literals(regex: re.Pattern[str], least: int = 3) -> tuple[tuple[str, ...], ...]:
    """What every match of ``regex`` contains, as groups of runs of literal characters (at
    least ``least``, ASCII, lower-cased): one run of each group stands in every match.

    Read off the top-level sequence of its parse tree, through groups: a run of literals
    is a group of its own (repeats, classes and lookarounds end a run); an alternation
    each of whose branches holds such a group gives a group of one run per branch (their
    longest, or a branch's own alternation), "(?:cake|torte|chicken)"."""
    try:
        tree = _parse(regex.pattern, regex.flags)
    except Exception:  # an unusual construct: no shortcut, the regex decides
        return ()
    return tuple(dict.fromkeys(_groups(tree, least)))


@functools.lru_cache(maxsize=4096)
def required_in(source: str) -> tuple[tuple[str, ...], ...]:
    """:func:`required_literals` of a case-insensitive pattern of the ``regex`` module
    (version 0, the one that reads patterns as ``re`` does), read through ``re``'s parser:
    nothing where ``re`` cannot read it. Kept per pattern: its callers ask at every match."""
    try:
        compiled = re.compile(source, re.IGNORECASE)
    except re.error:
        return ()
    return required_literals(compiled)


def holds_required(folded: str, groups: tuple[tuple[str, ...], ...]) -> bool:
    """Whether ``folded`` (text through :func:`folded_for_literals`) holds a run of each of
    ``groups`` (:func:`required_literals`): where it does not, the pattern cannot match."""
    for group in groups:
        for run in group:
            if run in folded:
                break
        else:
            return False
    return True


def gate_of(requirements: Iterable[tuple[tuple[str, ...], ...]], around: str = "") -> re.Pattern[str] | None:
    """One regex that finds, in text through :func:`folded_for_literals`, a run that every
    match of any of several patterns holds (``requirements``: each one's
    :func:`required_literals`): where it finds none, none of them can match, and a
    window is ruled out by one search instead of one look per pattern.

    Any group of a pattern would do; taken is one none of whose runs stands in
    ``around`` (folded: the words every window holds, such as the mention a window is
    cut around), else the gate would find a run in every window; of those, the one
    whose shortest run is longest (longer runs stand in fewer windows by chance).
    None when some pattern requires nothing beyond ``around``: it must be tried in
    every window, and so must they all."""
    runs: set[str] = set()
    for groups in requirements:
        useful = [g for g in groups if not any(run in around for run in g)]
        if not useful:
            return None
        best: tuple[str, ...] = max(useful, key=_group_rank)
        runs.update(best)
    # Longest first, then in a fixed order: the same pattern text in every process.
    return re.compile("|".join(re.escape(run) for run in sorted(runs, key=lambda r: (-len(r), r))))


def _group_rank(group: tuple[str, ...]) -> tuple[int, int]:
    return min(map(len, group)), -len(group)


def _groups(items: Any, least: int) -> list[tuple[str, ...]]:
    """:func:`required_literals` of a sequence of parse-tree items."""
    groups: list[tuple[str, ...]] = []
    current: list[str] = []

    def flush() -> None:
        if len(current) >= least:
            groups.append(("".join(current).lower(),))
        current.clear()

    def walk(seq: Any) -> None:
        for op, av in seq:
            name = str(op)
            if name == "LITERAL" and av < 128:
                current.append(chr(av))
            elif name == "SUBPATTERN":
                walk(av[-1])   # a group is its sequence, in line
            elif name == "BRANCH":
                flush()
                picked: list[str] = []
                for branch in av[1]:
                    own = _groups(branch, least)
                    if not own:
                        break   # a branch that needs no literal: the alternation needs none
                    singles = [g[0] for g in own if len(g) == 1]
                    if singles:
                        picked.append(max(singles, key=len))
                    else:
                        smallest: tuple[str, ...] = min(own, key=len)
                        picked.extend(smallest)
                else:
                    groups.append(tuple(dict.fromkeys(picked)))
            else:
                flush()

    walk(items)
    flush()
    return groups


def lead_class(regex: re.Pattern[str] | Any, triggers: tuple[str, ...]) -> re.Pattern[str] | None:
    """A character class holding every character a match of ``regex`` can have before its
    trigger, or None where that cannot be read off the pattern.

    The pattern's top level must be a sequence in which some item matches only text that
    starts with one of ``triggers`` (lower-case ASCII strings): a run of literal
    characters, or an alternation each of whose branches opens with one. The class is the
    union of what the items before it can match (literals, classes, categories, repeats
    and groups of them; anchors and lookarounds match none). Every match then starts at
    the first trigger's position or before it, over characters of the class only: a scan
    may start where the text before the first trigger leaves the class
    (:func:`scan_start`).
    """
    if not triggers or not all(t.isascii() for t in triggers):
        return None  # folded_for_literals finds ASCII triggers wherever the regex does
    try:
        tree = _parse(regex.pattern, regex.flags)
    except Exception:
        return None
    parts: list[str] = []
    items = list(tree)
    for k, (op, av) in enumerate(items):
        if _opens_with_trigger(items, k, triggers):
            try:
                return re.compile("[" + "".join(parts) + "]", regex.flags) if parts else re.compile("(?!)")
            except re.error:
                return None
        if not _class_parts(op, av, parts):
            return None
    return None


def _opens_with_trigger(items: list[Any], k: int, triggers: tuple[str, ...]) -> bool:
    """Whether the ``k``-th item of a pattern's top level only matches text that starts
    with one of ``triggers``: it opens a run of literals that does, or it is an
    alternation each of whose branches opens with such a run."""
    op, av = items[k]
    name = str(op)
    if name == "LITERAL":
        return _starts_with_trigger(_literal_run(items[k:]), triggers)
    if name == "BRANCH":
        return all(_starts_with_trigger(_literal_run(branch), triggers) for branch in av[1])
    return False


def _literal_run(items: Any) -> str:
    """The characters of the literals that open ``items``."""
    run = []
    for o, a in items:
        if str(o) != "LITERAL":
            break
        run.append(chr(a))
    return "".join(run)


def _starts_with_trigger(run: str, triggers: tuple[str, ...]) -> bool:
    low = run.lower()
    return run.isascii() and any(low.startswith(t) for t in triggers)


_CATEGORIES = {"CATEGORY_DIGIT": r"\d", "CATEGORY_NOT_DIGIT": r"\D", "CATEGORY_SPACE": r"\s",
               "CATEGORY_NOT_SPACE": r"\S", "CATEGORY_WORD": r"\w", "CATEGORY_NOT_WORD": r"\W"}


def _class_parts(op: Any, av: Any, parts: list[str]) -> bool:
    """Add to ``parts`` (pieces of a character class) what the item can match; False if
    that is not known."""
    name = str(op)
    if name in ("AT", "ASSERT", "ASSERT_NOT"):
        return True  # matches no character
    if name == "LITERAL":
        parts.append(re.escape(chr(av)))
        return True
    if name == "IN":
        for o, a in av:
            kind = str(o)
            if kind == "LITERAL":
                parts.append(re.escape(chr(a)))
            elif kind == "RANGE":
                parts.append(f"{re.escape(chr(a[0]))}-{re.escape(chr(a[1]))}")
            elif kind == "CATEGORY" and str(a) in _CATEGORIES:
                parts.append(_CATEGORIES[str(a)])
            else:
                return False  # a negated class, an unknown category
        return True
    if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        return all(_class_parts(o, a, parts) for o, a in av[2])
    if name == "BRANCH":
        return all(_class_parts(o, a, parts) for branch in av[1] for o, a in branch)
    if name == "SUBPATTERN":
        _group, add_flags, del_flags, items = av
        return not add_flags and not del_flags and all(_class_parts(o, a, parts) for o, a in items)
    return False  # "." and others: any character


def scan_start(text: str, folded: str, triggers: tuple[str, ...], lead: re.Pattern[str]) -> int | None:
    """Where a scan for matches of a pattern with :func:`lead_class` ``lead`` may start in
    ``text`` (``folded``: :func:`folded_for_literals` of it): before the first trigger, back
    over the characters of the class; None when no trigger stands in the text (no match)."""
    first = min((i for i in map(folded.find, triggers) if i != -1), default=-1)
    if first == -1:
        return None
    match = lead.match
    while first > 0 and match(text, first - 1):
        first -= 1
    return first
