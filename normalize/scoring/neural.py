"""COMET, the optional neural metric: never downloads, fails early and clearly.

COMET is not part of sacrebleu and needs ``unbabel-comet`` (the ``comet``
extra: ``pip install 'mtnorm[comet]'``) plus a model checkpoint already on
disk (``--comet-model PATH``). Both are checked before any scoring starts, so
a long run never dies at the end for want of a package. The import stays
inside the functions: importing torch costs seconds and most users never ask
for COMET.
"""
from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import UsageError

EXTRA_HINT = "pip install 'mtnorm[comet]'"


class MetricUnavailableError(UsageError):
    """A metric was asked for whose package or model is not installed."""


@dataclass(frozen=True)
class CometConfig:
    """Where the COMET checkpoint is, the source segments it needs, and how to run it."""

    model: str | None = None
    sources: Sequence[str] | None = None
    source_label: str = "sources"
    batch_size: int = 16
    gpus: int = 0


def require_comet(model: str | None) -> Path:
    """The checkpoint path, after checking that comet imports and the checkpoint exists.

    Raises :class:`MetricUnavailableError` naming the extra and the option.
    """
    try:
        import comet  # noqa: F401  (imported only to see that it is there)
    except ImportError:
        raise MetricUnavailableError(
            f"metric 'comet' needs the comet extra ({EXTRA_HINT}) and a downloaded model "
            "checkpoint given with --comet-model PATH; mtnorm never downloads models") from None
    if not model:
        raise MetricUnavailableError(
            "metric 'comet' needs a local model checkpoint: give --comet-model PATH "
            "(a .ckpt file, e.g. checkpoints/model.ckpt of Unbabel/wmt22-comet-da); "
            "mtnorm never downloads models")
    path = Path(model)
    if path.is_dir():
        # A downloaded Hugging Face snapshot keeps the weights in checkpoints/model.ckpt.
        path = path / "checkpoints" / "model.ckpt"
    if not path.is_file():
        raise MetricUnavailableError(
            f"--comet-model {model}: no such checkpoint file (metric 'comet' needs a local "
            "model; mtnorm never downloads models)")
    return path


def comet_scores(config: CometConfig, hyps: Sequence[str],
                 refs: Sequence[str]) -> tuple[float, list[float], str]:
    """System score, segment scores and a signature from a local COMET checkpoint."""
    path = require_comet(config.model)
    if config.sources is None:
        raise UsageError("metric 'comet' needs the source segments: give --source FILE")
    if len(config.sources) != len(hyps):
        raise UsageError(f"{config.source_label} has {len(config.sources)} segments but the "
                         f"hypotheses have {len(hyps)}")
    # Belt and braces: the encoder's tokenizer must come from the checkpoint's
    # directory or the local cache, never from the network.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import comet

    model: Any = comet.load_from_checkpoint(str(path))
    data = [{"src": s, "mt": h, "ref": r} for s, h, r in zip(config.sources, hyps, refs)]
    output = model.predict(data, batch_size=config.batch_size, gpus=config.gpus, progress_bar=False)
    version = getattr(comet, "__version__", "unknown")
    signature = f"nrefs:1|model:{path.parent.parent.name or path.name}|version:comet-{version}"
    return float(output.system_score), [float(s) for s in output.scores], signature
