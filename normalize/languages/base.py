"""Languages as data: ``corpora/languages/<code>.yaml`` and the lookup by code.

Each file states facts about one language (quotation marks, cut markers,
spacing before punctuation, script, number format, parent). A key a file
leaves out is inherited from its parent, down to ``und``, which states every
key. Files are checked against ``corpora/languages/_schema.json`` by
:func:`validate`, a small JSON Schema validator (``jsonschema`` is only a test
dependency), so a wrong key fails with a :class:`~normalize.errors.DataError`
naming the file and the key.
"""
from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import DataError, UsageError
from ..resources import corpus, load_yaml, parse_yaml_cached

#: A language file's name: the ISO 639 code and ``.yaml``; ``_``-files are not languages.
_CODE_FILE = re.compile(r"^([a-z]{2,3})\.yaml$")
#: Where the bundled files live, as messages name them.
_BUNDLED = "corpora/languages"

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

    Root = Traversable | Path


class Language:
    """Facts about a language that rules use, read from its data file.

    Rule data (debris patterns, article lists, exceptions) is read from
    ``corpora/rules/<code>/<name>.yaml`` and merged down the parent chain by
    :meth:`data`.
    """

    code: str
    name: str
    parent: str | None
    #: The script the language is written in ("Latin", "Cyrillic"), or None.
    script: str | None
    #: Opening and closing quotation marks used in this language's copy.
    quotes: tuple[str, str]
    #: Quotation marks that betray another language's typography here.
    foreign_quotes: tuple[tuple[str, str], ...]
    #: How an editor marks a cut inside a quote, and marks that are foreign here.
    cut_marker: str
    foreign_cut_markers: tuple[str, ...]
    #: German capitalises every noun, so a capital letter says nothing about names.
    capitalises_nouns: bool
    #: Punctuation preceded by a (narrow) no-break space, as in French.
    spaced_punctuation: str
    #: The decimal separator, or None where the language has no single convention (und).
    decimal_separator: str | None
    #: Characters that group thousands.
    group_separators: tuple[str, ...]

    def __init__(self, facts: dict[str, Any]) -> None:
        """A language from its resolved facts (every key of the schema, inheritance applied)."""
        self.code = facts["code"]
        self.name = facts["name"]
        self.parent = facts["parent"]
        self.script = facts["script"]
        # Tuples: rules cache compiled patterns keyed by these values.
        self.quotes = (facts["quotes"][0], facts["quotes"][1])
        self.foreign_quotes = tuple((o, c) for o, c in facts["foreign_quotes"])
        self.cut_marker = facts["cut_marker"]
        self.foreign_cut_markers = tuple(facts["foreign_cut_markers"])
        self.capitalises_nouns = facts["capitalises_nouns"]
        self.spaced_punctuation = facts["spaced_punctuation"]
        numbers = facts["numbers"] or {}
        self.decimal_separator = numbers.get("decimal")
        self.group_separators = tuple(numbers.get("group") or ())

    @functools.cached_property
    def family(self) -> str:
        """The base language code without region (``fr`` for ``fr-CH``).

        Cached: every rule's ``applies_to`` asks, for every document."""
        return self.code.split("-")[0]

    def chain(self) -> list[str]:
        """This language's code and its ancestors', most specific first."""
        out = [self.code]
        parent = self.parent
        while parent:
            out.append(parent)
            parent = get_language(parent).parent
        return out

    def data(self, name: str) -> dict[str, Any]:
        """Merged rule data ``name`` for this language (child keys win).

        Lists under the same key are concatenated (parent first), so a child
        adds patterns instead of repeating its parent's. Facts that belong to
        the language file are filled in from it (see :data:`FACTS_IN_DATA`).
        """
        return _merged_data(self.code, name)

    def __repr__(self) -> str:
        return f"<Language {self.code}>"


#: Rule data keys whose values are language facts: ``data(name)[key]`` is the
#: fact, so the rule files need not (and must not) repeat it.
FACTS_IN_DATA: dict[str, dict[str, str]] = {
    "numbers": {"decimal": "decimal_separator", "group": "group_separators"},
    "untranslated": {"script": "script", "capitalises_nouns": "capitalises_nouns"},
}


