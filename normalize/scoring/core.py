"""Scoring systems against references with sacrebleu's metrics.

A :class:`Scorer` builds each metric once, with the references cached inside
it (sacrebleu tokenises them at construction), then scores any number of
systems against them: corpus scores, optional bootstrap confidence intervals,
optional segment scores, and paired significance tests through
:class:`sacrebleu.significance.PairedTest`, so that scores, signatures and
p-values are the ones ``sacrebleu`` prints for the same input and seed.
"""
from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from ..errors import MtnormError, UsageError
from .neural import CometConfig, comet_scores, require_comet
from .registry import DEFAULT_METRICS, ScoreOptions, get_spec, resolve

if TYPE_CHECKING:  # pragma: no cover - typing only
    from sacrebleu.metrics.base import Metric
    from sacrebleu.significance import Result

#: The paired tests sacrebleu offers: bootstrap resampling and approximate randomisation.
TESTS = ("bs", "ar")

# Attributes of sacrebleu's score objects worth reporting next to the score
# (BLEU's n-gram counts and brevity penalty, TER's edit counts); read by name
# so that nothing private leaks into reports.
_DETAIL_ATTRS = ("precisions", "counts", "totals", "bp", "sys_len", "ref_len",
                 "num_edits", "ref_length")


class LengthMismatchError(MtnormError):
    """Hypotheses and references do not have the same number of segments."""


@dataclass
class MetricScore:
    """One metric's result for one system."""

    key: str
    name: str
    score: float
    signature: str
    details: dict[str, Any] = field(default_factory=dict)
    mean: float | None = None
    ci: float | None = None
    p_value: float | None = None
    segments: list[float] | None = None
    segment_signature: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: score, signature, then what was computed (ci, p_value, details)."""
        out: dict[str, Any] = {"name": self.name, "score": self.score, "signature": self.signature}
        if self.ci is not None:
            out["ci"] = {"mean": self.mean, "half_width": self.ci, "level": 0.95}
        if self.p_value is not None:
            out["p_value"] = self.p_value
        if self.details:
            out["details"] = self.details
        if self.segment_signature is not None:
            out["segment_signature"] = self.segment_signature
        return out


@dataclass
class SystemScores:
    """All metric results of one system, in the order the metrics were asked for."""

    name: str
    metrics: dict[str, MetricScore]
    path: str | None = None
    baseline: bool = False

    def __getitem__(self, key: str) -> MetricScore:
        return self.metrics[get_spec(key).key]

    @property
    def n_segments(self) -> int | None:
        for metric in self.metrics.values():
            if metric.segments is not None:
                return len(metric.segments)
        return None

    def to_dict(self) -> dict[str, Any]:
        """The JSON form; ``segments`` only when segment scores were computed."""
        out: dict[str, Any] = {"name": self.name}
        if self.path is not None:
            out["path"] = self.path
        if self.baseline:
            out["baseline"] = True
        out["metrics"] = {key: m.to_dict() for key, m in self.metrics.items()}
        n = self.n_segments
        if n is not None:
            out["segments"] = [
                {"line": i + 1, **{key: m.segments[i] for key, m in self.metrics.items()
                                   if m.segments is not None}}
                for i in range(n)]
        return out


@dataclass
class Significance:
    """How a paired test was run; the p-values sit in each system's metrics."""

    test: str
    n: int
    seed: str
    baseline: str
    signatures: dict[str, str]
    confidence_n: int | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "test": self.test,
            "method": "paired bootstrap resampling" if self.test == "bs"
            else "paired approximate randomization",
            "n": self.n, "seed": self.seed, "baseline": self.baseline,
            "signatures": self.signatures}
        if self.confidence_n is not None:
            out["confidence_n"] = self.confidence_n
        return out


@contextlib.contextmanager
def sacrebleu_seed(seed: int | str | None) -> Iterator[None]:
    """Run with ``SACREBLEU_SEED`` set to ``seed`` (None: leave the environment alone).

    sacrebleu reads its resampling seed only from this variable (default
    12345; ``none`` draws from the OS), so this is how a seed reaches it.
    """
    if seed is None:
        yield
        return
    old = os.environ.get("SACREBLEU_SEED")
    os.environ["SACREBLEU_SEED"] = str(seed)
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("SACREBLEU_SEED", None)
        else:
            os.environ["SACREBLEU_SEED"] = old


