"""name.inconsistent: one person's name spelled two ways in one document.

Three kinds of evidence, for people the project has never heard of:
- two spellings that transliterate one name (``normalize.translit.equivalence_key``:
  Zelensky/Zelenskyy/Zelenskyi, Élisabeth/Elisabeth), as surnames in name runs or
  as standalone capitalised words;
- a surname with one letter changed (six letters or more, same first letter)
  written after the same given name (Christine Lambrecht / Christine Lambecht);
- the known people of ``corpora/names/people.yaml``.
The minority spelling is reported at each of its places, naming the majority
one, with an unsafe fix to it.
"""
from __future__ import annotations

import difflib
from collections.abc import Iterator

from ...analysis.people import name_tokens, registry, titles_for
from ...analysis.words import function_words as language_function_words
from ...findings import Category, Edit, Finding, FixSafety, Severity
from ...registry import Context, Rule, register
from ...translit import edit_distance_one, equivalence_key
from .._text import transfer_case
from ._sequences import fold, skeleton

#: Two spellings this far apart (in characters) are not compared: a corpus
#: given as one document holds many articles, and two people in two articles
#: may have similar names.
WINDOW = 20_000
#: Fewest letters of a surname or given name compared.
MIN_SURNAME = 5
MIN_GIVEN = 4
#: Fewest letters of a surname judged by one changed letter (Kim/Kin are two people).
MIN_EDIT = 6
#: Fewest letters of a standalone capitalised word grouped by transliteration.
MIN_SINGLE = 6


def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio()


def _morphology(a: str, b: str, endings: frozenset[str] = frozenset()) -> bool:
    """True if two spellings are forms of different words rather than spellings of one:
    a plural or genitive (+s), a feminine form (Aliyev/Aliyeva, Navalny/Navalnaya,
    Zelensky/Zelenska), a change of final vowel (Mario/Maria, Daniel/Daniela), or
    another inflectional ending of the language (German Usern/Userin)."""
    a, b = fold(a), fold(b)
    if a == b:
        return False  # only accents or case differ
    if a.endswith("s") and b.endswith("s") and len(a) > 4 and len(b) > 4:
        a, b = a[:-1], b[:-1]  # plurals of two words: Romans / Romanians
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if long_.startswith(short) and long_[len(short):] in ("s", "es", "a", "e", "o", "n", "in", "ian", "an"):
        return True
    if endings:
        stem = 0
        while stem < len(short) and short[stem] == long_[stem]:
            stem += 1
        ends = {short[stem:], long_[stem:]}
        if stem >= 3 and ends <= endings | {""}:
            return True
    if a.endswith("a") != b.endswith("a"):
        return True
    return bool(len(a) == len(b) and a[:-1] == b[:-1] and {a[-1], b[-1]} <= set("aeo"))


def _alike(a: str, b: str, threshold: float, endings: frozenset[str] = frozenset()) -> bool:
    if _morphology(a, b, endings):
        return False
    fa, fb = fold(a), fold(b)
    if fa == fb:
        return True  # only case or diacritics differ (Erdoğan / Erdogan)
    if abs(len(fa) - len(fb)) > 3:
        return False
    return skeleton(a) == skeleton(b) and _ratio(fa, fb) >= threshold


def _one_letter_pairs(words: list[str]) -> list[tuple[str, str]]:
    """Pairs of words (same first letter) one changed, added or removed letter apart,
    found through their one-letter deletions rather than by comparing every pair."""
    by_deletion: dict[str, list[str]] = {}
    for w in words:
        for variant in {w, *(w[:i] + w[i + 1:] for i in range(1, len(w)))}:
            by_deletion.setdefault(variant, []).append(w)
    out: set[tuple[str, str]] = set()
    for group in by_deletion.values():
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                if a != b and a[0] == b[0] and edit_distance_one(a, b):
                    out.add((a, b) if a < b else (b, a))
    return sorted(out)


