"""Configuration files (normalize/config.py), severity/accept/reject options and terms.rejected."""
from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from normalize.api import get_linter
from normalize.config import (
    Config,
    ConfigError,
    ConfigResolver,
    Settings,
    find_config,
    load_config,
)
from normalize.document import Document
from normalize.errors import UsageError
from normalize.findings import Category, FixSafety, Severity
from normalize.fixer import fix_document
from normalize.linter import Linter, Options


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def lint(text: str, options: Options) -> list:
    return get_linter(options).check(Document(text, lang=options.lang, style=options.style))


def fixed(text: str, options: Options, unsafe: bool = False):
    return fix_document(get_linter(options), Document(text, lang=options.lang, style=options.style),
                        unsafe=unsafe)


# --- finding the file -------------------------------------------------------------------------


def test_find_config_walks_up_from_a_file(tmp_path: Path) -> None:
    config = write(tmp_path / "mtnorm.toml", 'style = "ap"\n')
    deep = write(tmp_path / "a" / "b" / "c" / "story.txt", "text\n")
    assert find_config(deep) == config
    assert find_config(deep.parent) == config          # a directory works too
    assert find_config(tmp_path) == config


def test_find_config_none_below_an_unconfigured_tree(tmp_path: Path) -> None:
    story = write(tmp_path / "x" / "story.txt", "text\n")
    found = find_config(story)
    # Whatever lies above the temporary directory is not ours; nothing inside it counts.
    assert found is None or tmp_path not in found.parents


def test_mtnorm_toml_wins_over_pyproject_in_one_directory(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.mtnorm]\nstyle = "afp"\n')
    own = write(tmp_path / "mtnorm.toml", 'style = "ap"\n')
    assert find_config(tmp_path / "story.txt") == own
    assert load_config(own).settings_for(tmp_path / "story.txt").style == "ap"


def test_pyproject_without_table_does_not_count(tmp_path: Path) -> None:
    top = write(tmp_path / "pyproject.toml", '[tool.mtnorm]\nstyle = "ap"\n')
    # One without the table, one mentioning mtnorm only in a comment: both skipped.
    write(tmp_path / "a" / "pyproject.toml", '[project]\nname = "x"\n')
    write(tmp_path / "a" / "b" / "pyproject.toml", '# mtnorm is configured above\n[tool.black]\n')
    assert find_config(tmp_path / "a" / "b" / "story.txt") == top


def test_nearest_configuration_wins(tmp_path: Path) -> None:
    write(tmp_path / "mtnorm.toml", 'style = "ap"\n')
    near = write(tmp_path / "desk" / "pyproject.toml", '[tool.mtnorm]\nstyle = "afp"\n')
    assert find_config(tmp_path / "desk" / "story.txt") == near


def test_resolver_loads_each_file_once_and_honours_explicit_and_isolated(tmp_path: Path) -> None:
    write(tmp_path / "mtnorm.toml", 'style = "ap"\n')
    other = write(tmp_path / "elsewhere.toml", 'style = "afp"\n')
    resolver = ConfigResolver()
    first = resolver.config_for(tmp_path / "a.txt")
    assert resolver.config_for(tmp_path / "b.txt") is first
    assert resolver.settings_for(tmp_path / "a.txt").style == "ap"
    assert ConfigResolver(explicit=other).settings_for(tmp_path / "a.txt").style == "afp"
    assert ConfigResolver(isolated=True).settings_for(tmp_path / "a.txt") == Settings()


# --- settings and options ---------------------------------------------------------------------

PYPROJECT = """\
[project]
name = "newsroom"

[tool.mtnorm]
lang = "en"
style = "ap"
fail_on = "warning"
select = ["toponym", "repetition", "debris"]

[tool.mtnorm.severity]
toponym = "error"
"toponym.contested" = "info"
"""


def test_pyproject_settings_drive_a_real_check(tmp_path: Path) -> None:
    config = load_config(write(tmp_path / "pyproject.toml", PYPROJECT))
    settings = config.settings_for(tmp_path / "story.txt")
    assert settings.style == "ap" and settings.fail_on == "warning"
    options = settings.options()
    assert options == Options(lang="en", style="ap", select=("toponym", "repetition", "debris"),
                              severity=(("toponym", "error"), ("toponym.contested", "info")))
    findings = lint("Nagorny Karabakh said the the talks went on.\n", options)
    by_rule = {f.rule: f for f in findings}
    assert by_rule["toponym.variant"].text == "Nagorny Karabakh"
    assert by_rule["toponym.variant"].replacement == "Nagorno-Karabakh"   # style ap
    assert by_rule["toponym.variant"].severity is Severity.ERROR           # group override
    assert by_rule["repetition.doubled_word"].severity is Severity.WARNING  # untouched
    assert settings.fail_on_for() == "warning"
    assert settings.fail_on_for("never") == "never"