@functools.cache
def _merged_data(code: str, name: str) -> dict[str, Any]:
    lang = get_language(code)
    merged: dict[str, Any] = {}
    for ancestor in reversed(lang.chain()):
        layer = load_yaml("rules", ancestor, f"{name}.yaml") or {}
        for key, value in layer.items():
            if isinstance(value, list) and isinstance(merged.get(key), list):
                merged[key] = merged[key] + value
            else:
                merged[key] = value
    if name == "numbers" and lang.decimal_separator is None:
        return merged  # no number format (und): the number rules treat the language as unknown
    for key, attr in FACTS_IN_DATA.get(name, {}).items():
        value = getattr(lang, attr)
        merged[key] = list(value) if isinstance(value, tuple) else value
    return merged


# -- validation ------------------------------------------------------------------------------
_TYPES: dict[str, Any] = {
    "object": dict, "array": list, "string": str, "null": type(None),
    "boolean": bool, "integer": int, "number": (int, float),
}


def _is(value: Any, kind: str) -> bool:
    if kind in ("integer", "number") and isinstance(value, bool):
        return False  # YAML's true is not the number 1 here
    return isinstance(value, _TYPES[kind])


def _where(path: tuple[str | int, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def _at(error: DataError, path: tuple[str | int, ...]) -> DataError:
    # The key path rides along so a caller holding the YAML nodes can name the line.
    error.path = path  # type: ignore[attr-defined]
    return error


def validate(instance: Any, schema: dict[str, Any], *, where: str,
             _root: dict[str, Any] | None = None, _path: tuple[str | int, ...] = ()) -> None:
    """Check ``instance`` against ``schema``; raise :class:`DataError` naming ``where`` and the key.

    The subset of JSON Schema the language schema uses: ``type``, ``enum``,
    ``properties``, ``required``, ``additionalProperties``, ``items``,
    ``minItems``/``maxItems``, ``minLength``/``maxLength``, ``pattern`` and
    local ``$ref`` (``#/$defs/...``). As in JSON Schema, a keyword about
    strings says nothing about a value that is not a string.
    """
    root = schema if _root is None else _root

    def fail(message: str) -> DataError:
        key = _where(_path)
        return _at(DataError(f"{where}: {'key ' + repr(key) + ': ' if key else ''}{message}"), _path)

    if "$ref" in schema:
        ref = schema["$ref"]
        if not ref.startswith("#/$defs/"):
            raise DataError(f"schema: unsupported $ref {ref!r}")
        schema = {**root["$defs"][ref[len("#/$defs/"):]], **{k: v for k, v in schema.items() if k != "$ref"}}
    kinds = schema.get("type")
    if kinds is not None:
        kinds = [kinds] if isinstance(kinds, str) else kinds
        if not any(_is(instance, k) for k in kinds):
            raise fail(f"expected {' or '.join(kinds)}, found {type(instance).__name__} {instance!r}")
    if "enum" in schema and instance not in schema["enum"]:
        raise fail(f"{instance!r} is not one of {schema['enum']!r}")
    if isinstance(instance, str):
        if len(instance) < schema.get("minLength", 0):
            raise fail(f"{instance!r} is shorter than {schema['minLength']} character(s)")
        if "maxLength" in schema and len(instance) > schema["maxLength"]:
            raise fail(f"{instance!r} is longer than {schema['maxLength']} character(s)")
        if "pattern" in schema and not re.search(schema["pattern"], instance):
            raise fail(f"{instance!r} does not match {schema['pattern']!r}")
    elif isinstance(instance, list):
        if len(instance) < schema.get("minItems", 0):
            raise fail(f"expected at least {schema['minItems']} item(s), found {len(instance)}")
        if "maxItems" in schema and len(instance) > schema["maxItems"]:
            raise fail(f"expected at most {schema['maxItems']} item(s), found {len(instance)}")
        if "items" in schema:
            for i, item in enumerate(instance):
                validate(item, schema["items"], where=where, _root=root, _path=(*_path, i))
    elif isinstance(instance, dict):
        for key in schema.get("required", ()):
            if key not in instance:
                raise _at(DataError(f"{where}: missing key {_where((*_path, key))!r}"), _path)
        props = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        for key, value in instance.items():
            if key in props:
                validate(value, props[key], where=where, _root=root, _path=(*_path, key))
            elif extra is False:
                raise _at(DataError(f"{where}: unknown key {_where((*_path, str(key)))!r} "
                                    f"(known keys: {', '.join(props)})"), (*_path, key))
            elif isinstance(extra, dict):
                validate(value, extra, where=where, _root=root, _path=(*_path, str(key)))


@functools.lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    """The JSON Schema of a language file (``corpora/languages/_schema.json``)."""
    result: dict[str, Any] = json.loads(_bundled().joinpath("_schema.json").read_text(encoding="utf-8"))
    return result


# -- loading ---------------------------------------------------------------------------------
@functools.lru_cache(maxsize=1)
def _bundled() -> Traversable:
    # Cached: importlib.resources takes most of a millisecond to find the package.
    return corpus("languages")


def _label(root: Root | None, filename: str) -> str:
    return f"{_BUNDLED}/{filename}" if root is None else str(Path(str(root)) / filename)


def read_language_file(root: Root | None, code: str) -> dict[str, Any] | None:
    """The validated contents of ``<root>/<code>.yaml`` (bundled files when ``root`` is None);
    None when there is no such file."""
    node = (_bundled() if root is None else root).joinpath(f"{code}.yaml")
    if not node.is_file():
        return None
    where = _label(root, f"{code}.yaml")
    # Parsed once, then read back from the cache (PyYAML is not even imported then).
    raw = parse_yaml_cached(node.read_text(encoding="utf-8"), where, str(node))
    validate(raw, schema(), where=where)
    if raw["code"] != code:
        raise DataError(f"{where}: key 'code': {raw['code']!r} does not match the file name")
    if (raw["parent"] is None) != (code == "und"):
        raise DataError(f"{where}: key 'parent': " + (
            "und is the root and has no parent" if code == "und" else "only und has no parent (write: parent: und)"))
    return raw


def resolve(root: Root | None, code: str, _seen: tuple[str, ...] = ()) -> dict[str, Any] | None:
    """The facts of language ``code`` with its parents' filled in (None: no such file)."""
    raw = read_language_file(root, code)
    if raw is None:
        return None
    if raw["parent"] is None:
        missing = [k for k in schema()["properties"] if k not in raw]
        if missing:
            raise DataError(f"{_label(root, code + '.yaml')}: the root language must state every key; "
                            f"missing {', '.join(missing)}")
        return raw
    if raw["parent"] in (*_seen, code):
        raise DataError(f"{_label(root, code + '.yaml')}: key 'parent': {raw['parent']!r} makes a cycle")
    parent = resolve(root, raw["parent"], (*_seen, code))
    if parent is None:
        raise DataError(f"{_label(root, code + '.yaml')}: key 'parent': no language file "
                        f"{raw['parent']}.yaml")
    return {**parent, **raw}


def language_codes(root: Root | None = None) -> list[str]:
    """Codes of the language files under ``root`` (the bundled ones when None), und included."""
    base = _bundled() if root is None else root
    return sorted(m.group(1) for node in base.iterdir() if (m := _CODE_FILE.match(node.name)))


def load_languages(root: Root | None = None) -> dict[str, dict[str, Any]]:
    """Every language file under ``root``, validated and resolved: code -> facts."""
    return {code: resolve(root, code) or {} for code in language_codes(root)}


@functools.lru_cache(maxsize=1)
def _codes() -> frozenset[str]:
    return frozenset(language_codes())


def known_languages() -> list[str]:
    """Language codes with built-in support (a file under ``corpora/languages/``)."""
    return sorted(c for c in _codes() if c != "und")


@functools.cache
def get_language(code: str) -> Language:
    """The :class:`Language` for a BCP-47 code such as ``en``, ``fr-CH`` or ``ru``.

    An unknown region falls back to its language (``en-AU`` behaves as ``en``).
    """
    norm = code.replace("_", "-").strip()
    base = norm.split("-")[0].lower()
    if base not in _codes():
        raise UsageError(f"unsupported language {code!r} (supported: {', '.join(known_languages())})")
    return Language(_bundled_facts(base))


@functools.cache
def _bundled_facts(code: str) -> dict[str, Any]:
    facts = resolve(None, code)
    if facts is None:  # listed a moment ago, gone now
        raise DataError(f"{_label(None, code + '.yaml')}: the file disappeared")
    return facts
