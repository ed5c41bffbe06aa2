"""House styles: which spelling of each place a newsroom prefers, and rule severities.

Styles are YAML files in ``corpora/styles/``. A style may inherit from
another (``ap`` inherits ``default-en``); the default style of a language is
``default-<lang>``, whose preferences come from the gazetteer's ``preferred``
names.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field

from .errors import DataError, UsageError
from .findings import Severity
from .resources import corpus, load_yaml


@dataclass(frozen=True)
class Style:
    """A resolved house style (inheritance already applied)."""

    name: str
    lang: str
    description: str = ""
    prefer: dict[str, str] = field(default_factory=dict)
    severity: dict[str, Severity] = field(default_factory=dict)
    chain: tuple[str, ...] = ()


def default_style_name(lang: str) -> str:
    return f"default-{lang.split('-')[0].lower()}"


def available_styles() -> list[str]:
    """Names of the bundled styles."""
    return sorted(p.name[:-5] for p in corpus("styles").iterdir() if p.name.endswith(".yaml"))


@functools.lru_cache(maxsize=None)
def load_style(name: str | None, lang: str) -> Style:
    """Load style ``name`` (default: the language's default) for documents in ``lang``."""
    family = lang.split("-")[0].lower()
    if not name:
        name = default_style_name(family)
        if load_yaml("styles", f"{name}.yaml") is None:
            return Style(name=name, lang=family, description="no house style")
    raw = load_yaml("styles", f"{name}.yaml")
    if raw is None:
        raise UsageError(f"unknown style {name!r} (available: {', '.join(available_styles())})")
    style_lang = str(raw.get("lang", family))
    if style_lang != family:
        raise UsageError(f"style {name!r} is for {style_lang!r} documents, not {lang!r}")
    parent = raw.get("inherits")
    base = load_style(parent, lang) if parent else Style(name="", lang=family)
    prefer = dict(base.prefer)
    prefer.update({str(k): str(v) for k, v in (raw.get("prefer") or {}).items()})
    severity = dict(base.severity)
    try:
        severity.update({str(k): Severity.parse(v) for k, v in (raw.get("severity") or {}).items()})
    except ValueError as exc:
        raise DataError(f"corpora/styles/{name}.yaml: {exc}") from None
    return Style(name=name, lang=family, description=str(raw.get("description", "")),
                 prefer=prefer, severity=severity, chain=(name, *base.chain))