def test_explicit_cli_values_win(tmp_path: Path) -> None:
    settings = load_config(write(tmp_path / "pyproject.toml", PYPROJECT)).settings_for("x.txt")
    options = settings.options({"lang": None, "style": "default-en", "select": [], "ignore": None,
                                "source_lang": "fr"})
    assert options.style == "default-en"               # given: wins
    assert options.source_lang == "fr"
    assert options.lang == "en"                        # None: the configuration's
    assert options.select == ("toponym", "repetition", "debris")   # empty: not given
    assert settings.options({"select": ["debris"]}).select == ("debris",)
    with pytest.raises(TypeError, match="colour"):
        settings.options({"colour": "red"})


def test_empty_config_gives_default_options() -> None:
    settings = Config.empty().settings_for("anything.txt")
    assert settings == Settings()
    assert settings.options() == Options()
    assert settings.fail_on_for() == "error"


MTNORM_TOML = """\
style = "ap"
accept = ["Kiev"]
reject = { utilize = "use" }
select = ["toponym", "terms", "repetition"]

[severity]
"toponym.variant" = "info"

[[overrides]]
paths = ["archive/**"]
select = ["terms"]
accept = ["Odessa"]
reject = ["leverage"]
severity = { terms = "error" }

[[overrides]]
paths = ["archive/1990/*.txt", "*.md"]
fail_on = "never"
style = "default-en"

[[overrides]]
paths = ["drafts/"]
lang = "fr"
style = "afp"
"""


def test_overrides_apply_in_order_and_merge(tmp_path: Path) -> None:
    config = load_config(write(tmp_path / "mtnorm.toml", MTNORM_TOML))
    top = config.settings_for(tmp_path / "news" / "a.txt")
    assert top.accept == ("Kiev",) and top.reject == (("utilize", "use"),)
    assert top.select == ("toponym", "terms", "repetition") and top.fail_on is None

    archive = config.settings_for(tmp_path / "archive" / "2001" / "a.txt")
    assert archive.select == ("terms",)                                  # replaced
    assert archive.accept == ("Kiev", "Odessa")                          # merged
    assert archive.reject == (("leverage", None), ("utilize", "use"))    # merged
    assert archive.severity == (("terms", "error"), ("toponym.variant", "info"))
    assert archive.style == "ap" and archive.fail_on is None

    old = config.settings_for(tmp_path / "archive" / "1990" / "a.txt")   # both overrides, in order
    assert old.select == ("terms",) and old.fail_on == "never" and old.style == "default-en"
    # "*.md" is anchored like PurePath.full_match: top level only.
    assert config.settings_for(tmp_path / "notes.md").fail_on == "never"
    assert config.settings_for(tmp_path / "news" / "notes.md").fail_on is None
    # "archive/1990/*.txt": '*' does not cross '/'.
    assert config.settings_for(tmp_path / "archive" / "1990" / "x" / "a.txt").fail_on is None
    # "drafts/" is everything below drafts.
    assert config.settings_for(tmp_path / "drafts" / "x" / "y.txt").lang == "fr"
    # Standard input and files outside the configuration's directory: top level only.
    assert config.settings_for("-") == top
    assert config.settings_for(tmp_path.parent / "archive" / "a.txt") == top


