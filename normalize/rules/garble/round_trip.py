"""garble.round_trip: sentences that do not survive a translation there and back.

The findings are made by ``mtnorm check --round-trip`` (and by
:func:`normalize.translation.round_trip_findings`), which need a translation
model; the linter's pass over the rules cannot make them, so :meth:`check`
yields nothing. Registering the rule lets ``--select``, ``--ignore``,
severity overrides and inline directives name it like any other.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from ...findings import Category, Finding, FixSafety, Severity
from ...registry import Context, Rule, register


@register
class RoundTrip(Rule):
    """Each sentence is translated into the source language (``--source-lang``) and
    back with a local model, and the back-translation is scored against the sentence
    with chrF. A sentence whose meaning was garbled comes back unrecognisable; one
    that reads well comes back close. A low score is a hint for a reviewer, not proof:
    the threshold is a starting point, to be tuned on one's own copy and models."""

    id = "garble.round_trip"
    category = Category.GARBLE
    severity = Severity.WARNING
    fix = FixSafety.NONE
    mqm = "Accuracy/Mistranslation"
    scope = "document"
    needs_source_lang = True
    external = True
    description = ("A sentence whose round trip through the source language (--round-trip, "
                   "a local model) comes back with a chrF below the threshold.")
    options: ClassVar[dict[str, str]] = {
        "--round-trip": "run the round trip (mtnorm check; needs --source-lang and "
                        "pip install 'mtnorm[neural]' with a local model)",
        "--round-trip-threshold CHRF": "report sentences scoring below this chrF (default 30)",
        "--model / --back-model": "the models for the way there and back "
                                  "(default: the model registry's choice per pair)",
    }

    def applies_to(self, ctx: Context) -> bool:
        # Made by the round trip, never in the linter's pass (see the module docstring).
        return False

    def check(self, ctx: Context) -> Iterator[Finding]:
        return iter(())
