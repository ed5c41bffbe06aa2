"""Neural re-translation and round-trip checks (``mtnorm retranslate``, ``mtnorm models``).

Translation runs a local Marian/OPUS-MT, M2M100 or NLLB model through
transformers. Those packages are the optional ``neural`` extra
(``pip install 'mtnorm[neural]'``) and are imported only when a model is
run: importing this package costs nothing more than the registry code.

API::

    from normalize.translation import translate, round_trip_findings
    english = translate(french_text, "fr", "en")                 # model from the registry
    english = translate(french_text, "fr", "en", model="path/to/opus-mt-fr-en")
    findings = round_trip_findings(english_text, "en", "fr")    # en -> fr -> en, chrF < 30

Models are found in the local store, the Hugging Face cache or at a given
path, and are never downloaded except by ``mtnorm models fetch`` (see
``models/README.md``).
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .errors import EXTRA_HINT, FetchError, ModelNotFoundError, NeuralExtraMissingError

if TYPE_CHECKING:  # pragma: no cover - typing only
    from .engine import TranslationOptions
    from .resolve import ResolvedModel, resolve
    from .roundtrip import (
        DEFAULT_THRESHOLD,
        RULE_ID,
        RoundTrip,
        Translation,
        findings_from,
        round_trip,
        round_trip_findings,
        translate,
        translate_document,
    )
    from .segment import Segment, join, split_segments

__all__ = [
    "DEFAULT_THRESHOLD",
    "EXTRA_HINT",
    "RULE_ID",
    "FetchError",
    "ModelNotFoundError",
    "NeuralExtraMissingError",
    "ResolvedModel",
    "RoundTrip",
    "Segment",
    "Translation",
    "TranslationOptions",
    "findings_from",
    "join",
    "resolve",
    "round_trip",
    "round_trip_findings",
    "split_segments",
    "translate",
    "translate_document",
]

_LAZY = {
    "translate": "roundtrip", "translate_document": "roundtrip", "round_trip": "roundtrip",
    "round_trip_findings": "roundtrip", "findings_from": "roundtrip",
    "Translation": "roundtrip", "RoundTrip": "roundtrip", "DEFAULT_THRESHOLD": "roundtrip",
    "RULE_ID": "roundtrip", "TranslationOptions": "engine", "resolve": "resolve",
    "ResolvedModel": "resolve", "split_segments": "segment", "join": "segment",
    "Segment": "segment",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
