"""Rendering score reports: ``text`` for people, ``json`` and ``tsv`` for programs.

JSON and TSV carry every float at full precision (``repr``), so that a score
can be compared exactly with a published figure; text rounds to ``width``
decimals as sacrebleu does.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from .. import __version__
from .core import Significance, SystemScores

FORMATS = ("text", "json", "tsv")


def _sacrebleu_version() -> str:
    try:
        from sacrebleu import __version__ as version
    except ImportError:  # pragma: no cover - sacrebleu is a dependency
        return "unknown"
    return str(version)


def to_json(systems: Sequence[SystemScores], references: Sequence[dict[str, Any]],
            significance: Significance | None = None) -> str:
    """The documented JSON document:
    ``{"version", "sacrebleu", "systems": [...], "references": [...], "significance"?}``."""
    doc: dict[str, Any] = {
        "version": __version__,
        "sacrebleu": _sacrebleu_version(),
        "systems": [s.to_dict() for s in systems],
        "references": list(references),
    }
    if significance is not None:
        doc["significance"] = significance.to_dict()
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _cell(value: float | None) -> str:
    return "" if value is None else repr(float(value))


def _clean(text: str) -> str:
    # A tab or newline in a system name would break the row structure.
    return text.replace("\t", " ").replace("\n", " ").replace("\r", " ")


def to_tsv(systems: Sequence[SystemScores]) -> str:
    """One row per system and metric (``line`` empty), then one per segment when computed."""
    rows = ["system\tmetric\tline\tscore\tmean\tci\tp_value\tsignature"]
    for system in systems:
        name = _clean(system.name)
        for key, m in system.metrics.items():
            rows.append("\t".join((name, key, "", _cell(m.score), _cell(m.mean), _cell(m.ci),
                                   _cell(m.p_value), m.signature)))
        for key, m in system.metrics.items():
            for line, value in enumerate(m.segments or (), 1):
                rows.append("\t".join((name, key, str(line), _cell(value), "", "", "",
                                       m.segment_signature or "")))
    return "\n".join(rows) + "\n"


def _format_cell(m: Any, width: int) -> str:
    text = f"{m.score:.{width}f}"
    if m.ci is not None:
        text += f" (μ {m.mean:.{width}f} ± {m.ci:.{width}f})"
    if m.p_value is not None:
        text += f" p={m.p_value:.4f}" + ("*" if m.p_value < 0.05 else "")
    return text


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, ["-" * w for w in widths], *rows]:
        cells = [row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:], widths[1:])]
        lines.append("  ".join(cells).rstrip())
    return lines


def to_text(systems: Sequence[SystemScores], significance: Significance | None = None,
            width: int = 2) -> str:
    """A table of systems by metrics, then the signatures, then segment tables if any."""
    if not systems:
        return ""
    keys = list(systems[0].metrics)
    header = ["system"] + [systems[0].metrics[k].name for k in keys]
    rows = [[s.name + (" (baseline)" if s.baseline else "")] +
            [_format_cell(s.metrics[k], width) for k in keys] for s in systems]
    lines = _table(header, rows)
    lines += ["", "signatures:"]
    label_width = max(len(n) for n in header[1:])
    for key, name in zip(keys, header[1:]):
        lines.append(f"  {name.ljust(label_width)}  {systems[0].metrics[key].signature}")
    if significance is not None:
        method = ("paired bootstrap resampling" if significance.test == "bs"
                  else "paired approximate randomization")
        unit = "resamples" if significance.test == "bs" else "trials"
        lines += ["",
                  (f"p: {method} ({significance.n} {unit}, seed {significance.seed}) of each "
                   f"system against the baseline {significance.baseline};"),
                  ("   * marks p < 0.05: the difference is unlikely to be chance (it does not say "
                   "which system is better).")]
        if significance.test == "bs" or significance.confidence_n:
            lines.append("   μ ± : bootstrap estimate of the true mean and its 95% confidence "
                         "interval.")
    elif any(m.ci is not None for s in systems for m in s.metrics.values()):
        lines += ["", "μ ± : bootstrap estimate of the true mean and its 95% confidence interval."]
    for system in systems:
        n = system.n_segments
        if n is None:
            continue
        columns = {k: m.segments for k, m in system.metrics.items() if m.segments is not None}
        seg_keys = list(columns)
        seg_rows = [[str(i + 1)] + [f"{columns[k][i]:.{width}f}" for k in seg_keys]
                    for i in range(n)]
        lines += ["", f"segments of {system.name}:"]
        lines += _table(["line"] + [system.metrics[k].name for k in seg_keys], seg_rows)
        lines.append("segment signatures: " + "; ".join(
            f"{system.metrics[k].name} {system.metrics[k].segment_signature}" for k in seg_keys))
    return "\n".join(lines) + "\n"


def render(fmt: str, systems: Sequence[SystemScores], references: Sequence[dict[str, Any]],
           significance: Significance | None = None, width: int = 2) -> str:
    """The report in ``fmt`` (``text``, ``json`` or ``tsv``)."""
    if fmt == "json":
        return to_json(systems, references, significance)
    if fmt == "tsv":
        return to_tsv(systems)
    return to_text(systems, significance, width)
