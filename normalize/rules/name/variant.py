"""name.variant: a known person's name spelled otherwise than its known form.

Some people are reported only in a text that names their context (a country, an
organisation: ``context`` in ``corpora/names/people.yaml``) anywhere in it: the
fact kind ``context`` holds which people's context the whole text names, so a
text checked piece by piece (:mod:`normalize.pieces`) judges each mention as the
whole text would.
"""
from __future__ import annotations

from collections.abc import Iterator

from ...analysis.people import LOWER_WORDS, REPORTED, Mention, name_tokens, registry
from ...findings import Category, Finding, FixSafety, Severity
from ...languages import language_name
from ...pieces import FactKind, document_facts, fact_kind, own_from
from ...registry import Context, Rule, register
from .._text import transfer_case

_WHAT = {
    "translit": "another transliteration",
    "russian": "the Russian form of a Ukrainian name",
    "anglicised": "an anglicised form",
    "localised": "another language's form",
    "misspelling": "a misspelling",
    "historic": "a former name",
    "style": "an accepted spelling that the house style does not use",
}


class _TextNames:
    """Whose context words a whole document names, found for each person when asked
    (a scan of the text per context word: most texts mention few of these people)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.memo: dict[str, bool] = {}

    def __contains__(self, pid: object) -> bool:
        if pid not in self.memo:
            person = next(p for p in registry().people if p.id == pid)
            self.memo[str(pid)] = any(word in self.text for word in person.context)
        return self.memo[str(pid)]


def _context_named(ctx: Context) -> frozenset[str] | _TextNames:
    """The ids of the people one of whose context words the document's own text holds
    (a whole document answers person by person, :class:`_TextNames`)."""
    text = ctx.text
    piece = ctx.document.piece
    if piece is None:
        return _TextNames(text)
    lo = own_from(ctx)
    hi = len(text) if piece.own_to is None else piece.own_to
    # A context word holds no line break, so it never straddles two pieces' own text.
    return frozenset(person.id for person in registry().people
                     if any(text.find(word, lo, hi) != -1 for word in person.context))


CONTEXT = fact_kind(FactKind("normalize.rules.name.variant:context", _context_named,
                             lambda a, b: a | b))


@register
class NameVariant(Rule):
    id = "name.variant"
    category = Category.NAME
    severity = Severity.WARNING
    fix = FixSafety.UNSAFE
    mqm = "Accuracy/Mistranslation"
    #: A finding depends on the whole text: context words ("Amnesty") and house style.
    scope = "document"
    #: (Finding the mentions reads LOWER_WORDS.)
    facts = (CONTEXT.name, LOWER_WORDS.name)
    languages = frozenset({"en", "fr", "de", "es", "it"})
    description = ("A known person's name in a variant spelling (Arayek for Arayik, Mary for Marie "
                   "Struthers); the known form is offered as an unsafe fix (corpora/names/people.yaml).")

    def check(self, ctx: Context) -> Iterator[Finding]:
        lang = ctx.language.family
        chain = ctx.style.chain or ((ctx.style.name,) if ctx.style.name else ())
        for mention in ctx.analysis.people:
            finding = self._judge(ctx, mention, lang, chain)
            if finding is not None:
                yield finding

    def _judge(self, ctx: Context, mention: Mention, lang: str, chain: tuple[str, ...]) -> Finding | None:
        person = mention.person
        text = ctx.text
        parts = {"surname": mention.surname}
        if mention.given:
            parts["given"] = mention.given
        judged = {}
        for part, (a, b) in parts.items():
            judged[part] = person.status(part, name_tokens(text[a:b]), lang, chain)
        reported = {p: s for p, s in judged.items() if s[0] in REPORTED or s[0] == "style"}
        if not reported or (person.context and person.id not in document_facts(ctx, CONTEXT)):
            return None
        (given, surname), by_style = person.target(lang, chain)
        pieces = []
        for part, (status, detail) in reported.items():
            written = text[parts[part][0]:parts[part][1]]
            what = f"the {language_name(detail)} spelling" if status == "foreign" and detail else _WHAT[status]
            pieces.append(f"'{written}' is {what}")
        gap = text[mention.given[1]:mention.surname[0]] if mention.given else ""
        wanted = f"{given}{gap or ' '}{surname}" if mention.given else surname
        replacement = transfer_case(text[mention.start:mention.end], wanted)
        full = f"{given} {surname}".strip()
        role = person.role.split(" (")[0]
        if by_style:
            source = f"{ctx.style.name} style"
        elif lang != "en" and lang in person.names:
            source = f"the usual {ctx.language.name} spelling"
        else:
            source = person.basis.split(";")[0].rstrip(".")
        only_style = all(s[0] == "style" for s in reported.values())
        # Without a form for this language the data only knows English usage, which
        # another language's press need not follow: a note, not a warning.
        unsure = lang not in person.names and not by_style
        return self.finding(
            ctx, mention.start, mention.end,
            f"{full} ({role}): {' and '.join(pieces)}; write '{replacement}' [{source}]",
            replacement=replacement, fix=FixSafety.UNSAFE,
            severity=Severity.INFO if only_style or unsure else self.severity,
            data={"person": person.id, "parts": {p: s[0] for p, s in reported.items()},
                  "canonical": full, "basis": person.basis})
