"""What ``mtnorm rules RULE`` says about one rule, built from the rule itself.

Everything comes from what the project already holds, so the explanation
cannot drift from the code: the class attributes (category, severity, fix
safety, scope, languages), the class or module docstring (why), the data
files the rule's module and its private helpers read (found by reading their
source, see :func:`data_files`) and the rule's own cases, the
``tests/rules/<rule>.yml`` files that the test suite runs.

The cases live with the tests, which are not installed; the wheel carries a
copy of the YAML files as ``normalize/rule_examples/`` (``pyproject.toml``
maps ``tests/rules`` there, leaving the test code out), and a source checkout
reads ``tests/rules`` next to the package. One set of files is both the tests
and the documentation, so an example shown is an example that passes.
"""
from __future__ import annotations

import ast
import difflib
import functools
import importlib.util
import inspect
import json
import re
import sys
import unicodedata
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from .registry import Rule, all_rules, get_rule, rule_fixes

#: Top-level folders of ``corpora/``: a string tuple starting with one of these and
#: ending in a data file name is taken for a data path (``("names", "people.yaml")``).
_CORPUS_DIRS = ("rules", "names", "gazetteer", "lexicon", "styles", "languages")
_DATA_SUFFIX = re.compile(r"\.(?:ya?ml|tsv(?:\.gz)?|json|txt|csv)$")
#: Functions whose string arguments are a path under ``corpora/``.
_PATH_CALLS = {"load_yaml", "corpus"}
#: Modules outside normalize.rules whose data a rule reads through them.
_FOLLOWED_PACKAGES = ("normalize.rules.", "normalize.gazetteer.", "normalize.analysis.")


def close_ids(name: str, limit: int = 3) -> list[str]:
    """Rule ids close to ``name`` (a typo, a missing group, a group's name)."""
    ids = [r.id for r in all_rules()]
    members = [i for i in ids if i.startswith(name.rstrip(".") + ".")]
    if members:
        return members
    # A close match first; a looser one only when nothing is close.
    out = (difflib.get_close_matches(name, ids, n=limit, cutoff=0.85)
           or difflib.get_close_matches(name, ids, n=limit, cutoff=0.6))
    # "double_space" for "typography.double_space": match the name after the group too.
    tails: dict[str, list[str]] = {}
    for i in ids:
        tails.setdefault(i.split(".", 1)[-1], []).append(i)
    for tail in difflib.get_close_matches(name.split(".")[-1], list(tails), n=limit, cutoff=0.75):
        out.extend(i for i in tails[tail] if i not in out)
    return out[:limit]


def find_rule(rule_id: str) -> type[Rule]:
    """The rule with this id; a :class:`~normalize.errors.UsageError` naming close ids if none."""
    from .errors import UsageError

    if rule_id in {r.id for r in all_rules()}:
        return get_rule(rule_id)
    near = close_ids(rule_id)
    if near and all(n.startswith(rule_id.rstrip(".") + ".") for n in near):
        hint = f"; it is a group of {', '.join(near)}"
    else:
        hint = f"; did you mean {', '.join(near)}?" if near else ""
    raise UsageError(f"unknown rule {rule_id!r}{hint} (see 'mtnorm rules')")


# -- examples ------------------------------------------------------------------------

def examples_dir() -> Path | None:
    """Where the rules' cases are: in the installed package, else in the source checkout."""
    shipped = resources.files("normalize").joinpath("rule_examples")
    if shipped.is_dir():
        return Path(str(shipped))
    checkout = Path(__file__).resolve().parent.parent / "tests" / "rules"
    return checkout if checkout.is_dir() else None


#: Keys of a case that say how to run it (shown with the example).
_SETTINGS = ("lang", "style", "source_lang", "source", "reject")