def _details(score: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for attr in _DETAIL_ATTRS:
        value = getattr(score, attr, None)
        if value is not None:
            out[attr] = [float(v) for v in value] if isinstance(value, list) else float(value)
    return out


def _forget_bootstrap(metric: Metric) -> None:
    # corpus_score(n_bootstrap=N) leaves N and the seed on the metric object, where
    # they would stay in the signature of every later score made without bootstrap.
    metric.n_bootstrap = None
    metric.seed = None


def _check_references(references: Sequence[Sequence[str]], labels: Sequence[str]) -> None:
    if isinstance(references, str) or not references:
        raise UsageError("no references: give at least one reference stream")
    if isinstance(references[0], str):
        raise UsageError("references must be a list of reference streams (one list of "
                         "segments per reference), e.g. [refs] for a single reference")
    counts = [len(r) for r in references]
    if counts[0] == 0:
        raise LengthMismatchError(f"{labels[0]}: no segments to score against")
    for label, count in zip(labels[1:], counts[1:]):
        if count != counts[0]:
            raise LengthMismatchError(
                f"line counts differ: {labels[0]} has {counts[0]} segments, {label} has {count} "
                "(references must pair up line by line)")


class Scorer:
    """Scores systems against one fixed set of references.

    ``references`` is a list of reference streams, as in sacrebleu: one list
    of segments per reference translation, all of the same length. Metric
    objects are built once here, on first need, and reused for every system.
    """

    def __init__(self, references: Sequence[Sequence[str]],
                 metrics: str | Sequence[str] = DEFAULT_METRICS,
                 options: ScoreOptions | None = None, *,
                 reference_labels: Sequence[str] | None = None,
                 comet: CometConfig | None = None) -> None:
        self.reference_labels = list(reference_labels or
                                     [f"reference {i + 1}" for i in range(len(references))])
        _check_references(references, self.reference_labels)
        self.references = [list(r) for r in references]
        self.keys = resolve(metrics)
        self.options = options or ScoreOptions()
        self.comet = comet or CometConfig()
        if "comet" in self.keys:
            # Fail before the expensive part, not after it.
            require_comet(self.comet.model)
            if self.comet.sources is None:
                raise UsageError("metric 'comet' needs the source segments: give --source FILE")
        self._corpus: dict[str, Metric] = {}
        self._sentence: dict[str, Metric] = {}

    @property
    def n_segments(self) -> int:
        return len(self.references[0])

    def metric(self, key: str, *, sentence_level: bool = False) -> Metric:
        """The sacrebleu metric object for ``key``, built on first use and kept."""
        cache = self._sentence if sentence_level else self._corpus
        if key not in cache:
            spec = get_spec(key)
            if spec.build is None:
                raise UsageError(f"metric {key!r} is not a sacrebleu metric")
            # Only corpus-level metrics cache the references: sentence_score is
            # given each segment's references anyway (as in `sacrebleu -sl`).
            cache[key] = spec.build(self.options, sentence_level,
                                    None if sentence_level else self.references)
        return cache[key]

    def check_length(self, hyps: Sequence[str], label: str) -> None:
        """Raise :class:`LengthMismatchError` unless ``hyps`` pairs up with the references."""
        if isinstance(hyps, str):
            raise UsageError("hypotheses must be a list of segments, not one string")
        if len(hyps) != self.n_segments:
            raise LengthMismatchError(
                f"line counts differ: {label} has {len(hyps)} segments, "
                f"{self.reference_labels[0]} has {self.n_segments} "
                "(hypotheses and references must pair up line by line)")

    def _segment_scores(self, key: str, hyps: Sequence[str]) -> tuple[list[float], str]:
        # sentence_score is what `sacrebleu --sentence-level` calls, segment by segment.
        metric = self.metric(key, sentence_level=True)
        refs = self.references
        scores = [metric.sentence_score(hyp, [r[i] for r in refs]).score
                  for i, hyp in enumerate(hyps)]
        return scores, metric.get_signature().format()

    def _neural(self, key: str, hyps: Sequence[str], segments: bool) -> MetricScore:
        system, seg_scores, signature = comet_scores(self.comet, hyps, self.references[0])
        return MetricScore(key=key, name="COMET", score=system, signature=signature,
                           segments=seg_scores if segments else None,
                           segment_signature=signature if segments else None)

    def score(self, hyps: Sequence[str], name: str = "system", *, path: str | None = None,
              confidence_n: int = 0, segments: bool = False,
              seed: int | str | None = None) -> SystemScores:
        """Corpus scores of one system; with ``confidence_n`` > 1 a bootstrap 95% CI
        (as ``sacrebleu --confidence``), with ``segments`` the score of every segment."""
        self.check_length(hyps, path or name)
        hyps = list(hyps)
        results: dict[str, MetricScore] = {}
        with sacrebleu_seed(seed):
            for key in self.keys:
                if get_spec(key).neural:
                    results[key] = self._neural(key, hyps, segments)
                    continue
                metric = self.metric(key)
                n_bootstrap = max(1, confidence_n)
                _forget_bootstrap(metric)
                score = metric.corpus_score(hyps, None, n_bootstrap=n_bootstrap)
                result = MetricScore(key=key, name=score.name, score=float(score.score),
                                     signature=metric.get_signature().format(),
                                     details=_details(score))
                if n_bootstrap > 1:
                    # Score.estimate_ci stored sacrebleu's bootstrap mean and half-width here.
                    result.mean, result.ci = float(score._mean), float(score._ci)
                if segments:
                    result.segments, result.segment_signature = self._segment_scores(key, hyps)
                results[key] = result
        return SystemScores(name=name, path=path, metrics=results)

    def compare(self, systems: Sequence[tuple[str, Sequence[str]]], *, test: str = "bs",
                n: int = 0, confidence_n: int = -1, jobs: int = 1, segments: bool = False,
                seed: int | str | None = None,
                paths: Sequence[str | None] | None = None) -> tuple[list[SystemScores], Significance]:
        """Paired significance of every system against the first (the baseline).

        ``test`` is ``bs`` (paired bootstrap resampling, ``n`` resamples,
        default 1000) or ``ar`` (approximate randomisation, ``n`` trials,
        default 10000; ``confidence_n`` > 0 adds a bootstrap CI). The work is
        sacrebleu's ``PairedTest``, the class behind ``sacrebleu --paired-bs``
        and ``--paired-ar``, so the p-values are the same.
        """
        if test not in TESTS:
            raise UsageError(f"unknown paired test {test!r} (choose from {', '.join(TESTS)})")
        if len(systems) < 2:
            raise UsageError("a paired test needs a baseline and at least one other system")
        neural = [k for k in self.keys if get_spec(k).neural]
        if neural:
            raise UsageError(f"paired tests run on sacrebleu metrics only, not {', '.join(neural)}")
        paths = list(paths) if paths is not None else [None] * len(systems)
        for (name, hyps), path in zip(systems, paths):
            self.check_length(hyps, path or name)
        from sacrebleu.significance import PairedTest

        metrics = {key: self.metric(key) for key in self.keys}
        for metric in metrics.values():
            _forget_bootstrap(metric)
        named: list[tuple[str, Sequence[str]]] = [(name, list(hyps)) for name, hyps in systems]
        with sacrebleu_seed(seed):
            paired = PairedTest(named, metrics, references=None, test_type=test, n_samples=n,
                                n_ar_confidence=confidence_n, n_jobs=jobs)
            signatures, table = paired()
            seed_used = os.environ.get("SACREBLEU_SEED", "12345").lower()
        # PairedTest renames metrics to sacrebleu's score names, in our order.
        names = dict(zip(self.keys, paired.metrics))
        out: list[SystemScores] = []
        for index, ((name, hyps), path) in enumerate(zip(named, paths)):
            results: dict[str, MetricScore] = {}
            for key in self.keys:
                # Rows of PairedTest's table are Result objects (only 'System' holds strings).
                res = cast("Result", table[names[key]][index])
                result = MetricScore(key=key, name=names[key], score=float(res.score),
                                     signature=signatures[names[key]].format())
                if res.ci is not None and res.mean is not None:
                    result.mean, result.ci = float(res.mean), float(res.ci)
                if res.p_value is not None:
                    result.p_value = float(res.p_value)
                if segments:
                    result.segments, result.segment_signature = self._segment_scores(key, hyps)
                results[key] = result
            out.append(SystemScores(name=name, path=path, metrics=results, baseline=index == 0))
        significance = Significance(
            test=test, n=paired.n_samples, seed=seed_used, baseline=named[0][0],
            signatures={key: signatures[names[key]].format() for key in self.keys},
            confidence_n=paired.n_ar_confidence if test == "ar" and paired.n_ar_confidence > 0
            else None)
        return out, significance


def score(hyps: Sequence[str], refs: Sequence[Sequence[str]],
          metrics: str | Sequence[str] = DEFAULT_METRICS, *, tokenize: str | None = None,
          lowercase: bool = False, lang: str | None = None, segments: bool = False,
          confidence_n: int = 0) -> SystemScores:
    """Score one system: ``hyps`` (one string per segment) against ``refs``.

    ``refs`` is a list of reference streams as in sacrebleu (``[ref_a]``, or
    ``[ref_a, ref_b]`` for two references), each as long as ``hyps``.
    ``metrics`` are registry names (``bleu``, ``chrf``, ``chrf++``, ``ter``).
    Returns a :class:`SystemScores`; ``result["bleu"].score`` is the number and
    ``result["bleu"].signature`` sacrebleu's signature string.
    """
    options = ScoreOptions(tokenize=tokenize, lowercase=lowercase, lang=lang)
    return Scorer(refs, metrics, options).score(hyps, confidence_n=confidence_n, segments=segments)