@register
class NameInconsistent(Rule):
    id = "name.inconsistent"
    category = Category.CONSISTENCY
    severity = Severity.WARNING
    fix = FixSafety.UNSAFE
    mqm = "Terminology/Inconsistent"
    scope = "document"
    languages = frozenset({"en", "fr", "de", "es", "it"})
    description = ("One name spelled two ways in one text (Beglaryan/Beglarian, Zelensky/Zelenskyy, "
                   "Lambrecht/Lambecht after one given name): the minority spelling at each of its "
                   "places, with an unsafe fix to the majority one.")

    def check(self, ctx: Context) -> Iterator[Finding]:
        seen: set[tuple[int, int]] = set()
        single = self._single(ctx)
        # The standalone-word pass counts every occurrence; the run pass only those in
        # runs, so where both see one name the first one's majority decides.
        covered = {s for f in single for s in f.data["spellings"]}
        runs = [f for f in [*self._known(ctx), *self._unknown(ctx)]
                if not covered & set(f.data["spellings"])]
        for finding in [*runs, *single]:
            if (finding.start, finding.end) in seen:
                continue
            seen.add((finding.start, finding.end))
            yield finding

    # -- people in corpora/names/people.yaml ------------------------------------------------
    def _known(self, ctx: Context) -> list[Finding]:
        text = ctx.text
        lang = ctx.language.family
        chain = ctx.style.chain or ((ctx.style.name,) if ctx.style.name else ())
        by_person: dict[str, dict[str, dict[tuple[str, ...], list[tuple[int, int]]]]] = {}
        people = {}
        for m in ctx.analysis.people:
            people[m.person.id] = m.person
            parts = by_person.setdefault(m.person.id, {"given": {}, "surname": {}})
            parts["surname"].setdefault(name_tokens(text[m.surname[0]:m.surname[1]]), []).append(m.surname)
            if m.given:
                parts["given"].setdefault(name_tokens(text[m.given[0]:m.given[1]]), []).append(m.given)
        out = []
        for pid, parts in by_person.items():
            person = people[pid]
            (given, surname), _ = person.target(lang, chain)
            for part, spellings in parts.items():
                if len(spellings) < 2:
                    continue
                wanted = name_tokens(given if part == "given" else surname)
                base = wanted if wanted in spellings else \
                    min(spellings, key=lambda k: (-len(spellings[k]), spellings[k][0][0]))
                out.extend(self._report(ctx, spellings, base, f"{given} {surname}".strip()))
        return out

    # -- everybody else: similar tokens of capitalised name runs -------------------------------
    def _unknown(self, ctx: Context) -> list[Finding]:
        runs = ctx.analysis.name_runs
        if len(runs.surname_starts) < 2:
            return []  # two spellings need two runs (most short segments have fewer)
        text = ctx.text
        reg = registry()
        fw = language_function_words(ctx.language.code)
        titles = titles_for(ctx.language.family)
        known_last = reg.by_last
        endings = reg.endings.get(ctx.language.family, frozenset())
        surnames = [text[a:b] for a, b in zip(runs.surname_starts, runs.surname_ends)]
        givens = [text[a:b] for a, b in zip(runs.given_starts, runs.given_ends)]
        # surname as written -> given as written -> run numbers
        raw: dict[str, dict[str, list[int]]] = {}
        for i, (sur, giv) in enumerate(zip(surnames, givens)):
            by_given = raw.get(sur)
            if by_given is None:
                raw[sur] = {giv: [i]}
            elif giv in by_given:
                by_given[giv].append(i)
            else:
                by_given[giv] = [i]
        # surname (lower) -> given (lower, or "" for a title or none) -> run numbers
        table: dict[str, dict[str, list[int]]] = {}
        for sur, by_given in raw.items():
            low = sur.lower()
            if len(sur) < 3 or low in fw or sur in titles or low in known_last or not sur.isalpha() \
                    or sur.isupper():
                continue  # acronyms, datelines ("KYIV, Ukraine (AP)"), known people
            target = table.setdefault(low, {})
            for giv, ids in by_given.items():
                if giv.isupper() and len(giv) > 1:
                    continue
                g = "" if (giv in titles or giv.lower() in fw or not giv.isalpha()) else giv.lower()
                target.setdefault(g, []).extend(ids)
        candidates: list[tuple[str, dict[tuple[str, ...], list[tuple[int, int]]], str]] = []

        def surname_spans(low: str) -> list[tuple[int, int]]:
            return sorted((runs.surname_starts[i], runs.surname_ends[i]) for ids in table[low].values() for i in ids)

        def given_spans(low: str, g: str) -> list[tuple[int, int]]:
            return sorted((runs.given_starts[i], runs.given_ends[i]) for i in table[low][g])

        # Surnames spelled two ways, for one person: the same given name with both, or
        # one spelling with a given name and the other with a title or alone.
        pairs: set[tuple[str, str]] = set()
        buckets: dict[str, list[str]] = {}
        for sur in table:
            if len(sur) >= MIN_SURNAME:
                buckets.setdefault(sur[:2] + sur[-1], []).append(sur)
        for names in buckets.values():
            if len(names) < 2:
                continue
            for i, a in enumerate(names):
                ga = table[a].keys()
                for b in names[i + 1:]:
                    if abs(len(a) - len(b)) > 3:
                        continue
                    gb = table[b].keys()
                    if not ((ga & gb) - {""} or ("" in ga and len(gb) > ("" in gb))
                            or ("" in gb and len(ga) > ("" in ga))):
                        continue
                    if not _alike(a, b, 0.8, endings):
                        continue
                    pairs.add((a, b) if a < b else (b, a))
        # Transliterations of one surname (Zelenskyy / Zelenskyi), same corroboration.
        by_key: dict[str, list[str]] = {}
        for sur in table:
            if len(sur) >= MIN_SURNAME:
                by_key.setdefault(equivalence_key(sur, ctx.language.family), []).append(sur)
        for names in by_key.values():
            for i, a in enumerate(names):
                for b in names[i + 1:]:
                    ga, gb = table[a].keys(), table[b].keys()
                    if (ga & gb) - {""} or "" in ga or "" in gb:
                        if not _morphology(a, b, endings):
                            pairs.add((a, b) if a < b else (b, a))
        # One letter changed, after the same given name ("Germany" / "Germans" after
        # function words or titles are two words, not one name).
        for a, b in _one_letter_pairs([sur for sur in table if len(sur) >= MIN_EDIT]):
            ga, gb = table[a].keys(), table[b].keys()
            if (ga & gb) - {""} and not _morphology(a, b, endings):
                pairs.add((a, b) if a < b else (b, a))
        if pairs:
            # Count every capitalised occurrence of the surnames, not only those in runs
            # ("Christine Lambrecht ... Lambrecht said"): the majority spelling decides.
            wanted = {w for pair in pairs for w in pair}
            everywhere: dict[str, set[tuple[int, int]]] = {}
            for s, e in ctx.analysis.words.capitalised():
                low = text[s:e].lower()
                if low in wanted:
                    everywhere.setdefault(low, set()).add((s, e))
            for a, b in sorted(pairs):
                candidates.append(("surname", {
                    (a,): sorted(everywhere.get(a, set()) | set(surname_spans(a))),
                    (b,): sorted(everywhere.get(b, set()) | set(surname_spans(b)))}, ""))
        # Given names spelled two ways before one surname (Arayik / Arayek Harutyunyan).
        for sur, by_given in table.items():
            if len(by_given) < 2:
                continue
            names = [g for g in by_given if len(g) >= MIN_GIVEN]
            for i, a in enumerate(names):
                for b in names[i + 1:]:
                    if _alike(a, b, 0.75, endings):
                        candidates.append(("given", {(a,): given_spans(sur, a), (b,): given_spans(sur, b)},
                                           sur))
        out = []
        for part, spellings, sur in candidates:
            first = [v[0][0] for v in spellings.values()]
            if max(first) - min(first) > WINDOW and not self._close(spellings):
                continue
            if self._place(ctx, part, spellings, sur):
                continue
            base = min(spellings, key=lambda k: (-len(spellings[k]), spellings[k][0][0]))
            base_text = text[spellings[base][0][0]:spellings[base][0][1]]
            label = f"{base_text} {sur[:1].upper()}{sur[1:]}" if part == "given" else base_text
            out.extend(self._report(ctx, spellings, base, label))
        return out

    # -- standalone capitalised words: transliterations of one name ------------------------
    def _single(self, ctx: Context) -> list[Finding]:
        """Capitalised words that are not a given name before a surname, grouped by
        transliteration key ("the Elysée" / "the Élysée", "Zelensky" / "Zelenskyy")."""
        text = ctx.text
        spans = ctx.analysis.words.capitalised()
        if len(spans) < 2:
            return []
        fw = language_function_words(ctx.language.code)
        titles = titles_for(ctx.language.family)
        known = registry().by_last
        endings = registry().endings.get(ctx.language.family, frozenset())
        groups: dict[str, dict[str, list[tuple[int, int]]]] = {}
        for s, e in spans:
            if e - s < MIN_SINGLE:
                continue
            word = text[s:e]
            if word.isupper() or not word.isalpha():
                continue
            low = word.lower()
            if low in fw or word in titles or low in known:
                continue
            if e + 1 < len(text) and text[e] == " " and text[e + 1].isupper():
                continue  # a given name ("Mohamed Salah", "Mohammed bin Salman"): many spellings are right
            groups.setdefault(equivalence_key(word, ctx.language.family), {}).setdefault(low, []).append((s, e))
        out: list[Finding] = []
        lex = None
        if ctx.language.capitalises_nouns:  # German "Foto"/"Photo" are nouns, not names
            from ...lexicon import get as lexicon

            lex = lexicon(ctx.language.code)
        for by_spelling in groups.values():
            if len(by_spelling) < 2:
                continue
            names = list(by_spelling)
            if ctx.language.capitalises_nouns and (lex is None or any(lex.zipf(w) >= 2.0 for w in names)):
                continue
            if any(_morphology(a, b, endings) for i, a in enumerate(names) for b in names[i + 1:]):
                continue
            spellings = {(w,): v for w, v in by_spelling.items()}
            first = [v[0][0] for v in spellings.values()]
            if max(first) - min(first) > WINDOW and not self._close(spellings):
                continue
            if self._place(ctx, "surname", spellings, ""):
                continue  # toponym.consistency judges places
            base = min(spellings, key=lambda k: (-len(spellings[k]), spellings[k][0][0]))
            out.extend(self._report(ctx, spellings, base, text[spellings[base][0][0]:spellings[base][0][1]]))
        return out

    @staticmethod
    def _close(spellings: dict) -> bool:
        """True if some occurrences of two spellings lie within WINDOW of each other."""
        (_a, xs), (_b, ys) = list(spellings.items())[:2]
        return any(abs(x[0] - y[0]) <= WINDOW for x in xs for y in ys)

    @staticmethod
    def _place(ctx: Context, part: str, spellings: dict, sur: str) -> bool:
        """True if the spellings are place names ("Nagorno Karabakh" / "Nagorny Karabakh")."""
        try:
            from ...gazetteer import get_gazetteer
            from ...gazetteer.store import name_key

            index = get_gazetteer().index(ctx.language.code)
        except Exception:
            return False
        words = [" ".join(k) for k in spellings]
        if part == "given":
            return any(index.has_key(name_key(f"{w} {sur}")) for w in words)
        return all(index.has_key(name_key(w)) for w in words)

    def _report(self, ctx: Context, spellings: dict, base: tuple[str, ...], label: str) -> list[Finding]:
        text = ctx.text
        base_span = spellings[base][0]
        base_text = text[base_span[0]:base_span[1]]
        out = []
        for key, spans in spellings.items():
            if key == base:
                continue
            start, end = spans[0]
            written = text[start:end]
            others = ", ".join(f"'{text[v[0][0]:v[0][1]]}' ({len(v)}x)" for k, v in spellings.items() if k != key)
            also = tuple(Edit(a, b, transfer_case(text[a:b], base_text), self.id) for a, b in spans[1:])
            out.append(self.finding(
                ctx, start, end,
                f"'{written}' ({len(spans)}x) and {others} spell one name ({label}) in this "
                f"text; use '{base_text}' throughout",
                replacement=transfer_case(written, base_text), fix=FixSafety.UNSAFE, also=also,
                data={"name": label, "spellings": sorted(" ".join(k) for k in spellings), "base": base_text}))
        return out
