"""House styles: which spelling of each place a newsroom prefers, and rule severities.

Styles are YAML files in ``corpora/styles/``. A style may inherit from
another (``ap`` inherits ``default-en``); the default style of a language is
``default-<lang>``, whose preferences come from the gazetteer's ``preferred``
names, and ``default`` names it for whatever the document's language is.

A style is written for its ``lang``; a newsroom that writes in several
languages (AFP: French, English, ...) adds a section per other language under
``languages:``, each with its own ``inherits``, ``prefer`` and ``severity``.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from .errors import DataError, UsageError
from .findings import Severity
from .resources import corpus, load_yaml

#: ``--style default``: the default style of the document's language.
DEFAULT = "default"


@dataclass(frozen=True)
class Style:
    """A resolved house style (inheritance already applied)."""

    name: str
    lang: str
    description: str = ""
    prefer: dict[str, str] = field(default_factory=dict)
    severity: dict[str, Severity] = field(default_factory=dict)
    chain: tuple[str, ...] = ()
    #: Terms the style rejects, ``(term, replacement or None)``, reported by
    #: ``terms.rejected`` with the configuration's (``reject:`` in the style file).
    reject: tuple[tuple[str, str | None], ...] = ()


def default_style_name(lang: str) -> str:
    """``default-fr`` for ``fr`` and ``fr-CH``."""
    return f"default-{lang.split('-')[0].lower()}"


def available_styles() -> list[str]:
    """Names of the bundled styles."""
    return sorted(p.name[:-5] for p in corpus("styles").iterdir() if p.name.endswith(".yaml"))


def is_style_name(name: str) -> bool:
    """Whether ``name`` names a style (a bundled one, or ``default``)."""
    return name == DEFAULT or name in available_styles()


def style_languages(name: str) -> tuple[str, ...]:
    """The languages a bundled style is written for, its own ``lang`` first (() if unknown)."""
    raw = load_yaml("styles", f"{name}.yaml")
    if raw is None:
        return ()
    own = str(raw.get("lang") or (name[len("default-"):] if name.startswith("default-") else "en"))
    return (own, *(str(k) for k in (raw.get("languages") or {}) if str(k) != own))


def _section(raw: dict[str, Any], name: str, family: str) -> dict[str, Any]:
    """The part of a style's YAML that applies to documents in ``family``."""
    langs = style_languages(name)
    if family not in langs:
        shown = " and ".join(repr(l) for l in langs)
        raise UsageError(f"style {name!r} is for {shown} documents, not {family!r}")
    if family == langs[0]:
        return raw
    section = (raw.get("languages") or {}).get(family) or {}
    if not isinstance(section, dict):
        raise DataError(f"corpora/styles/{name}.yaml: languages.{family} must be a mapping")
    # Another language's section inherits that language's default unless it says otherwise.
    return {"inherits": default_style_name(family), **section,
            "description": section.get("description", raw.get("description", ""))}


@functools.cache
def load_style(name: str | None, lang: str) -> Style:
    """Load style ``name`` (default: the language's default) for documents in ``lang``."""
    family = lang.split("-")[0].lower()
    if not name or name == DEFAULT:
        name = default_style_name(family)
        if load_yaml("styles", f"{name}.yaml") is None:
            return Style(name=name, lang=family, description="no house style")
    raw = load_yaml("styles", f"{name}.yaml")
    if raw is None:
        raise UsageError(f"unknown style {name!r} (available: {DEFAULT}, "
                         f"{', '.join(available_styles())})")
    raw = _section(raw, name, family)
    parent = raw.get("inherits")
    base = load_style(parent, lang) if parent else Style(name="", lang=family)
    prefer = dict(base.prefer)
    prefer.update({str(k): str(v) for k, v in (raw.get("prefer") or {}).items()})
    severity = dict(base.severity)
    try:
        severity.update({str(k): Severity.parse(v) for k, v in (raw.get("severity") or {}).items()})
    except ValueError as exc:
        raise DataError(f"corpora/styles/{name}.yaml: {exc}") from None
    reject = dict(base.reject)
    own = raw.get("reject") or {}
    if isinstance(own, list):  # an array of terms: reported only
        own = dict.fromkeys(own)
    if not isinstance(own, dict):
        raise DataError(f"corpora/styles/{name}.yaml: reject must be a table term: replacement "
                        "or a list of terms")
    reject.update({str(k): None if v is None else str(v) for k, v in own.items()})
    terms = tuple(reject.items())
    if own:
        from .rules.terms.rejected import validate_reject

        try:
            validate_reject(terms)
        except ValueError as exc:
            raise DataError(f"corpora/styles/{name}.yaml: reject: {exc}") from None
    return Style(name=name, lang=family, description=str(raw.get("description", "")),
                 prefer=prefer, severity=severity, chain=(name, *base.chain), reject=terms)
