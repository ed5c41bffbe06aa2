"""Output formats, one module each, looked up by name (no if/elif chain in the CLI)."""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, TextIO

from ..errors import UsageError

if TYPE_CHECKING:
    from .base import Formatter

#: format name -> "module:class", imported only when chosen.
FORMATTERS: dict[str, str] = {
    "text": "text:TextFormatter",
    "json": "json:JsonFormatter",
    "github": "github:GithubFormatter",
    "sarif": "sarif:SarifFormatter",
    "junit": "junit:JunitFormatter",
}


def get_formatter(name: str, stream: TextIO, *, color: bool = False) -> Formatter:
    try:
        target = FORMATTERS[name]
    except KeyError:
        raise UsageError(f"unknown format {name!r} (choose from: {', '.join(FORMATTERS)})") from None
    module_name, cls_name = target.split(":")
    module = importlib.import_module(f"{__name__}.{module_name}")
    return getattr(module, cls_name)(stream, color=color)
