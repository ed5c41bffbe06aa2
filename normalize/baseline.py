"""Baselines: record today's findings so that later runs report only new ones.

A baseline is a JSON file::

    {"version": 1, "tool": "mtnorm",
     "files": {"news/a.txt": [{"rule": "toponym.variant", "text": "Kiev",
                               "context": "5d41402abc4b2a76", "count": 2}, ...]}}

Paths are relative to the baseline file's directory, with ``/`` separators.
A finding is identified without its line number, so that it survives edits
elsewhere in the file: by its path, rule, matched text and a hash of its
context (the finding's text with up to :data:`CONTEXT_CHARS` characters of
its line on each side, whitespace collapsed). Identical keys are counted
(the count is the occurrence index plus one): if the baseline holds two of
a key and a file now has three, the last of the three (in text order) is new.
"""
from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .document import atomic_write
from .errors import UsageError
from .findings import Finding

BASELINE_VERSION = 1
#: Characters of the finding's line taken on each side of it for the context hash.
CONTEXT_CHARS = 32

Key = tuple[str, str, str]   # (rule, matched text, context hash)


class BaselineError(UsageError):
    """A baseline file is missing or is not a valid mtnorm baseline (names the file)."""


def _context(text: str, finding: Finding) -> str:
    """A short hash of the finding's surroundings on its line, whitespace-normalised.

    Only the nearby characters count, so that editing another part of a long
    line (a paragraph is often one line) does not make the finding "new".
    """
    start, end = finding.start, finding.end
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    if line_end == -1:
        line_end = len(text)
    before = text[max(line_start, start - CONTEXT_CHARS):start]
    after = text[end:min(line_end, end + CONTEXT_CHARS)]
    window = " ".join(f"{before}\x00{text[start:end]}\x00{after}".split())
    return hashlib.sha256(window.encode("utf-8")).hexdigest()[:16]


def finding_keys(findings: Iterable[Finding], text: str) -> list[Key]:
    """The line-independent key of each finding (in the order given)."""
    return [(f.rule, f.text, _context(text, f)) for f in findings]


def _relative(path: str, root: Path) -> str:
    """``path`` relative to ``root``, posix-style; standard input stays ``<stdin>``."""
    if path in ("-", "<stdin>"):
        return "<stdin>"
    return Path(os.path.relpath(os.path.abspath(path), root)).as_posix()


def write_baseline(path: str | os.PathLike[str],
                   results: Iterable[tuple[str, list[Finding], str]]) -> int:
    """Write a baseline of ``results`` (``(file path, findings, text)`` each) to ``path``.

    The file is written atomically, with files and entries sorted so that
    the same findings always give the same bytes. Returns the number of
    findings recorded.
    """
    counts: dict[str, Counter[Key]] = {}
    for file_path, findings, text in results:
        counts.setdefault(file_path, Counter()).update(finding_keys(findings, text))
    return write_baseline_counts(path, counts)


def write_baseline_counts(path: str | os.PathLike[str], counts: dict[str, Counter[Key]]) -> int:
    """Write a baseline from finding keys already counted per file path (batch runs)."""
    root = Path(os.path.abspath(path)).parent
    files: dict[str, Counter[Key]] = {}
    for file_path, keys in counts.items():
        files.setdefault(_relative(file_path, root), Counter()).update(keys)
    data = {
        "version": BASELINE_VERSION,
        "tool": "mtnorm",
        "files": {name: [{"rule": rule, "text": found, "context": context, "count": n}
                         for (rule, found, context), n in sorted(keys.items())]
                  for name, keys in sorted(files.items()) if keys},
    }
    payload = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    atomic_write(path, payload.encode("utf-8"))
    return sum(sum(keys.values()) for keys in files.values())


@dataclass
class Baseline:
    """A loaded baseline: how many of each finding key each file may keep unreported."""

    path: Path
    files: dict[str, Counter[Key]] = field(default_factory=dict)

    @property
    def root(self) -> Path:
        return self.path.parent

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Baseline:
        """Read a baseline written by :func:`write_baseline`."""
        target = Path(os.path.abspath(path))
        try:
            raw = target.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise BaselineError(f"{path}: baseline file not found (write one first)") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise BaselineError(f"{path}: cannot read the baseline: {exc}") from None
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise BaselineError(f"{path}:{exc.lineno}: not a valid baseline (bad JSON: {exc.msg})") \
                from None
        return cls(path=target, files=_parse(data, str(path)))

    def filter(self, file_path: str, findings: list[Finding], text: str) -> list[Finding]:
        """The findings of ``file_path`` that the baseline does not hold (the new ones).

        ``text`` is the file's current text (the one the offsets refer to).
        Of several findings with one key, the first ones are the known ones.
        """
        known = self.files.get(_relative(file_path, self.root))
        if not known:
            return list(findings)
        # Text order decides which of identical keys are "the first ones".
        order = sorted(range(len(findings)), key=lambda i: findings[i].sort_key())
        keys = finding_keys([findings[i] for i in order], text)
        seen: Counter[Key] = Counter()
        new = set()
        for i, key in zip(order, keys):
            seen[key] += 1
            if seen[key] > known.get(key, 0):
                new.add(i)
        return [f for i, f in enumerate(findings) if i in new]

    def known(self, file_path: str) -> Counter[Key]:
        """How many of each key the baseline holds for ``file_path`` (empty if none)."""
        return self.files.get(_relative(file_path, self.root), Counter())

    def __len__(self) -> int:
        return sum(sum(c.values()) for c in self.files.values())


def _parse(data: Any, shown: str) -> dict[str, Counter[Key]]:
    def bad(problem: str) -> BaselineError:
        return BaselineError(f"{shown}: not a valid mtnorm baseline ({problem})")

    if not isinstance(data, dict) or "version" not in data:
        raise bad("no version")
    if data["version"] != BASELINE_VERSION:
        raise bad(f"version {data['version']!r}; this mtnorm reads version {BASELINE_VERSION}: "
                  "write the baseline again")
    files = data.get("files")
    if not isinstance(files, dict):
        raise bad("'files' must be an object")
    out: dict[str, Counter[Key]] = {}
    for name, entries in files.items():
        if not isinstance(entries, list):
            raise bad(f"entries of {name!r} must be a list")
        counts: Counter[Key] = Counter()
        for entry in entries:
            try:
                key = (str(entry["rule"]), str(entry["text"]), str(entry["context"]))
                count = int(entry.get("count", 1))
            except (TypeError, KeyError, ValueError, AttributeError):
                raise bad(f"an entry of {name!r} lacks rule, text, context or count") from None
            counts[key] += count
        out[name] = counts
    return out