def test_override_paths_relative_to_the_config_not_the_cwd(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    config = load_config(write(tmp_path / "mtnorm.toml", MTNORM_TOML))
    write(tmp_path / "archive" / "2001" / "a.txt", "x\n")
    monkeypatch.chdir(tmp_path / "archive")
    assert config.settings_for("2001/a.txt").select == ("terms",)


def test_overrides_change_real_findings(tmp_path: Path) -> None:
    config = load_config(write(tmp_path / "mtnorm.toml", MTNORM_TOML))
    text = "Kiev and Odessa: we utilize and leverage the the data.\n"
    news = lint(text, config.settings_for(tmp_path / "news.txt").options())
    assert [(f.rule, f.text) for f in news] == [
        ("toponym.variant", "Odessa"), ("terms.rejected", "utilize"),
        ("repetition.doubled_word", "the the")]
    assert news[0].severity is Severity.INFO               # [severity] "toponym.variant"
    archive = lint(text, config.settings_for(tmp_path / "archive" / "a.txt").options())
    assert [(f.rule, f.text, f.severity) for f in archive] == [
        ("terms.rejected", "utilize", Severity.ERROR), ("terms.rejected", "leverage", Severity.ERROR)]


# --- severity, accept, reject on Options -------------------------------------------------------


def test_most_specific_severity_wins() -> None:
    text = "Nagorny Karabakh and [ad_1] here.\n"
    options = Options(style="ap", severity=(("all", "info"), ("toponym", "error"),
                                            ("toponym.variant", "warning"), ("debris", "info")))
    by_rule = {f.rule: f.severity for f in lint(text, options)}
    assert by_rule == {"toponym.variant": Severity.WARNING, "debris.pattern": Severity.INFO}
    # A category alone, and "all" below everything else.
    options = Options(style="ap", severity=(("toponym", "info"), ("all", "error")))
    by_rule = {f.rule: f.severity for f in lint(text, options)}
    assert by_rule == {"toponym.variant": Severity.INFO, "debris.pattern": Severity.ERROR}


def test_options_severity_applies_after_the_style() -> None:
    linter = Linter(Options(style="ap", severity=(("debris.pattern", "info"),)))
    assert linter.adjust(lint("[ad_1]\nText.\n", Options())[0]).severity is Severity.INFO


def test_bad_severity_options_are_usage_errors() -> None:
    with pytest.raises(UsageError, match="nosuch"):
        Linter(Options(severity=(("nosuch", "error"),)))
    with pytest.raises(UsageError, match="fatal"):
        Linter(Options(severity=(("toponym", "fatal"),)))


def test_accept_drops_exact_matches_only() -> None:
    text = "Kiev and Odessa.\n"
    assert [f.text for f in lint(text, Options(style="ap"))] == ["Kiev", "Odessa"]
    assert [f.text for f in lint(text, Options(style="ap", accept=("Kiev",)))] == ["Odessa"]
    assert [f.text for f in lint(text, Options(style="ap", accept=("kiev",)))] == ["Kiev", "Odessa"]
    # Accepted terms are not fixed either.
    assert fixed(text, Options(style="ap", accept=("Kiev",))).text == "Kiev and Odesa.\n"


def test_accept_cyrillic() -> None:
    text = "Министр министр заявил.\n"
    assert [f.rule for f in lint(text, Options(lang="ru"))] == ["repetition.doubled_word"]
    assert lint(text, Options(lang="ru", accept=("Министр министр",))) == []


def test_reject_cyrillic_whole_words_with_fix() -> None:
    options = Options(lang="ru", reject=(("Киев", "Кыив"), ("утилизировать", None)))
    text = "Киев и Киевская область; утилизировать. Утилизировать? переутилизировать\n"
    findings = lint(text, options)
    assert [(f.rule, f.text, f.replacement) for f in findings] == [
        ("terms.rejected", "Киев", "Кыив"),
        ("terms.rejected", "утилизировать", None),
        ("terms.rejected", "Утилизировать", None)]   # capitalised at a sentence start
    first = findings[0]
    assert first.category is Category.STYLE and first.severity is Severity.WARNING
    assert first.fix is FixSafety.SAFE and findings[1].fix is FixSafety.NONE
    assert fixed(text, options).text == text.replace("Киев ", "Кыив ", 1)


def test_reject_capitalises_the_replacement_and_matches_phrases() -> None:
    options = Options(reject=(("utilize", "use"), ("in order to", "to")))
    text = "Utilize it in order to win; they utilize it in  order to win. Utilized.\n"
    result = fixed(text, options)
    assert result.text == "Use it to win; they use it to win. Utilized.\n"
    assert lint(result.text, options) == []


def test_reject_not_active_without_terms() -> None:
    assert lint("utilize\n", Options(select=("terms",))) == []


def test_reject_replacement_that_is_rejected_is_refused() -> None:
    with pytest.raises(UsageError, match="never settle"):
        Linter(Options(reject=(("Kiev", "Kiev city"),)))


def test_options_stay_hashable_and_picklable() -> None:
    options = Options(lang="ru", severity=(("toponym", "error"),), accept=("Киев",),
                      reject=(("утилизировать", None), ("Киев", "Кыив")))
    assert hash(options) == hash(pickle.loads(pickle.dumps(options)))
    assert pickle.loads(pickle.dumps(options)) == options
    assert get_linter(options) is get_linter(Options(**options.__dict__))


# --- errors --------------------------------------------------------------------------------------


@pytest.mark.parametrize("body, expected", [
    ('colour = "red"\n', "unknown key 'colour' in the top level"),
    ('lang = 3\n', "key 'lang' in the top level: expected a string, not an integer"),
    ('select = "toponym"\n', "key 'select' in the top level: expected an array of strings"),
    ('select = ["toponymz"]\n', "key 'select' in the top level: unknown rule, group or category 'toponymz'"),
    ('fail_on = "sometimes"\n', "key 'fail_on' in the top level: expected one of error, warning, info, never"),
    ('severity = "error"\n', "key 'severity' in the top level: expected a table"),
    ('[severity]\ntoponym = "fatal"\n', "key 'severity' in the top level: 'toponym' must be one of"),
    ('[severity]\nnosuch = "error"\n', "key 'severity' in the top level: unknown rule, group or category 'nosuch'"),
    ('accept = [1]\n', "key 'accept' in the top level: expected an array of strings"),
    ('reject = 5\n', "key 'reject' in the top level: expected a table"),
    ('[reject]\nKiev = 1\n', "key 'reject' in the top level: the replacement for 'Kiev' must be a string"),
    ('[reject]\nKiev = "Kiev city"\n', "key 'reject' in the top level: the replacement 'Kiev city'"),
    ('style = "nyt"\n', "key 'style' in the top level: unknown style 'nyt'"),
    ('lang = "xx"\n', "key 'lang' in the top level: unsupported language 'xx'"),
    ('[[overrides]]\npaths = ["a/**"]\ncolour = 1\n', "unknown key 'colour' in [[overrides]] entry 1"),
    ('[[overrides]]\nlang = "fr"\n', "[[overrides]] entry 1 has no 'paths'"),
    ('[[overrides]]\npaths = []\n', "key 'paths' in [[overrides]] entry 1 is empty"),
    ('[[overrides]]\npaths = ["/abs/**"]\n', "'/abs/**' must be relative"),
    ('[[overrides]]\npaths = ["a"]\n[[overrides]]\npaths = "b"\n',
     "key 'paths' in [[overrides]] entry 2: expected an array of strings"),
    ('overrides = 1\n', "'overrides' in the top level must be an array of tables"),
])
def test_config_errors_name_the_file_and_key(tmp_path: Path, body: str, expected: str) -> None:
    path = write(tmp_path / "mtnorm.toml", body)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert message.startswith(f"{path}: "), message
    assert expected in message, message
    assert isinstance(info.value, UsageError)   # the CLI exits 2 on it


def test_pyproject_errors_name_the_table(tmp_path: Path) -> None:
    path = write(tmp_path / "pyproject.toml",
                 '[tool.mtnorm]\nstyle = "ap"\n[[tool.mtnorm.overrides]]\npaths = ["x"]\nfoo = 1\n')
    with pytest.raises(ConfigError, match=r"unknown key 'foo' in \[\[tool.mtnorm.overrides\]\] entry 1"):
        load_config(path)
    path = write(tmp_path / "pyproject.toml", '[tool.mtnorm]\ncolour = 1\n')
    with pytest.raises(ConfigError, match=r"unknown key 'colour' in \[tool.mtnorm\]"):
        load_config(path)


def test_toml_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path / "mtnorm.toml", 'style = "ap"\n\nlang = "en\n')
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(info.value).startswith(f"{path}:3: invalid TOML")


def test_syntax_error_in_a_pyproject_for_mtnorm_is_reported_by_find(tmp_path: Path) -> None:
    path = write(tmp_path / "pyproject.toml", '[tool.mtnorm]\nstyle = \n')
    with pytest.raises(ConfigError, match=f"{path}:2"):
        find_config(tmp_path / "a.txt")


def test_missing_file_and_missing_table(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "mtnorm.toml")
    path = write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n')
    with pytest.raises(ConfigError, match=r"no \[tool.mtnorm\] table"):
        load_config(path)
