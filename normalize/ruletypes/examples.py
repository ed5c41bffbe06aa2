"""Every data rule file and every example in it, for the tests and for rule authors.

:func:`rule_files` lists the declarations and the per-language layers they
read (``<lang>/debris.yaml``, ``<target>/calques/<source>.yaml``);
:func:`examples` yields each example of each file with the settings it runs
under: the language of its layer (``en`` for ``und``), the source language of
a calque file (each language including a shared file such as
``common.yaml``), or the ``lang``/``source_lang`` its ``examples`` give.
An entry's ``fail`` example must be reported by that entry (the entry's id is
among the finding's data), its ``pass`` example not; a group's (file's)
examples are judged on the rule as a whole. ``fixed`` pairs are ``[text,
text after mtnorm fix --select RULE]`` (``--unsafe`` when the rule's fix is unsafe). A
``pair`` rule's examples are mappings ``{source, text}`` (and ``fixed``), run with the source;
a token class's examples are judged by its ``kind``.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from . import (
    DataRule,
    Located,
    check,
    declaration_files,
    layer_schema,
    read,
    read_declaration,
)


@dataclass(frozen=True)
class RuleFile:
    """A declaration (``layer`` None) or one of its per-language layers."""

    rule: type[DataRule]
    doc: Located
    #: The language of a layer (its folder), and the source language of a ``{source}`` file.
    lang: str | None = None
    source: str | None = None
    #: For a file only included by others: the source languages of the files including it.
    included_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class Example:
    rule: str
    kind: str                 # "fail", "pass" or "fixed"
    text: str
    fixed: str | None
    lang: str
    source_lang: str | None
    entry: str | None         # the entry that must (not) report it; None: the rule as a whole
    where: str                # file:line
    unsafe: bool
    source: str | None = None  # the source segment(s) of a ``pair`` rule's example


def rule_files() -> list[RuleFile]:
    """Every bundled and user rule file, validated (a bad one raises DataError)."""
    from ..registry import get_rule

    out: list[RuleFile] = []
    for node, where, root in declaration_files():
        doc = read_declaration(node, where)
        rule = get_rule(doc.data["id"])
        assert issubclass(rule, DataRule)
        out.append(RuleFile(rule, doc))
        name = doc.data.get("data")
        if not name:
            continue
        folder, _, stem = name.rpartition("/")
        for lang_dir in sorted((d for d in root.iterdir() if d.is_dir()), key=lambda d: d.name):
            base = lang_dir
            for part in filter(None, folder.split("/")):
                base = base.joinpath(part)
            if not base.is_dir():
                continue
            if "{source}" in stem:
                files = sorted((f for f in base.iterdir() if f.name.endswith(".yaml")), key=lambda f: f.name)
            else:
                files = [f for f in [base.joinpath(f"{stem}.yaml")] if f.is_file()]
            layers = []
            for f in files:
                label = f"{where.rsplit('/', 1)[0]}/{lang_dir.name}/{folder + '/' if folder else ''}{f.name}"
                layer = read(f, label)
                if layer.data is not None:
                    check(layer, layer_schema(doc.data["type"]))
                    layers.append((f.name[:-5], layer))
            includes: dict[str, list[str]] = {}
            for src, layer in layers:
                for other in layer.data.get("include") or []:
                    includes.setdefault(other, []).append(src)
            for src, layer in layers:
                if layer.data is None:
                    continue
                source = src if "{source}" in stem else None
                by = tuple(includes.get(src, ())) if source else ()
                # A file that is only included (common.yaml) runs under the languages including it.
                if source and by and not re.fullmatch(r"[a-z]{2,3}", src):
                    out.append(RuleFile(rule, layer, lang_dir.name, None, by))
                else:
                    out.append(RuleFile(rule, layer, lang_dir.name, source))
    return out


def _settings(file: RuleFile, block: dict[str, Any]) -> list[tuple[str, str | None]]:
    spec = file.rule.spec
    lang = block.get("lang") or (None if file.lang in (None, "und") else file.lang) \
        or (spec.get("languages") or ["en"])[0]
    if block.get("source_lang"):
        return [(lang, block["source_lang"])]
    if file.included_by:
        return [(lang, s) for s in file.included_by]
    if file.source:
        return [(lang, file.source)]
    sources = spec.get("source_languages")
    return [(lang, sources[0] if sources else None)]


def _from_block(file: RuleFile, block: dict[str, Any], path: tuple[Any, ...], entry: str | None
                ) -> Iterator[Example]:
    unsafe = file.rule.fix.value == "unsafe"
    for lang, source in _settings(file, block):
        for kind in ("fail", "pass", "fixed"):
            for i, item in enumerate(block.get(kind) or []):
                if isinstance(item, dict):  # a pair rule's {source, text, fixed}
                    text, fixed, segment = item["text"], item.get("fixed"), item["source"]
                else:
                    (text, fixed), segment = ((item[0], item[1]) if kind == "fixed" else (item, None)), None
                yield Example(file.rule.id, kind, text, fixed, lang, source, entry,
                              file.doc.at((*path, kind, i)), unsafe, segment)


def examples(files: list[RuleFile] | None = None) -> Iterator[Example]:
    """Every example of every rule file."""
    for file in rule_files() if files is None else files:
        data = file.doc.data or {}
        if data.get("examples"):
            yield from _from_block(file, data["examples"], ("examples",), None)
        for key in ("patterns", "groups", "tokens"):
            for i, entry in enumerate(data.get(key) or []):
                if not isinstance(entry, dict):
                    continue
                entry_id = entry.get("id", entry.get("kind"))
                if entry.get("example"):
                    yield from _from_block(file, {"fail": [entry["example"]]}, (key, i, "example"), entry_id)
                if entry.get("examples"):
                    yield from _from_block(file, entry["examples"], (key, i, "examples"), entry_id)
