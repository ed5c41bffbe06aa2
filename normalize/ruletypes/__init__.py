"""Generic rule types: rules written as data files, checked by one loader.

A rule data file declares its ``type`` (one of :data:`TYPES`), its metadata
(``id``, ``category``, ``severity``, ``mqm``, ``fix``, ``languages``,
``source_languages``, ``description``) and what the type needs (words,
patterns, swaps, groups of forms), with ``examples`` that the tests run
(``tests/test_rule_data.py``). Each type is a small rule class in code
(:mod:`.existence`, :mod:`.substitution`, :mod:`.pattern`, :mod:`.consistency`,
:mod:`.pair` for source-vs-target checks)
and a JSON Schema under ``corpora/ruletypes/`` (``_header.json`` for the keys
every type shares, ``<type>.json`` for its own, ``$defs/layer`` for the
per-language files it reads). Files are checked by the project's validator
(:func:`normalize.languages.base.validate`); an unknown key, a wrong value or a
regex that does not compile is a :class:`~normalize.errors.DataError` naming
the file and the line.

Where the rules come from:

* ``corpora/rules/*.yaml``: the bundled declarations (``debris.pattern.yaml``);
  a declaration with ``data: NAME`` also reads ``<lang>/NAME.yaml`` beside it,
  for the document's language and its parents (a child adds to its parent);
* every ``*.yaml``/``*.yml`` file of the folders in the ``MTNORM_RULES_PATH``
  environment variable (separated like ``PATH``): the user's own rules.

Declarations are read when the registry first loads the rules (a few small
files); the per-language layers and regexes are compiled when a document in
that language is first checked.
"""
from __future__ import annotations

import functools
import importlib
import json
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from ..errors import DataError
from ..findings import MQM_BY_CATEGORY, Category, FixSafety, Severity
from ..registry import Context, Rule
from ..resources import parse_yaml_cached, yaml_loader

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

    import yaml

#: The rule types and the modules that implement them.
TYPES: dict[str, str] = {
    "existence": "existence",
    "substitution": "substitution",
    "pattern": "pattern",
    "consistency": "consistency",
    "pair": "pair",
}
#: Folders of user rule files, separated by ``os.pathsep``.
ENV = "MTNORM_RULES_PATH"

if TYPE_CHECKING:
    Node = Traversable | Path


# -- schemas ---------------------------------------------------------------------------------
def _schema_dir() -> Traversable:
    from ..resources import corpus

    return corpus("ruletypes")


