"""Where model files are found on disk, and the one place they are downloaded.

A model is looked for, in order, in

1. the local store: ``$MTNORM_MODELS_DIR/NAME`` when that variable is set,
   otherwise ``models/store/NAME`` next to the registry (git-ignored in a
   checkout; inside the package in an installed wheel);
2. the Hugging Face cache: ``$HF_HUB_CACHE``, else ``$HF_HOME/hub``, else
   ``$XDG_CACHE_HOME/huggingface/hub`` or ``~/.cache/huggingface/hub`` (the
   snapshot that ``refs/main`` names, as ``huggingface_hub`` lays it out).

Finding a model only looks at directories; nothing is imported and nothing
goes over the network. :func:`fetch` (``mtnorm models fetch``) is the only
code that downloads, and only when a user runs it.
"""
from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import UsageError
from ..resources import models_dir
from .errors import EXTRA_HINT, FetchError
from .registry import ModelEntry

#: Files a downloaded model needs: configuration, tokenizer, weights (safetensors
#: preferred by transformers, the PyTorch pickle where a repository has only that).
FETCH_PATTERNS = ["*.json", "*.spm", "*.model", "*.txt", "*.safetensors", "pytorch_model*.bin"]


def store_dir() -> Path:
    """The local model store (it may not exist yet)."""
    env = os.environ.get("MTNORM_MODELS_DIR")
    if env:
        return Path(env).expanduser()
    return Path(str(models_dir("store"))).resolve()


def hf_cache_dir() -> Path:
    """The Hugging Face hub cache, from the same variables huggingface_hub reads."""
    for var in ("HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE"):
        if os.environ.get(var):
            return Path(os.environ[var]).expanduser()
    if os.environ.get("HF_HOME"):
        return Path(os.environ["HF_HOME"]).expanduser() / "hub"
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "huggingface" / "hub"


def is_model_dir(path: Path) -> bool:
    """A directory that holds a transformers model (its config.json at least)."""
    return path.is_dir() and (path / "config.json").is_file()


def hf_cache_snapshot(repo: str) -> Path | None:
    """The cached snapshot of ``repo`` (``refs/main``'s, else the newest complete one)."""
    root = hf_cache_dir() / ("models--" + repo.replace("/", "--"))
    snapshots = root / "snapshots"
    if not snapshots.is_dir():
        return None
    ref = root / "refs" / "main"
    if ref.is_file():
        candidate = snapshots / ref.read_text(encoding="utf-8").strip()
        if is_model_dir(candidate):
            return candidate
    complete = [p for p in snapshots.iterdir() if is_model_dir(p)]
    if not complete:
        return None
    return max(complete, key=lambda p: p.stat().st_mtime)


@dataclass(frozen=True)
class LocalModel:
    """A model found on disk: where, and how it was found."""

    path: Path
    origin: str  # "store", "hf-cache" or "path"
    entry: ModelEntry | None = None


def find_local(entry: ModelEntry) -> LocalModel | None:
    """The local copy of a registered model: the store first, then the HF cache."""
    stored = store_dir() / entry.name
    if is_model_dir(stored):
        return LocalModel(stored, "store", entry)
    cached = hf_cache_snapshot(entry.repo)
    if cached is not None:
        return LocalModel(cached, "hf-cache", entry)
    return None


def how_to_get(entry: ModelEntry, option: str = "--model") -> str:
    """The sentence every missing-model error ends with."""
    return (f"get it with 'mtnorm models fetch {entry.name}' on a machine with network access "
            f"(downloads {entry.repo} into {store_dir() / entry.name}), or copy a downloaded "
            f"model directory there, or give {option} PATH")


def fetch(entry: ModelEntry, *, force: bool = False, revision: str | None = None,
          endpoint: str | None = None, announce: Callable[[Path], None] | None = None) -> Path:
    """Download ``entry`` into the store with ``huggingface_hub.snapshot_download``.

    Files go to ``STORE/.NAME.partial`` first (an interrupted download resumes
    there) and the directory is renamed to ``STORE/NAME`` once complete.
    ``announce(target)`` is called just before the download starts. Every
    failure is a :class:`FetchError` with a one-line reason.
    """
    target = store_dir() / entry.name
    if is_model_dir(target) and not force:
        return target
    if os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in ("1", "true", "yes", "on"):
        raise FetchError(f"cannot fetch {entry.repo}: HF_HUB_OFFLINE is set; unset it to allow "
                         "this download")
    try:
        from huggingface_hub import snapshot_download
    except ImportError:
        raise FetchError(f"fetching models needs huggingface_hub: {EXTRA_HINT}") from None
    partial = target.parent / f".{entry.name}.partial"
    try:
        partial.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FetchError(f"cannot write to the model store {target.parent}: "
                         f"{exc.strerror or exc} (set MTNORM_MODELS_DIR to a writable "
                         "directory)") from None
    if announce is not None:
        announce(target)
    try:
        snapshot_download(entry.repo, revision=revision, local_dir=str(partial),
                          allow_patterns=FETCH_PATTERNS, endpoint=endpoint)
    except KeyboardInterrupt:
        raise
    except Exception as exc:  # network, HTTP, disk: all reported the same way
        _remove_if_empty(partial)
        raise FetchError(f"could not download {entry.repo}: {_reason(exc)}. 'mtnorm models "
                         "fetch' needs network access to the Hugging Face hub; elsewhere, copy "
                         f"a downloaded model directory to {target} or give --model PATH") from None
    # huggingface_hub keeps its bookkeeping in .cache inside local_dir; it is not needed.
    shutil.rmtree(partial / ".cache", ignore_errors=True)
    if not is_model_dir(partial):
        raise FetchError(f"{entry.repo} was downloaded to {partial} but holds no config.json: "
                         "is it a transformers model?")
    if target.exists():
        shutil.rmtree(target)
    os.replace(partial, target)
    return target


def _remove_if_empty(path: Path) -> None:
    """Drop a partial download directory that got nothing (one with files is kept: the
    next fetch resumes there)."""
    shutil.rmtree(path / ".cache", ignore_errors=True)
    try:
        path.rmdir()
    except OSError:
        pass


def _reason(exc: BaseException) -> str:
    """An exception's message on one line, with its cause's when that says more."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    cause = exc.__cause__ or exc.__context__
    if cause is not None and str(cause).strip() and str(cause).strip() not in text:
        text += f" ({type(cause).__name__}: {' '.join(str(cause).split())})"
    text = text if len(text) <= 400 else text[:397] + "..."
    return text.rstrip(". ")


def check_model_path(path: str) -> Path:
    """``--model PATH``: a directory with config.json, or a clear error."""
    p = Path(path).expanduser()
    if not p.exists():
        raise UsageError(f"--model {path}: no such directory (give a local model directory, "
                         "e.g. one made by 'mtnorm models fetch NAME')")
    if not is_model_dir(p):
        raise UsageError(f"--model {path}: not a model directory (no config.json in it)")
    return p
