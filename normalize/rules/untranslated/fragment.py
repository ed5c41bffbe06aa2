"""untranslated.fragment: text left in another language or script."""
from __future__ import annotations

from collections.abc import Iterator

from ...findings import Category, Finding, Severity
from ...languages import language_name
from ...registry import Context, Rule, register

_HOW = {
    "langid": "language identification",
    "script": "its script",
    "function words": "its function words",
    "letters": "its letters",
}


def _language_name(code: str | None) -> str | None:
    return language_name(code) if code else None


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


@register
class UntranslatedFragment(Rule):
    id = "untranslated.fragment"
    category = Category.UNTRANSLATED
    scope = "line"
    severity = Severity.WARNING
    mqm = "Accuracy/Untranslated"
    #: A segment left as its source is one fault, which pair.unchanged names exactly.
    yields_to = frozenset({"pair.unchanged"})
    description = ("Text left in another language or script: Cyrillic in English copy, "
                   "an English clause in French copy (script pass + language identification).")

    def check(self, ctx: Context) -> Iterator[Finding]:
        here = ctx.language.name
        source = ctx.source_lang.split("-")[0].lower() if ctx.source_lang else None
        for frag in ctx.analysis.language_spans:
            text = ctx.text[frag.start:frag.end]
            name = _language_name(frag.language)
            what = f"{name} text" if name else f"{frag.script} text"
            if frag.language and source and frag.language == source:
                what += " (the source language)"
            how = _HOW.get(frag.method, frag.method)
            if frag.confidence is not None:
                how += f", p={frag.confidence:.2f}"
            yield self.finding(
                ctx, frag.start, frag.end,
                f"'{_short(text)}' looks like {what} left untranslated in {here} copy "
                f"(by {how}); translate it, or quote and gloss it if it is kept on purpose",
                data={"language": frag.language, "script": frag.script or None,
                      "method": frag.method, "confidence": frag.confidence})
