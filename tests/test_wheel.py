"""The wheel carries the bundled data (corpora/, models/) inside the package, and nothing else."""
from __future__ import annotations

import importlib.util
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: wheel path -> source path it comes from.
REQUIRED = {
    "normalize/corpora/rules/en/debris.yaml": "corpora/rules/en/debris.yaml",
    "normalize/corpora/gazetteer/names.tsv.gz": "corpora/gazetteer/names.tsv.gz",
    "normalize/corpora/styles/ap.yaml": "corpora/styles/ap.yaml",
    "normalize/corpora/languages/uk.yaml": "corpora/languages/uk.yaml",
    "normalize/corpora/languages/_schema.json": "corpora/languages/_schema.json",
    "normalize/models/README.md": "models/README.md",
    "normalize/models/registry.yaml": "models/registry.yaml",
    "normalize/corpora/names/given_names.tsv.gz": "corpora/names/given_names.tsv.gz",
    "normalize/corpora/names/people.yaml": "corpora/names/people.yaml",
    "normalize/server/static/index.html": "normalize/server/static/index.html",
    "normalize/server/static/desk.js": "normalize/server/static/desk.js",
    "normalize/__init__.py": "normalize/__init__.py",
    "normalize/rules/debris/boilerplate.py": "normalize/rules/debris/boilerplate.py",
    # The registry selects rules from it without importing their modules.
    "normalize/rules/_manifest.py": "normalize/rules/_manifest.py",
}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    if importlib.util.find_spec("hatchling") is None:
        pytest.skip("hatchling is not installed: cannot build the wheel without isolation")
    if importlib.util.find_spec("build") is None:
        pytest.skip("the 'build' package is not installed")
    outdir = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(outdir)],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    wheels = list(outdir.glob("mtnorm-*.whl"))
    assert len(wheels) == 1, wheels
    with zipfile.ZipFile(wheels[0]) as zf:
        yield zf


@pytest.mark.parametrize("member", sorted(REQUIRED))
def test_wheel_contains(wheel: zipfile.ZipFile, member: str) -> None:
    if not (ROOT / REQUIRED[member]).is_file():
        pytest.skip(f"{REQUIRED[member]} does not exist in the source tree yet")
    assert member in wheel.namelist()
    assert wheel.read(member) == (ROOT / REQUIRED[member]).read_bytes()


def test_wheel_has_only_the_package(wheel: zipfile.ZipFile) -> None:
    names = wheel.namelist()
    assert len(names) == len(set(names)), "duplicate entries in the wheel"
    stray = [n for n in names if not (n.startswith("normalize/") or ".dist-info/" in n)]
    assert not stray, stray[:20]
    for bad in (".venv/", "tests/", "__pycache__/", ".pyc", ".hypothesis/", ".git/"):
        assert not [n for n in names if bad in n], bad


def test_wheel_metadata(wheel: zipfile.ZipFile) -> None:
    import normalize

    names = wheel.namelist()
    meta = next(n for n in names if n.endswith(".dist-info/METADATA"))
    text = wheel.read(meta).decode("utf-8")
    assert "Name: mtnorm" in text
    assert f"Version: {normalize.__version__}" in text
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "mtnorm = normalize.cli:main" in wheel.read(entry_points).decode("utf-8")


def test_wheel_has_every_rules_data_file(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    for path in sorted((ROOT / "corpora" / "rules").rglob("*.yaml")):
        rel = path.relative_to(ROOT).as_posix()
        assert f"normalize/{rel}" in names, rel


def test_wheel_ships_the_rule_cases_as_examples(wheel: zipfile.ZipFile, tmp_path: Path) -> None:
    """tests/rules/*.yml travel as normalize/rule_examples/ (no test code), and the
    installed ``mtnorm rules RULE`` shows them."""
    import json
    import os

    names = wheel.namelist()
    for path in sorted((ROOT / "tests" / "rules").glob("*.yml")):
        assert f"normalize/rule_examples/{path.name}" in names, path.name
    assert not [n for n in names if n.startswith("normalize/rule_examples/")
                and not n.endswith(".yml")]
    wheel.extractall(tmp_path)
    proc = subprocess.run(
        [sys.executable, "-m", "normalize", "rules", "typography.double_space", "--format", "json"],
        cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(tmp_path)},
        capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    info = json.loads(proc.stdout)
    assert info["examples"]["fail"] and info["examples"]["fixed"] and info["examples"]["pass"]
    assert info["data"] == [] and info["id"] == "typography.double_space"


def test_wheel_ships_prebuilt_data_a_first_run_reads(wheel: zipfile.ZipFile, tmp_path: Path) -> None:
    """The gazetteer catalogue with its English first words and the English exonym draft,
    named by a hash of the data they were built from (this checkout's), are in the wheel;
    an installed copy's first run links the catalogue into an empty cache and builds none."""
    import os

    from normalize.gazetteer.store import Gazetteer
    from normalize.rules.toponym._exonyms import draft_name

    catalogue = Gazetteer().prebuilt_name()
    assert catalogue is not None
    draft = draft_name("en")
    first = catalogue.replace(".sqlite", ".first-en")
    names = set(wheel.namelist())
    for member in (catalogue, first, draft, draft.replace(".draft", ".native")):
        assert f"normalize/_prebuilt/{member}" in names, member
    wheel.extractall(tmp_path / "site")
    cache = tmp_path / "cache"
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site"), "MTNORM_CACHE_DIR": str(cache)}
    (tmp_path / "a.txt").write_text("Officials in Kiev said the talks in Wien went well.\n", encoding="utf-8")
    for args in (["gazetteer", "lookup", "Kiev"], ["check", "--lang", "en", "--style", "ap", "a.txt"]):
        proc = subprocess.run([sys.executable, "-m", "normalize", *args], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=120)
        assert proc.returncode in (0, 1), proc.stderr
        assert "building" not in proc.stderr
    built = list(cache.glob("gazetteer-catalogue-*.sqlite"))
    assert built and all(p.is_symlink() for p in built), built
    assert (tmp_path / "site" / "normalize" / "_prebuilt" / catalogue).samefile(built[0])
    assert not list(cache.glob(f"{draft}*")), "the exonym draft was built into the cache"
    assert not list(cache.glob("*.first-*")), "the first words were built into the cache"
    assert "toponym.exonym" in proc.stdout  # Wien: read from the shipped draft