def rule_examples(rule_id: str) -> dict[str, list[dict[str, Any]]]:
    """The rule's cases as ``{"fail": [...], "pass": [...], "fixed": [...]}``.

    ``fail`` holds every failing text (with ``spans``, the reported texts, when
    the case gives them), ``pass`` the texts reported clean, ``fixed`` the failing
    texts that have a fix (``fixed``, and ``unsafe`` when only ``--unsafe`` applies
    it). Settings a case needs (``lang``, ``source_lang``, ``source`` ...) go with it;
    a case that is a known bug (``xfail``) says so in ``note``.
    """
    out: dict[str, list[dict[str, Any]]] = {"fail": [], "pass": [], "fixed": []}
    folder = examples_dir()
    path = folder / f"{rule_id}.yml" if folder is not None else None
    if path is None or not path.is_file():
        return _data_examples(rule_id, out)
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    for case in doc.get("cases") or []:
        settings = {k: case[k] for k in _SETTINGS if k in case}
        base: dict[str, Any] = {"name": case.get("name", ""), **settings}
        if case.get("xfail"):
            base["note"] = str(case["xfail"])
        if "pass" in case:
            out["pass"].append({**base, "text": case["pass"]})
            continue
        if "fail" not in case:
            continue
        fail = {**base, "text": case["fail"]}
        if "spans" in case:
            fail["spans"] = list(case["spans"])
        out["fail"].append(fail)
        for key, unsafe in (("fixed", False), ("fixed_unsafe", True)):
            if key in case:
                out["fixed"].append({**base, "text": case["fail"], "fixed": case[key],
                                     "unsafe": unsafe})
    return out


