"""Path globs as ``PurePath.full_match`` reads them (Python 3.13), for Python 3.11.

Used for the ``paths`` of configuration overrides and for ``--include`` /
``--exclude``: ``*``, ``?`` and ``[...]`` stay inside one path segment,
``**`` stands for any number of whole segments (none included), and a glob
ending in ``/`` covers everything below that directory. Matching is
case-sensitive, on posix-style relative paths.
"""
from __future__ import annotations

import functools
import re


@functools.lru_cache(maxsize=512)
def compile_glob(glob: str) -> re.Pattern[str]:
    """A regex matching (with ``fullmatch``) the relative paths ``glob`` covers."""
    pattern = glob.removeprefix("./")
    if pattern.endswith("/"):
        pattern += "**"
    segments: list[str] = []
    for segment in pattern.split("/"):
        if segment and not (segment == "**" and segments and segments[-1] == "**"):
            segments.append(segment)
    if not segments:
        raise ValueError(f"empty glob {glob!r}")
    if segments == ["**"]:
        return re.compile(".*")
    regex = ""
    for i, segment in enumerate(segments):
        if segment == "**":
            # Any number of whole segments, none included ("a/**" matches "a" too).
            if i == len(segments) - 1:
                regex += "(?:/[^/]+)*"
            elif i == 0:
                regex += "(?:[^/]+/)*"
            else:
                regex += "/(?:[^/]+/)*"
        else:
            if i > 0 and segments[i - 1] != "**":
                regex += "/"
            regex += _segment(segment)
    return re.compile(regex)




def _segment(segment: str) -> str:
    """One path segment of a glob: ``*``, ``?`` and ``[...]`` never match ``/``."""
    out = []
    i = 0
    while i < len(segment):
        c = segment[i]
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            j = segment.find("]", i + 2)
            if j == -1:
                out.append(re.escape(c))
            else:
                body = segment[i + 1:j]
                if body.startswith("!"):
                    body = "^/" + body[1:]   # a negated class still never matches "/"
                out.append("[" + body.replace("\\", "\\\\") + "]")
                i = j
        else:
            out.append(re.escape(c))
        i += 1
    return "".join(out)
