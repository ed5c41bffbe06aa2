"""Metrics by name, built lazily through sacrebleu.

mtnorm does not implement any metric itself: every corpus and segment score
comes from :mod:`sacrebleu.metrics` (``BLEU``, ``CHRF``, ``TER``), built with
the same arguments sacrebleu's own command line uses, so that scores and
signatures are those a user would get from ``sacrebleu`` on the same files.

The registry maps a name (``bleu``, ``chrf``, ``chrf++``, ``ter``, ``comet``)
to a :class:`MetricSpec`; nothing is imported until a metric is built, so that
``mtnorm check`` and friends never pay for importing sacrebleu (or numpy).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import UsageError

if TYPE_CHECKING:  # pragma: no cover - typing only
    from sacrebleu.metrics.base import Metric

#: Metrics computed when none are asked for (sacrebleu's three classics, chrF without word n-grams).
DEFAULT_METRICS: tuple[str, ...] = ("bleu", "chrf", "ter")


@dataclass(frozen=True)
class ScoreOptions:
    """Settings shared by the metrics; the defaults are sacrebleu's defaults.

    ``tokenize`` is BLEU's tokenizer (``None``: sacrebleu picks one from
    ``lang``: ``zh`` for Chinese, ``ja-mecab``/``ko-mecab`` for Japanese and
    Korean, ``13a`` otherwise). ``lowercase`` makes BLEU and chrF
    case-insensitive; TER is case-insensitive unless ``ter_case_sensitive``,
    as in sacrebleu.
    """

    tokenize: str | None = None
    lowercase: bool = False
    lang: str | None = None
    ter_case_sensitive: bool = False


@dataclass(frozen=True)
class MetricSpec:
    """How to build one metric.

    ``build(options, sentence_level, references)`` returns a sacrebleu
    ``Metric``; ``references`` (reference streams) are cached inside it so that
    scoring many systems tokenises the references once, as sacrebleu does.
    ``neural`` metrics (COMET) are not sacrebleu metrics and have no builder.
    """

    key: str
    description: str
    build: Callable[[ScoreOptions, bool, Sequence[Sequence[str]] | None], Metric] | None
    neural: bool = False


def _bleu(options: ScoreOptions, sentence_level: bool,
          references: Sequence[Sequence[str]] | None) -> Metric:
    from sacrebleu.metrics import BLEU

    if options.tokenize is not None and options.tokenize not in BLEU.TOKENIZERS:
        raise UsageError(f"unknown BLEU tokenizer {options.tokenize!r} "
                         f"(choose from {', '.join(sorted(BLEU.TOKENIZERS))})")
    try:
        # effective_order for single segments is what `sacrebleu --sentence-level` uses:
        # without it, one missing 4-gram match zeroes a sentence's BLEU.
        return BLEU(lowercase=options.lowercase, tokenize=options.tokenize,
                    trg_lang=options.lang or "", effective_order=sentence_level,
                    references=references)
    except (ImportError, RuntimeError) as exc:
        # ja-mecab, ko-mecab and the spm tokenizers need packages sacrebleu does not install.
        raise UsageError(f"BLEU tokenizer {options.tokenize or options.lang!r} is not usable "
                         f"here: {exc}") from None


def _chrf(word_order: int) -> Callable[[ScoreOptions, bool, Sequence[Sequence[str]] | None], Metric]:
    def build(options: ScoreOptions, sentence_level: bool,
              references: Sequence[Sequence[str]] | None) -> Metric:
        from sacrebleu.metrics import CHRF

        # chrF already uses effective order, so corpus and sentence level are built alike.
        return CHRF(word_order=word_order, lowercase=options.lowercase, references=references)
    return build


def _ter(options: ScoreOptions, sentence_level: bool,
         references: Sequence[Sequence[str]] | None) -> Metric:
    from sacrebleu.metrics import TER

    return TER(case_sensitive=options.ter_case_sensitive, references=references)


_REGISTRY: dict[str, MetricSpec] = {
    "bleu": MetricSpec("bleu", "BLEU (sacrebleu, 13a tokenizer unless --tokenize/--lang)", _bleu),
    "chrf": MetricSpec("chrf", "chrF2: character 6-grams, beta 2", _chrf(0)),
    "chrf++": MetricSpec("chrf++", "chrF2++: chrF plus word uni- and bigrams", _chrf(2)),
    "ter": MetricSpec("ter", "TER (tercom-compatible, case-insensitive)", _ter),
    "comet": MetricSpec("comet", "COMET (needs the comet extra and a local model)", None, neural=True),
}

#: Other spellings accepted on the command line and in the API.
_ALIASES = {"chrf2": "chrf", "chrfpp": "chrf++", "chrf2++": "chrf++", "sacrebleu": "bleu"}


def metric_names() -> list[str]:
    """The registered metric names, in a stable order."""
    return list(_REGISTRY)


def get_spec(name: str) -> MetricSpec:
    """The spec registered under ``name`` (case-insensitive, aliases allowed)."""
    key = name.strip().lower()
    key = _ALIASES.get(key, key)
    try:
        return _REGISTRY[key]
    except KeyError:
        raise UsageError(f"unknown metric {name!r} (choose from {', '.join(_REGISTRY)})") from None


def resolve(names: str | Sequence[str]) -> list[str]:
    """Canonical metric keys for ``names`` (a list, or one comma-separated string), without repeats."""
    if isinstance(names, str):
        names = [names]
    keys: list[str] = []
    for item in names:
        for part in item.split(","):
            if part.strip():
                key = get_spec(part).key
                if key not in keys:
                    keys.append(key)
    if not keys:
        raise UsageError("no metric given")
    return keys
