"""The model registry (``models/registry.yaml``): which model translates which pair.

A :class:`ModelEntry` names a Hugging Face repository, the model family (which
decides how language codes reach the model) and the languages it covers:
``pairs`` for a bilingual OPUS-MT model, the family's code table for a
multilingual M2M100 or NLLB model. :func:`candidates` lists the entries that
can translate a pair, bilingual ones first, then multilingual fallbacks in
registry order. Nothing here imports torch or transformers.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..errors import DataError, UsageError
from ..resources import models_dir

REGISTRY_FILE = "registry.yaml"

#: Families and what they need: Marian models are bilingual (no codes); M2M100
#: and NLLB are told the source language and forced to start with the target's.
FAMILIES = ("marian", "m2m100", "nllb")


def base_lang(code: str) -> str:
    """mtnorm's language code reduced to the registry's: ``fr-CH`` -> ``fr``."""
    return code.strip().replace("_", "-").split("-")[0].lower()


@dataclass(frozen=True)
class ModelEntry:
    """One registered model."""

    name: str
    repo: str
    family: str
    pairs: tuple[tuple[str, str], ...] = ()
    codes: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    size: str = ""
    license: str = ""

    @property
    def multilingual(self) -> bool:
        return not self.pairs

    def supports(self, source: str, target: str) -> bool:
        source, target = base_lang(source), base_lang(target)
        if self.pairs:
            return (source, target) in self.pairs
        return source in self.codes and target in self.codes and source != target

    def code(self, lang: str) -> str | None:
        """The model's own code for ``lang`` (None for a bilingual model)."""
        if self.pairs:
            return None
        return self.codes.get(base_lang(lang))

    def languages(self) -> str:
        """Short description of what it covers, for listings."""
        if self.pairs:
            return ", ".join(f"{s}-{t}" for s, t in self.pairs)
        return f"{len(self.codes)} languages ({', '.join(sorted(self.codes))})"


@dataclass(frozen=True)
class Registry:
    entries: tuple[ModelEntry, ...]
    family_codes: dict[str, dict[str, str]] = field(default_factory=dict, compare=False,
                                                    hash=False)

    def get(self, name: str) -> ModelEntry | None:
        """The entry called ``name``, or whose repository id is ``name``."""
        for entry in self.entries:
            if name in (entry.name, entry.repo):
                return entry
        return None

    def candidates(self, source: str, target: str) -> list[ModelEntry]:
        """Entries that translate ``source`` into ``target``: bilingual first."""
        fitting = [e for e in self.entries if e.supports(source, target)]
        return [e for e in fitting if not e.multilingual] + [e for e in fitting if e.multilingual]

    def codes_for(self, family: str) -> dict[str, str]:
        return dict(self.family_codes.get(family, {}))


def _pair(value: Any, where: str) -> tuple[str, str]:
    parts = str(value).split("-")
    if len(parts) != 2 or not all(parts):
        raise DataError(f"{where}: pair {value!r} is not SOURCE-TARGET (e.g. fr-en)")
    return base_lang(parts[0]), base_lang(parts[1])


def parse_registry(data: Any, where: str = f"models/{REGISTRY_FILE}") -> Registry:
    """Check and convert the parsed YAML document."""
    if not isinstance(data, dict) or not isinstance(data.get("models"), list):
        raise DataError(f"{where}: expected a mapping with a 'models' list")
    families = data.get("families") or {}
    family_codes = {name: {str(k): str(v) for k, v in (spec or {}).get("codes", {}).items()}
                    for name, spec in families.items()}
    entries = []
    seen: set[str] = set()
    for i, item in enumerate(data["models"], 1):
        here = f"{where}: model {i}"
        if not isinstance(item, dict) or not item.get("name") or not item.get("repo"):
            raise DataError(f"{here}: needs 'name' and 'repo'")
        name, family = str(item["name"]), str(item.get("family", ""))
        if family not in FAMILIES:
            raise DataError(f"{here} ({name}): family {family!r} is not one of "
                            f"{', '.join(FAMILIES)}")
        if name in seen:
            raise DataError(f"{here}: duplicate name {name!r}")
        seen.add(name)
        pairs = tuple(_pair(p, f"{here} ({name})") for p in item.get("pairs") or ())
        codes = {str(k): str(v) for k, v in (item.get("languages") or {}).items()}
        if not pairs:
            if family == "marian":
                raise DataError(f"{here} ({name}): a marian model needs 'pairs'")
            codes = codes or family_codes.get(family, {})
            if not codes:
                raise DataError(f"{here} ({name}): no language codes for family {family!r}")
        entries.append(ModelEntry(name=name, repo=str(item["repo"]), family=family, pairs=pairs,
                                  codes=codes, size=str(item.get("size", "")),
                                  license=str(item.get("license", ""))))
    return Registry(tuple(entries), family_codes)


@functools.lru_cache(maxsize=1)
def load_registry() -> Registry:
    """The bundled registry (parsed once)."""
    node = models_dir(REGISTRY_FILE)
    if not node.is_file():
        raise DataError(f"models/{REGISTRY_FILE} is missing from this installation")
    try:
        data = yaml.safe_load(node.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise DataError(f"models/{REGISTRY_FILE}: {exc}") from None
    return parse_registry(data)


def entry_named(name: str) -> ModelEntry:
    """The registry entry ``name`` (or repository id), with a helpful error."""
    registry = load_registry()
    entry = registry.get(name)
    if entry is None:
        raise UsageError(f"no model called {name!r} in the registry (see 'mtnorm models list')")
    return entry
