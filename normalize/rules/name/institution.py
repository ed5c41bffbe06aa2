"""name.institution: a party's name written in lower case ("republican senator", "the greens").

Machine translation from languages that write party names in lower case leaves
them so in English copy. The parties, their lower-case forms and the words
that make an adjective a party label are data (``corpora/names/institutions.yaml``);
a document must also name the party's country (its institutions or
politicians), so "republican values" or golf "greens" elsewhere say nothing.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from ...errors import DataError
from ...findings import Category, Finding, FixSafety, Severity
from ...literals import Literals
from ...patterns import LazyPattern
from ...registry import Context, Rule, register
from ...resources import load_yaml

#: Characters either side of a form in which the party's country must be named.
WINDOW = 1500


@dataclass(frozen=True)
class Party:
    name: str
    basis: str
    #: The lower-case forms, with the role word where needed; compiled where a keyword
    #: of the party first occurs (most texts name few of the parties).
    pattern: re.Pattern[str] | LazyPattern
    context: tuple[str, ...]
    #: Literal words one of which every match begins with: where the regex is tried.
    keywords: tuple[str, ...]
    #: Literal words one of which every match contains (each form's longest word): the
    #: party is looked for only in texts that hold one ("the greens": "greens").
    gates: tuple[str, ...] = ()


def _capitalised(form: str, name: str) -> str:
    """``form`` with each word that begins like a word of ``name`` written as there
    ("republicans" -> "Republicans", "the greens" -> "the Greens")."""
    out = []
    for word in form.split(" "):
        for n in name.split():
            if word.startswith(n.lower()):
                word = n + word[len(n):]
                break
        out.append(word)
    return " ".join(out)


@functools.lru_cache(maxsize=1)
def parties() -> tuple[Party, ...]:
    """The parties of ``corpora/names/institutions.yaml``, compiled."""
    raw = load_yaml("names", "institutions.yaml") or {}
    shared = [str(r) for r in raw.get("roles") or []]
    out = []
    for entry in raw.get("parties") or []:
        try:
            name = str(entry["name"])
            roles = [str(r) for r in entry.get("roles") or shared]
            alternatives = [re.escape(str(f)) for f in entry.get("forms") or []]
            before = [re.escape(str(f)) for f in entry.get("before") or []]
            if before:
                alternatives.append(rf"(?:{'|'.join(before)})(?=[ \u00a0](?:{'|'.join(map(re.escape, roles))})\b)")
            if not alternatives:
                raise ValueError("needs forms or before")
            # Escaped literals only: it cannot fail to compile later.
            pattern = LazyPattern(rf"(?<![\w-])(?:{'|'.join(alternatives)})(?![\w-])")
            literals = [str(f) for f in [*(entry.get("forms") or []), *(entry.get("before") or [])]]
            keywords = tuple({f.split(" ")[0] for f in literals})
            gates = tuple({max(f.split(" "), key=len) for f in literals})
            if not all(gates):
                raise ValueError("forms and 'before' need a word")
            out.append(Party(name, str(entry.get("basis", "")), pattern,
                             tuple(str(c) for c in entry.get("context") or ()), keywords, gates))
        except (KeyError, TypeError, ValueError, re.error) as exc:
            raise DataError(f"corpora/names/institutions.yaml: bad entry {entry.get('name')!r}: {exc}") from None
    return tuple(out)


@functools.lru_cache(maxsize=1)
def _gates() -> Literals:
    """Every party's gates, looked for in one pass over a text."""
    return Literals(g for party in parties() for g in party.gates)


def _finditer(party: Party, text: str) -> list[re.Match[str]]:
    """``party.pattern.finditer(text)``, found faster: every match begins with one of the
    party's keywords, so the pattern is tried only where ``str.find`` finds one. (The
    pattern opens with a look-behind, which keeps ``re`` from skipping ahead to a
    literal: a scan of the whole text cost 20 ms per party and MB, this one 1 ms.)

    Trying the candidate starts in order, each from the end of the last match, gives
    the same matches as ``finditer``: the leftmost match at or after that point."""
    if not all(party.keywords):
        return list(party.pattern.finditer(text))  # a form opening with a space: no keyword
    starts: set[int] = set()
    for keyword in party.keywords:
        at = text.find(keyword)
        while at != -1:
            starts.add(at)
            at = text.find(keyword, at + 1)
    out = []
    last = 0
    for at in sorted(starts):
        if at < last:
            continue
        m = party.pattern.match(text, at)
        if m is not None:
            out.append(m)
            last = m.end()
    return out


@register
class NameInstitution(Rule):
    id = "name.institution"
    #: A copy editor files a proper name left in lower case under capitalisation.
    category = Category.TYPOGRAPHY
    severity = Severity.WARNING
    fix = FixSafety.UNSAFE
    mqm = "Fluency/Spelling"
    scope = "document"
    languages = frozenset({"en"})
    description = ("A party's name in lower case in English copy ('republican senator', 'the greens' "
                   "in a German story): the capitalised name as an unsafe fix (corpora/names/institutions.yaml).")

    def check(self, ctx: Context) -> Iterator[Finding]:
        text = ctx.text
        present = _gates().present(text)
        if not present:
            return
        for party in parties():
            if present.isdisjoint(party.gates):
                continue
            matches = _finditer(party, text)
            if not matches or not any(c in text for c in party.context):
                continue
            for m in matches:
                near = text[max(0, m.start() - WINDOW):m.end() + WINDOW]
                if not any(c in near for c in party.context):
                    continue  # the country is named, but in another story of this file
                written = m.group(0)
                yield self.finding(
                    ctx, m.start(), m.end(),
                    f"'{written}' is the name of a party ({party.name}) here; English copy "
                    f"capitalises it [{party.basis.rstrip('.')}]",
                    replacement=_capitalised(written, party.name), fix=FixSafety.UNSAFE,
                    data={"party": party.name})