@functools.cache
def schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of a ``kind`` rule file: the shared header's keys and the type's own."""
    base = _schema_dir()
    header = json.loads(base.joinpath("_header.json").read_text(encoding="utf-8"))
    own = json.loads(base.joinpath(f"{kind}.json").read_text(encoding="utf-8"))
    merged = dict(header)
    merged["properties"] = {**header["properties"], **own.get("properties", {})}
    merged["required"] = [*header.get("required", []), *own.get("required", [])]
    merged["$defs"] = {**header.get("$defs", {}), **own.get("$defs", {})}
    return merged


@functools.cache
def layer_schema(kind: str) -> dict[str, Any]:
    """The schema of a per-language layer of a ``kind`` rule (``$defs/layer``)."""
    root = schema(kind)
    return {**root["$defs"]["layer"], "$defs": root["$defs"]}


# -- reading, with lines ---------------------------------------------------------------------
class Located:
    """A parsed YAML file that can say on which line a key path stands.

    The node tree is composed only when a line is asked for (an error, a test
    naming an example), so a file that loads cleanly is parsed once.
    """

    def __init__(self, text: str, where: str, file: str | None = None) -> None:
        self.text = text
        self.where = where
        # Parsed once, then read back from the cache (PyYAML is not even imported then);
        # ``file`` names the cache entry (see :func:`~normalize.resources.parse_yaml_cached`).
        self.data = parse_yaml_cached(text, where, file)

    @functools.cached_property
    def _root(self) -> yaml.Node | None:
        import yaml

        return yaml.compose(self.text, Loader=yaml_loader())

    def line(self, path: tuple[Any, ...]) -> int | None:
        """The 1-based line of the value at ``path`` (keys and list indices), or of its nearest parent."""
        import yaml

        node = self._root
        line = node.start_mark.line + 1 if node is not None else None
        for part in path:
            child = None
            if isinstance(node, yaml.MappingNode):
                child = next((v for k, v in node.value if k.value == str(part)), None)
                if child is not None and not isinstance(child, (yaml.MappingNode, yaml.SequenceNode)):
                    # A scalar: name the key's own line.
                    key = next(k for k, v in node.value if v is child)
                    return key.start_mark.line + 1
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
                child = node.value[part]
            if child is None:
                break
            node, line = child, child.start_mark.line + 1
        return line

    def at(self, path: tuple[Any, ...]) -> str:
        """``file:line`` for the value at ``path``."""
        line = self.line(path)
        return f"{self.where}:{line}" if line else self.where


def read(node: Node, where: str) -> Located:
    """Parse one YAML file (no validation)."""
    return Located(node.read_text(encoding="utf-8"), where, str(node))


def check(doc: Located, sch: dict[str, Any], *, regexes: bool = True) -> None:
    """Validate ``doc`` against ``sch`` and compile its regexes (``"format": "regex"``);
    raise :class:`DataError` naming the file, the line and the key.

    ``regexes=False`` leaves the regexes to the rule, which compiles them anyway
    (and names the line of one that fails): compiling 1,000 calque patterns twice
    would double the time a language pair takes to load."""
    from ..languages.base import validate

    try:
        validate(doc.data, sch, where=doc.where)
    except DataError as exc:
        path = getattr(exc, "path", ())
        raise DataError(str(exc).replace(doc.where, doc.at(path), 1)) from None
    for path, pattern, error in _bad_regexes(doc.data, sch, sch, ()) if regexes else ():
        key = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")
        raise DataError(f"{doc.at(path)}: key {key!r}: bad regex {pattern!r}: {error}")


def _resolve(sch: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in sch:
        return {**root["$defs"][sch["$ref"].split("/")[-1]], **{k: v for k, v in sch.items() if k != "$ref"}}
    return sch


def _bad_regexes(value: Any, sch: dict[str, Any], root: dict[str, Any],
                 path: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], str, str]]:
    """``(path, regex, error)`` for each string a schema marks ``"format": "regex"`` that does not compile."""
    sch = _resolve(sch, root)
    if isinstance(value, str) and sch.get("format") == "regex":
        try:
            re.compile(value)
        except re.error as exc:
            yield path, value, str(exc)
    elif isinstance(value, list) and isinstance(sch.get("items"), dict):
        for i, item in enumerate(value):
            yield from _bad_regexes(item, sch["items"], root, (*path, i))
    elif isinstance(value, dict):
        props = sch.get("properties", {})
        extra = sch.get("additionalProperties")
        for key, item in value.items():
            sub = props.get(key, extra if isinstance(extra, dict) else None)
            if sub is not None:
                yield from _bad_regexes(item, sub, root, (*path, key))
        # A mapping whose keys are regexes (substitution swaps written as patterns).
        if sch.get("propertyNames", {}).get("format") == "regex":
            for key in value:
                try:
                    re.compile(str(key))
                except re.error as exc:
                    yield (*path, key), str(key), str(exc)


def read_declaration(node: Node, where: str) -> Located:
    """A rule file, validated against its type's schema."""
    doc = read(node, where)
    raw = doc.data
    if not isinstance(raw, dict) or raw.get("type") not in TYPES:
        kind = raw.get("type") if isinstance(raw, dict) else None
        raise DataError(f"{doc.at(('type',))}: key 'type': {kind!r} is not one of "
                        f"{', '.join(TYPES)}")
    check(doc, schema(raw["type"]))
    return doc


# -- the rule classes --------------------------------------------------------------------------
class DataRule(Rule):
    """A rule declared by a data file; the type's subclass implements :meth:`check`."""

    #: The validated declaration.
    spec: ClassVar[dict[str, Any]] = {}
    #: The declaration file, as messages name it, and the folder its layers live in.
    where: ClassVar[str] = ""
    root: ClassVar[Node | None] = None
    #: Source language families the rule is for (None: any, or no source needed).
    source_languages: ClassVar[frozenset[str] | None] = None
    #: The list keys a layer file adds to (``patterns`` for debris).
    layer_keys: ClassVar[tuple[str, ...]] = ()

    def applies_to(self, ctx: Context) -> bool:
        if not super().applies_to(ctx):
            return False
        return self.source_languages is None or ctx.source_family in self.source_languages

    @classmethod
    def layers(cls, code: str) -> list[tuple[str, Located]]:
        """``(language, file)`` of each layer for ``code``'s language chain, root first."""
        return _layers(cls, code)  # type: ignore[arg-type]  # mypy does not see a class object as Hashable

    @classmethod
    def items(cls, code: str, key: str) -> list[tuple[dict[str, Any] | str, Located | None, tuple[Any, ...]]]:
        """Every item under ``key``: the declaration's own, then each layer's, with where it
        stands (no file for the own items of a rule built in place, not registered)."""
        out: list[tuple[Any, Located | None, tuple[Any, ...]]] = []
        own = cls.spec.get(key) or []
        doc = _DECLARATIONS.get(cls.where)
        for i, item in enumerate(own):
            out.append((item, doc, (key, i)))
        for _lang, layer in cls.layers(code):
            for i, item in enumerate(layer.data.get(key) or []):
                out.append((item, layer, (key, i)))
        return out