def _data_examples(rule_id: str, out: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """A rule written as data without a cases file (a user's own): the ``examples`` of its
    files, which ``tests/test_rule_data.py`` runs as the cases are run."""
    from .ruletypes import DataRule
    from .ruletypes.examples import examples, rule_files

    rule = get_rule(rule_id)
    if not issubclass(rule, DataRule):
        return out
    for e in examples([f for f in rule_files() if f.rule is rule]):
        base: dict[str, Any] = {"name": e.where, "lang": e.lang}
        if e.source_lang:
            base["source_lang"] = e.source_lang
        if e.kind == "fixed":
            out["fixed"].append({**base, "text": e.text, "fixed": e.fixed, "unsafe": e.unsafe})
        else:
            out[e.kind].append({**base, "text": e.text})
    return out


# -- data files ----------------------------------------------------------------------

def _module_file(name: str) -> Path | None:
    module = sys.modules.get(name)
    file = getattr(module, "__file__", None) if module is not None else None
    if file:
        return Path(file)
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    return Path(spec.origin) if spec is not None and spec.origin else None


def _resolve(module: str, node: ast.ImportFrom) -> list[str]:
    """Absolute module names an import statement of ``module`` may load."""
    if node.level:
        base = module.split(".")[:-node.level]
        prefix = ".".join(base + ([node.module] if node.module else []))
    else:
        prefix = node.module or ""
    return [prefix] + [f"{prefix}.{alias.name}" for alias in node.names]


def _pattern(arg: ast.expr) -> str | None:
    """A path part from a call argument: the string, or ``<name>`` for a variable part."""
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return arg.value
    if isinstance(arg, ast.Name):
        return f"<{arg.id}>"
    if isinstance(arg, ast.JoinedStr):
        parts = []
        for value in arg.values:
            if isinstance(value, ast.Constant):
                parts.append(str(value.value))
            elif isinstance(value, ast.FormattedValue) and isinstance(value.value, ast.Name):
                parts.append(f"<{value.value.id}>")
            else:
                parts.append("<*>")
        return "".join(parts)
    return None


def _scan(tree: ast.AST) -> set[str]:
    """Data-path patterns in a module: ``<language>.data("name")`` calls, ``load_yaml`` /
    ``corpus`` calls with literal or variable parts, and string tuples naming a file."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if (name == "data" and isinstance(func, ast.Attribute) and len(node.args) == 1
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)):
                found.add(f"rules/<lang>/{node.args[0].value}.yaml")
            elif name in _PATH_CALLS and node.args:
                parts = [_pattern(a) for a in node.args]
                # A path whose file name is all variable ("corpus(dir, name)") says nothing.
                if (None not in parts and parts[0] in _CORPUS_DIRS and len(parts) > 1
                        and _DATA_SUFFIX.search(parts[-1] or "")):
                    found.add("/".join(p for p in parts if p is not None))
        elif (isinstance(node, ast.Attribute) and node.attr == "style"
              and isinstance(node.value, ast.Name) and node.value.id == "ctx"):
            # The house style's spellings (ctx.style.prefer ...): corpora/styles/<style>.yaml.
            found.add("styles/<style>.yaml")
        elif isinstance(node, ast.Tuple) and len(node.elts) > 1:
            names = [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
            if len(names) == len(node.elts) and names[0] in _CORPUS_DIRS and _DATA_SUFFIX.search(names[-1]):
                found.add("/".join(names))
    return found


@functools.cache
def _module_patterns(module: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """(data patterns read in ``module``, helper modules it imports that are followed)."""
    path = _module_file(module)
    if path is None or path.suffix != ".py" or not path.is_file():
        return frozenset(), ()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    helpers = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            for name in _resolve(module, node):
                last = name.rsplit(".", 1)[-1]
                # Private helpers of the rules, the gazetteer and the analyses a rule
                # imports only: another rule's module is that rule's business.
                followed = name.startswith(_FOLLOWED_PACKAGES) and (
                    (last.startswith("_") and last != "__init__")
                    or name.startswith(("normalize.gazetteer.", "normalize.analysis.")))
                if followed and _module_file(name) is not None:
                    helpers.append(name)
    return frozenset(_scan(tree)), tuple(sorted(set(helpers)))


def _corpora_root() -> Path:
    return Path(str(resources.files("normalize").joinpath("corpora")))


def _glob(pattern: str) -> list[str]:
    """Files under ``corpora/`` matching a pattern whose ``<...>`` parts are wildcards."""
    root = _corpora_root()
    glob = re.sub(r"<[^>]*>", "*", pattern)
    return sorted(p.relative_to(root).as_posix() for p in root.glob(glob) if p.is_file())


def data_files(rule: type[Rule]) -> list[dict[str, Any]]:
    """The data under ``corpora/`` a rule reads: ``[{"pattern", "files"}]``.

    Found by reading the source of the rule's module and of the private helper
    modules it imports (transitively): ``language.data("debris")`` reads
    ``rules/<lang>/debris.yaml`` for the language and its parents,
    ``load_yaml("names", "people.yaml")`` one file. ``Rule.data_files`` adds
    patterns the reading cannot see. Only patterns with files are listed.
    """
    patterns: set[str] = set(rule.data_files)
    seen: set[str] = set()
    todo = [rule.__module__]
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        found, helpers = _module_patterns(module)
        patterns |= found
        todo.extend(helpers)
    out = []
    for pattern in sorted(patterns):
        files = _glob(pattern)
        if files:
            out.append({"pattern": f"corpora/{pattern}",
                        "files": [f"corpora/{f}" for f in files]})
    where = getattr(rule, "where", "")
    if where and not where.startswith("corpora/"):  # a rule file of MTNORM_RULES_PATH
        out.append({"pattern": where, "files": [where]})
    return out


def _placeholder_values(entry: dict[str, Any], name: str) -> list[str]:
    """The values a ``<name>`` part of a data pattern takes in its files."""
    pieces = re.split(r"<([^>]*)>", entry["pattern"])
    # Odd pieces are placeholder names, even ones literal text; only the first
    # placeholder called ``name`` is captured.
    regex, captured = "", False
    for i, piece in enumerate(pieces):
        if i % 2 == 0:
            regex += re.escape(piece)
        elif piece == name and not captured:
            regex, captured = regex + "([^/]*)", True
        else:
            regex += "[^/]*"
    if not captured:
        return []
    return sorted({m[1] for path in entry["files"] if (m := re.fullmatch(regex, path))})


# -- the explanation -----------------------------------------------------------------

_FIX_WORDS = {
    "safe": "safe: mtnorm fix applies it",
    "unsafe": "unsafe: mtnorm fix applies it only with --unsafe",
    "none": "none: reported only",
}
_SCOPE_WORDS = {
    "line": "line: a finding depends on its own line and its neighbours (after a fix only "
            "the edited lines are checked again)",
    "document": "document: the rule looks at the whole text",
}


def _why(rule: type[Rule]) -> str:
    """The class docstring, else the module's docstring less its ``id:`` prefix."""
    doc = rule.__dict__.get("__doc__")
    if not doc:
        module = sys.modules.get(rule.__module__)
        doc = (module.__doc__ if module else "") or ""
        doc = re.sub(rf"^\s*{re.escape(rule.id)}:\s*", "", doc)
    text = inspect.cleandoc(doc) if doc else ""
    text = text[:1].upper() + text[1:]
    text = re.sub(r"``([^`]+)``", r"`\1`", text)   # reStructuredText literals, as Markdown
    # Paragraphs as single lines: the text renderer wraps them.
    return "\n\n".join(" ".join(p.split()) for p in text.split("\n\n") if p.strip())


def _options(rule: type[Rule], data: list[dict[str, Any]]) -> dict[str, str]:
    options = dict(rule.options)
    if any(entry["pattern"] == "corpora/styles/<style>.yaml" for entry in data):
        options.setdefault("--style NAME",
                           "the house style whose spellings the rule follows (style in the "
                           "configuration; default: the language's)")
    if rule.needs_source_lang:
        options.setdefault("--source-lang LANG",
                           "the language translated from (source_lang in the configuration); "
                           "the rule runs only when it is given and differs from --lang")
    if rule.needs_source:
        options.setdefault("--source FILE / --source-field NAME",
                           "the source text, segment by segment; the rule runs only with it")
    if getattr(rule, "needs_lexicon", False):
        options.setdefault("pip install 'mtnorm[lexicon]'",
                           "word lists (wordfreq); without them the rule does not run")
    return options


def _source_languages(rule: type[Rule], data: list[dict[str, Any]]) -> list[str] | str:
    for entry in data:
        if "<source>" in entry["pattern"]:
            # Language codes only ("common.yaml" holds entries shared by every source).
            return [v for v in _placeholder_values(entry, "source")
                    if re.fullmatch(r"[a-z]{2,3}(?:[-_][A-Za-z]+)?", v)]
    if rule.needs_source_lang:
        return "any other than the text's (--source-lang)"
    return "any (not needed)"


def explain(rule_id: str) -> dict[str, Any]:
    """Everything ``mtnorm rules RULE`` shows, as one JSON-ready dictionary."""
    rule = find_rule(rule_id)
    data = data_files(rule)
    return {
        "id": rule.id,
        "description": rule.description,
        "why": _why(rule),
        "category": rule.category.value,
        "severity": str(rule.severity),
        "mqm": rule.mqm,
        "fix": rule_fixes(rule)[0],
        "fixes": rule_fixes(rule),
        "scope": rule.scope,
        "languages": sorted(rule.languages) if rule.languages else "all",
        "source_languages": _source_languages(rule, data),
        "needs_source": rule.needs_source,
        "needs_source_lang": rule.needs_source_lang,
        "external": rule.external,
        "data": data,
        "options": _options(rule, data),
        "examples": rule_examples(rule.id),
    }


def _files_line(entry: dict[str, Any]) -> str:
    """``corpora/rules/<lang>/debris.yaml: de, en, fr`` (the placeholder values), or the file."""
    names = re.findall(r"<([^>]*)>", entry["pattern"])
    if not names:
        return entry["pattern"]
    values = [f"{n}: {', '.join(_placeholder_values(entry, n))}" for n in dict.fromkeys(names)]
    return f"{entry['pattern']} ({'; '.join(values)})"


def _quote(text: str) -> str:
    """A text as one quoted line, with line breaks, tabs, invisible characters and
    spaces other than the plain one written as escapes (they are often the point)."""
    out = []
    for ch in json.dumps(text, ensure_ascii=False)[1:-1]:
        kind = unicodedata.category(ch)
        out.append(f"\\u{ord(ch):04x}" if ch != " " and kind in ("Zs", "Zl", "Zp", "Cf", "Cc", "Mn")
                   else ch)
    return '"' + "".join(out) + '"'


def render_text(info: dict[str, Any], limit: int = 5, width: int = 88) -> str:
    """The explanation as text (``limit`` examples of each kind, the rest counted)."""
    import textwrap

    def wrap(text: str, indent: str = "") -> list[str]:
        return textwrap.wrap(text, width=width, initial_indent=indent,
                             subsequent_indent=indent) or [indent.rstrip()]

    lines = [f"# {info['id']}", ""]
    lines += wrap(info["description"])
    if info["why"]:
        lines += ["", "## Why", ""]
        for i, paragraph in enumerate(info["why"].split("\n\n")):
            lines += ([""] if i else []) + wrap(paragraph)
    fixes = "/".join(info["fixes"])
    fix = _FIX_WORDS.get(fixes, f"{fixes}: decided per finding")
    languages = info["languages"] if isinstance(info["languages"], str) else \
        ", ".join(info["languages"])
    sources = info["source_languages"] if isinstance(info["source_languages"], str) else \
        ", ".join(info["source_languages"])
    lines += ["", "## Rule", ""]
    rows = [("category", info["category"]), ("severity", info["severity"]),
            ("MQM type", info["mqm"] or "-"), ("fix", fix), ("scope", _SCOPE_WORDS[info["scope"]]),
            ("languages", languages), ("source languages", sources),
            ("source text", "needed (--source)" if info["needs_source"] else "not needed")]
    if info["external"]:
        rows.append(("made by", ("outside the linter's pass (see Options); 'check' alone "
                                 "reports nothing")))
    for key, value in rows:
        first, *rest = wrap(value, " " * 18) or [""]
        lines.append(f"{key:<17} {first[18:]}")
        lines += rest
    lines += ["", "## Data", ""]
    if info["data"]:
        lines += [f"- {_files_line(entry)}" for entry in info["data"]]
    else:
        lines.append("none: the rule's knowledge is in its code")
    lines += ["", "## Options", ""]
    group, category = info["id"].split(".")[0], info["category"]
    names = f"{info['id']}, {group}" + (f" or {category}" if category != group else "")
    lines += wrap(f"--select, --ignore, a severity override (severity table of the "
                  f"configuration) and inline directives take {names}.")
    for key, value in info["options"].items():
        lines += [f"- {key}"] + wrap(value, "    ")
    examples = info["examples"]
    lines += ["", "## Examples", ""]
    if not any(examples.values()):
        lines.append("none found (tests/rules/<rule>.yml holds them in a source checkout)")
    for kind, title in (("fail", "Reported"), ("fixed", "Fixed"), ("pass", "Not reported")):
        cases = examples[kind]
        if not cases:
            continue
        lines.append(f"{title}:")
        for case in cases[:limit]:
            settings = ", ".join(f"{k}={case[k]}" for k in _SETTINGS if k in case
                                 and k not in ("source", "reject"))
            if "source" in case:
                settings = ", ".join(filter(None, [settings, f"source={_quote(case['source'])}"]))
            head = f"  {_quote(case['text'])}"
            lines.append(head + (f"   [{settings}]" if settings else ""))
            if kind == "fail" and case.get("spans"):
                lines.append(f"    finds: {', '.join(_quote(s) for s in case['spans'])}")
            if kind == "fixed":
                lines.append(f"    -> {_quote(case['fixed'])}"
                             + ("   (--unsafe)" if case["unsafe"] else ""))
            if case.get("note"):
                lines += wrap(f"note: {case['note']}", "    ")
        if len(cases) > limit:
            lines.append(f"  ... {len(cases) - limit} more (--format json lists them all)")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"

