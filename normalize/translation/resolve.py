"""Choosing the model for a language pair, and reading what kind of model a directory holds.

:func:`resolve` turns ``(source, target, --model)`` into a :class:`ResolvedModel`:
a local directory, its family and the language codes to pass. Only small JSON
files are read; torch and transformers are not imported.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import UsageError
from .errors import ModelNotFoundError
from .registry import ModelEntry, base_lang, load_registry
from .store import (
    LocalModel,
    check_model_path,
    find_local,
    hf_cache_dir,
    how_to_get,
    store_dir,
)


@dataclass(frozen=True)
class ResolvedModel:
    """A model ready to load: where it is, its family and the codes of the pair."""

    path: Path
    family: str
    source: str
    target: str
    #: The model's own codes for source and target (None for Marian).
    source_code: str | None = None
    target_code: str | None = None
    #: Registry name, or the directory name for --model PATH.
    label: str = ""
    origin: str = "path"
    #: Something the user should know (shown as a warning), e.g. a pair mismatch.
    warning: str | None = None

    @property
    def multilingual(self) -> bool:
        return self.family in ("m2m100", "nllb")


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise UsageError(f"{path}: cannot read it as JSON ({exc})") from None
    return data if isinstance(data, dict) else {}


def detect_family(path: Path) -> str:
    """``marian``, ``m2m100`` or ``nllb``, from config.json and tokenizer_config.json."""
    model_type = str(_read_json(path / "config.json").get("model_type", ""))
    if model_type == "marian":
        return "marian"
    if model_type == "m2m_100":
        tokenizer_class = str(_read_json(path / "tokenizer_config.json").get("tokenizer_class", ""))
        return "nllb" if tokenizer_class.lower().startswith("nllb") else "m2m100"
    raise UsageError(f"{path}: model type {model_type or 'unknown'!r} is not supported "
                     "(mtnorm translates with Marian/OPUS-MT, M2M100 and NLLB models)")


def _with_codes(local: LocalModel, family: str, source: str, target: str,
                entry: ModelEntry | None) -> ResolvedModel:
    label = entry.name if entry is not None else local.path.name
    if family == "marian":
        warning = None
        tok = _read_json(local.path / "tokenizer_config.json")
        declared_source, declared_target = tok.get("source_lang"), tok.get("target_lang")
        if isinstance(declared_source, str) and declared_source and \
                isinstance(declared_target, str) and declared_target and \
                (base_lang(declared_source), base_lang(declared_target)) != (base_lang(source),
                                                                             base_lang(target)):
            warning = (f"model {label} declares the pair {declared_source}-{declared_target}, "
                       f"not {source}-{target}")
        return ResolvedModel(local.path, family, source, target, label=label,
                             origin=local.origin, warning=warning)
    codes = entry.codes if entry is not None and entry.codes else \
        load_registry().codes_for(family)
    missing = [lang for lang in (source, target) if base_lang(lang) not in codes]
    if missing:
        raise UsageError(f"model {label} ({family}): no language code for "
                         f"{', '.join(repr(m) for m in missing)} in models/registry.yaml "
                         f"(known: {', '.join(sorted(codes))})")
    return ResolvedModel(local.path, family, source, target, codes[base_lang(source)],
                         codes[base_lang(target)], label=label, origin=local.origin)


def resolve(source: str, target: str, model: str | None = None, *,
            option: str = "--model") -> ResolvedModel:
    """The local model that translates ``source`` into ``target``.

    ``model`` is a directory (``--model PATH``) or a registry name; without
    it the registry's candidates for the pair are tried in order and the
    first one present on disk wins. Raises :class:`ModelNotFoundError` with
    the command that would get a missing model.
    """
    if base_lang(source) == base_lang(target):
        raise UsageError(f"source and target language are both {base_lang(source)!r}")
    registry = load_registry()
    if model is not None:
        path = Path(model).expanduser()
        entry = registry.get(model) if not path.exists() else None
        if entry is not None:
            local = find_local(entry)
            if local is None:
                raise ModelNotFoundError(f"{option} {model}: model {entry.name} is not on this "
                                         f"machine; {how_to_get(entry, option)}")
            return _with_codes(local, entry.family, source, target, entry)
        try:
            path = check_model_path(model)
        except UsageError as exc:
            raise ModelNotFoundError(str(exc).replace("--model", option, 1)) from None
        return _with_codes(LocalModel(path, "path"), detect_family(path), source, target, None)

    candidates = registry.candidates(source, target)
    if not candidates:
        raise ModelNotFoundError(
            f"no model in models/registry.yaml translates {source} into {target}: give "
            f"{option} PATH (a local Marian, M2M100 or NLLB model directory)")
    for entry in candidates:
        local = find_local(entry)
        if local is not None:
            return _with_codes(local, entry.family, source, target, entry)
    first = candidates[0]
    tried = ", ".join(e.name for e in candidates)
    raise ModelNotFoundError(
        f"no local model translates {source} into {target} (looked for {tried} in "
        f"{store_dir()} and in the Hugging Face cache {hf_cache_dir()}); "
        f"{how_to_get(first, option)}")