#: Declaration files read so far, by label (for line numbers of their items).
_DECLARATIONS: dict[str, Located] = {}


@functools.cache
def _layers(cls: type[DataRule], code: str) -> list[tuple[str, Located]]:
    from ..languages import get_language

    name = cls.spec.get("data")
    if not name or cls.root is None:
        return []
    out = []
    for lang in reversed(get_language(code).chain()):
        node = cls.root.joinpath(lang).joinpath(f"{name}.yaml")
        if node.is_file():
            doc = read(node, f"{_label(cls.root)}/{lang}/{name}.yaml")
            if doc.data is None:
                continue
            check(doc, layer_schema(cls.spec["type"]), regexes=False)
            out.append((lang, doc))
    return out


def _label(root: Node) -> str:
    from ..resources import corpus

    bundled = str(corpus("rules"))
    return "corpora/rules" if str(root) == bundled else str(root)


def make_rule(doc: Located) -> type[DataRule]:
    """The rule class for a validated declaration."""
    raw = doc.data
    module = importlib.import_module(f"{__name__}.{TYPES[raw['type']]}")
    base: type[DataRule] = module.RULE
    category = Category(raw["category"])
    sources = raw.get("source_languages")
    attrs: dict[str, Any] = {
        "id": raw["id"], "category": category,
        "severity": Severity.parse(raw.get("severity", "warning")),
        "fix": FixSafety(raw.get("fix", base.fix.value)),
        # A house-style rule has no default MQM type of its category: MQM's own name for it.
        "mqm": raw.get("mqm") or MQM_BY_CATEGORY.get(category, "Style/Organizational style"),
        "languages": frozenset(raw["languages"]) if raw.get("languages") else None,
        # A consistency rule compares places across the text, a pair rule the source: document
        # scope, always.
        "scope": "document" if raw["type"] in ("consistency", "pair") else raw.get("scope", base.scope),
        "description": raw.get("description") or f"{raw['type']} rule from {doc.where}",
        "spec": raw, "where": doc.where,
        "source_languages": frozenset(sources) if sources else None,
        # A rule whose data is keyed by the source language is about what it left behind.
        "needs_source_lang": bool(sources) or "{source}" in (raw.get("data") or ""),
        # ``mtnorm rules RULE`` tells why from the docstring: the file's opening comment.
        "__doc__": _opening_comment(doc.text) or raw.get("description")
        or f"A {raw['type']} rule declared in {doc.where}.",
        "__module__": module.__name__,
    }
    if raw.get("options"):
        attrs["options"] = dict(raw["options"])
    files = [doc.where[len("corpora/"):]] if doc.where.startswith("corpora/") else []
    if raw.get("data") and files:  # bundled layers (a user folder's are named by the folder)
        files.append(f"rules/<lang>/{raw['data'].replace('{source}', '<source>')}.yaml")
    attrs["data_files"] = tuple(files)
    name = "".join(p.title() for p in re.split(r"[._]", raw["id"]))
    return type(name, (base,), attrs)


def _opening_comment(text: str) -> str:
    lines = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        lines.append(line[1:].strip())
    return "\n".join(lines).strip()


def declaration_files() -> list[tuple[Node, str, Node]]:
    """``(file, label, root)`` of every rule file: the bundled ones, then ``MTNORM_RULES_PATH``'s."""
    from ..resources import corpus

    out: list[tuple[Node, str, Node]] = []
    bundled = corpus("rules")
    for node in sorted(bundled.iterdir(), key=lambda n: n.name):
        if node.name.endswith(".yaml") and node.is_file():
            out.append((node, f"corpora/rules/{node.name}", bundled))
    for folder in filter(None, os.environ.get(ENV, "").split(os.pathsep)):
        path = Path(folder)
        if not path.is_dir():
            raise DataError(f"{ENV}: {folder!r} is not a folder")
        for file in sorted([*path.glob("*.yaml"), *path.glob("*.yml")]):
            out.append((file, str(file), path))
    return out


def register_all(register: Callable[[type[Rule]], Any], known: Callable[[str], bool]) -> list[type[DataRule]]:
    """Read every rule file and register its rule; a duplicate id names both places."""
    made = []
    for node, where, root in declaration_files():
        doc = read_declaration(node, where)
        if known(doc.data["id"]):
            raise DataError(f"{doc.at(('id',))}: rule id {doc.data['id']!r} is taken by another rule")
        _DECLARATIONS[where] = doc
        cls = make_rule(doc)
        cls.root = root
        register(cls)
        made.append(cls)
    return made


def template(text: str, fields: dict[str, Any], where: str) -> str:
    """``text`` with ``{field}`` filled in; an unknown field is a data error, not a crash."""
    try:
        return text.format(**fields)
    except (KeyError, IndexError, ValueError) as exc:
        raise DataError(f"{where}: message template {text!r}: unknown or bad field {exc}") from None
