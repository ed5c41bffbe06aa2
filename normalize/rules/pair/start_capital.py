"""pair.start_capital: the source segment starts with a capital or a figure, the translation in lower case.

Only where the source's script has case or the segment starts with a figure: a
Chinese source starting with a Han character has no capital to compare. Words
that start in lower case by design ("iPhone", "eBay") are left alone, and so is a
segment whose translation runs on from the line before (that line ends without a
full stop), or starts with a coordinating conjunction in lower case ("und in der
Zeit ..." for "And in the time ..."): a translator joining the segment to the sentence
before, which MT does not do (the conjunctions are ``conjunctions`` in the target
language's ``rendering.yaml``).
"""
from __future__ import annotations

from collections.abc import Iterator

from ...analysis.segments import first_letter, segment_pairs
from ...findings import Category, Finding, FixSafety, Severity
from ...registry import Context, Rule, register
from ._tokens import tokens

_SENTENCE_END = ".!?\u2026\u3002\uff01\uff1f:;"
_CLOSERS = "\"'\u201c\u201d\u2018\u2019\u00bb\u00ab)]} "


def _conjunctions(ctx: Context) -> frozenset[str]:
    return frozenset(str(w) for w in ctx.language.data("rendering").get("conjunctions", []))


def _word_at(text: str, i: int) -> str:
    end = i
    while end < len(text) and (text[end].isalnum() or text[end] in "-'\u2019"):
        end += 1
    return text[i:end]


@register
class PairStartCapital(Rule):
    id = "pair.start_capital"
    category = Category.TYPOGRAPHY
    severity = Severity.WARNING
    fix = FixSafety.UNSAFE
    mqm = "Fluency/Spelling"
    needs_source = True
    scope = "document"
    description = ("The source segment starts with a capital letter or a figure and the translation "
                   "in lower case.")

    def check(self, ctx: Context) -> Iterator[Finding]:
        previous = ""
        for pair in segment_pairs(ctx):
            # A translator may run a sentence on from the segment before (the previous
            # target line ends without a full stop): its lower case is then right.
            run_on = bool(previous) and previous.rstrip(_CLOSERS)[-1:] not in _SENTENCE_END
            previous = pair.target.strip()
            if run_on:
                continue
            s = first_letter(pair.source)
            t = first_letter(pair.target)
            if s is None or t is None or not (s[1].isupper() or s[1].isdigit()) or not t[1].islower():
                continue
            if any(tok.start <= t[0] < tok.end for tok in tokens(pair.target)) or \
                    any(tok.start <= s[0] < tok.end for tok in tokens(pair.source)):
                continue  # "{name}", "%s", a URL: kept as the program or the source has it
            word = _word_at(pair.target, t[0])
            if any(c.isupper() for c in word[1:]) or any(c.isdigit() for c in word):
                continue  # "iPhone", "eBay", "x86"
            if word in _conjunctions(ctx):
                continue  # joined to the sentence before
            upper = t[1].upper()
            if len(upper) != 1:
                continue  # "ß" has no one-letter capital
            start = pair.start + t[0]
            yield self.finding(ctx, start, start + 1,
                               "the source segment starts with a capital letter or a figure, "
                               "the translation in lower case",
                               replacement=upper)
