"""Automatic MT metrics (BLEU, chrF, chrF++, TER; optionally COMET) through sacrebleu.

``mtnorm score`` is built on this package; the same is available in Python::

    from normalize.scoring import score
    result = score(hyps, [refs], metrics=["bleu", "chrf"])
    result["bleu"].score, result["bleu"].signature

Importing this package does not import sacrebleu: the metrics are built on
first use (see :mod:`normalize.scoring.registry`).
"""
from __future__ import annotations

from .core import (
                   LengthMismatchError,
                   MetricScore,
                   Scorer,
                   Significance,
                   SystemScores,
                   sacrebleu_seed,
                   score,
)
from .neural import CometConfig, MetricUnavailableError
from .registry import DEFAULT_METRICS, ScoreOptions, metric_names, resolve

__all__ = [
                   "DEFAULT_METRICS",
                   "CometConfig",
                   "LengthMismatchError",
                   "MetricScore",
                   "MetricUnavailableError",
                   "ScoreOptions",
                   "Scorer",
                   "Significance",
                   "SystemScores",
                   "metric_names",
                   "resolve",
                   "sacrebleu_seed",
                   "score",
]
