"""pair.dash: a dash of the source rendered as a hyphen that glues two words of the translation.

MT turns the dash of an aside ("天体—— 事实上", "the universe – a series") into a
plain hyphen between words: "objects-in fact", "robots-8-foot". The rule counts
the source's dashes (em and en dashes, the Chinese double dash ——, the
full-width －, "--" and a hyphen standing alone between spaces or after a Han
character) and the translation's (the same marks, and a hyphen with a space on
either side). When the translation has fewer, the hyphens joining two words
that the source does not have either stand for the lost dashes; the first of
them is reported, preferring one next to a function word or a figure
("universe-a", "species-at", "robots-8"), which a compound rarely is.

A second kind: a compound split by a spaced hyphen ("space - time",
"small - mass"), which MT tokenisers leave behind. Where the translation has
more such hyphens between two words than the source has dashes (any script),
the extra ones cannot render a dash: each one between two words that are not
function words is reported, with the closed-up compound as an unsafe fix.

A third kind: the source's dash rendered as a spaced hyphen ("large - twelve feet
long"): where the translation has fewer dashes (—, –, --) than the source has
(the same marks, ——, －, and a hyphen closed up to the clause before it and
spaced from the next, "扰动- 其中"; not a hyphen between words or spaces, which a
Chinese title uses as a separator, "标题-新华网", and the translation copies), each
spaced hyphen between two words that is not a split compound
stands for one of them, up to the number missing. The fix (unsafe: house styles
differ) writes the language's dash from its typography data.

The first and third kinds only for a source written in Chinese, Japanese or Korean, which never uses a
hyphen for a dash: in a Cyrillic or Latin source "—" may be a copula the
translation renders with a verb, and a hyphen may be the target's own compound
("Elektronen-Mikroskop", "pro-Russian"); there the rule found as many human
segments as MT ones.

Measured on human translations (MQM TED zh-en and en-de references, the
MLQE-PE post-edits): 0.9 findings per 1,000 zh-en references, none elsewhere;
on the MQM zh-en MT output both kinds flag 238 segments, 0.86 of them annotated
with an error (mostly Minor punctuation: 0.35 have a Major one).
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from ...analysis.segments import cjk_share, segment_pairs
from ...findings import Category, Finding, FixSafety, Severity
from ...patterns import LazyPattern
from ...registry import Context, Rule, register

#: The marks that are a dash in any script.
_DASHES = r"\u2014+|\u2013|\u2015|\uff0d|--"
_SOURCE_DASH = LazyPattern(
    _DASHES
    + r"|(?<=[\u3400-\u9fff\u3002\uff0c])\s*-(?!-)"
    r"|(?<=\s)-(?=\s)")
_TARGET_DASH = LazyPattern(r"\u2014|\u2013|\u2015|--|(?<=\s)-|-(?=\s)")
#: A dash that is one in any script (a hyphen of the source may be its own separator,
#: "标题-新华网", which the translation copies faithfully).
_TRUE_DASH = LazyPattern(_DASHES)
#: The same in a CJK source, and a hyphen closed up to the clause before it and spaced
#: from the next ("扰动- 其中", a subtitler's dash).
_SOURCE_TRUE_DASH = LazyPattern(_DASHES + r"|(?<=[\u3400-\u9fff\u3002\uff0c])-(?=\s)")
#: A hyphen between spaces, after a word and before a word or an opening mark (not a
#: minus sign or a range of figures: checked at the match).
_SPACED_HYPHEN = LazyPattern(r"(?<=[^\W_]) - (?=[\"\u201c(]?[^\W_])")
_HYPHEN = LazyPattern(r"(?<=[^\W_])-(?=[^\W_])")
_SPACED = LazyPattern(r"(?<=[^\W\d_]) - (?=[^\W\d_])")
_WORD_BEFORE = LazyPattern(r"[^\W_]+$")
_WORD_AFTER = LazyPattern(r"^[^\W_]+")
#: Words that rarely stand in a hyphenated compound: a hyphen next to one is a lost dash.
_FUNCTION = frozenset((
    "a", "an", "the", "this", "that", "these", "those", "which", "who", "what", "where", "when",
    "there", "it", "its", "he", "she", "they", "we", "you", "i", "me", "us", "them", "his", "her",
    "their", "our", "your", "my", "is", "are", "was", "were", "be", "been", "at", "of", "in", "on",
    "to", "for", "from", "by", "with", "and", "or", "but", "as", "if", "so", "not", "no"))


def _lost_dash_hyphens(target: str, source: str) -> list[re.Match[str]]:
    """The hyphens of ``target`` that may stand for a dash of ``source``, best guess first."""
    found = []
    for m in _HYPHEN.finditer(target):
        before = _WORD_BEFORE.search(target, 0, m.start())
        after = _WORD_AFTER.search(target[m.end():])
        left = before.group() if before else ""
        right = after.group() if after else ""
        if f"{left}-{right}".lower() in source.lower():
            continue  # the compound is the source's own ("COVID-19", "e-mail")
        score = 0
        if left.lower() in _FUNCTION or right.lower() in _FUNCTION:
            score = 2
        elif left[-1:].isdigit() != right[:1].isdigit():
            score = 1
        found.append((-score, m.start(), m))
    return [m for _, _, m in sorted(found, key=lambda t: (t[0], t[1]))]


@register
class PairDash(Rule):
    id = "pair.dash"
    category = Category.TYPOGRAPHY
    severity = Severity.WARNING
    fix = FixSafety.UNSAFE
    mqm = "Fluency/Punctuation"
    needs_source = True
    scope = "document"
    description = ("A dash of the source segment rendered as a hyphen that joins two words of "
                   "the translation or as a spaced hyphen, or a compound split by a spaced hyphen "
                   "the source has no dash for.")

    def check(self, ctx: Context) -> Iterator[Finding]:
        for pair in segment_pairs(ctx):
            if "-" not in pair.target:
                continue
            source_dashes = len(_SOURCE_DASH.findall(pair.source))
            split: set[int] = set()
            if " - " in pair.target:
                for f in self._split_compounds(ctx, pair, source_dashes):
                    split.add(f.start)
                    yield f
            if cjk_share(pair.source) < 0.5:
                continue
            if " - " in pair.target:
                yield from self._spaced_dashes(ctx, pair, split)
            lost = source_dashes - len(_TARGET_DASH.findall(pair.target))
            if lost <= 0:
                continue
            hyphens = _lost_dash_hyphens(pair.target, pair.source)
            if not hyphens:
                continue
            m = hyphens[0]
            start = pair.start + m.start()
            yield self.finding(ctx, start, start + 1,
                               "the source has a dash here that the translation renders as a hyphen "
                               "joining two words; write a dash (— or –) with the spacing the "
                               "language uses",
                               data={"source_dashes": lost})

    def _split_compounds(self, ctx: Context, pair, source_dashes: int) -> Iterator[Finding]:
        spaced = list(_SPACED.finditer(pair.target))
        if len(spaced) <= source_dashes:
            return
        for m in spaced:
            before = _WORD_BEFORE.search(pair.target, 0, m.start())
            after = _WORD_AFTER.search(pair.target[m.end():])
            left = before.group() if before else ""
            right = after.group() if after else ""
            if left.lower() in _FUNCTION or right.lower() in _FUNCTION:
                continue  # more likely a dash ("big - and it")
            start = pair.start + m.start()
            yield self.finding(ctx, start, start + 3,
                               f"'{left} - {right}' splits a compound with a spaced hyphen, and the "
                               f"source has no dash for it; write '{left}-{right}'",
                               replacement="-",
                               data={"kind": "split_compound"})

    def _spaced_dashes(self, ctx: Context, pair, split: set[int]) -> Iterator[Finding]:
        """Spaced hyphens standing for the source's dashes, as many as the true dashes miss."""
        missing = len(_SOURCE_TRUE_DASH.findall(pair.source)) - len(_TRUE_DASH.findall(pair.target))
        if missing <= 0:
            return
        dash = ctx.language.data("typography").get("dash", " \u2014 ")
        for m in _SPACED_HYPHEN.finditer(pair.target):
            start = pair.start + m.start()
            if start in split or (pair.target[m.start() - 1].isdigit()
                                  and pair.target[m.end()].isdigit()):
                continue  # a split compound (reported above), or a range of figures
            yield self.finding(ctx, start, start + 3,
                               f"the source has a dash here that the translation renders as a "
                               f"spaced hyphen; write '{dash.strip()}'",
                               replacement=dash, data={"kind": "spaced_hyphen"})
            missing -= 1
            if missing == 0:
                return
