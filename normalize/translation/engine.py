"""Running a seq2seq translation model (transformers + torch) over sentences.

This is the only module that imports torch and transformers, and only when a
:class:`Translator` is made: ``import normalize``, ``mtnorm check`` and
``mtnorm fix`` never load them. Models are always loaded from a local
directory with ``local_files_only=True``; nothing is downloaded.
"""
from __future__ import annotations

import sys
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import MtnormError, UsageError
from .errors import NeuralExtraMissingError
from .resolve import ResolvedModel

DEVICES = ("auto", "cpu", "cuda")


@dataclass(frozen=True)
class TranslationOptions:
    """How to run a model: device, batch size, length limit, beams, progress bar."""

    device: str = "auto"
    batch_size: int = 16
    #: Longest input and output of one sentence, in tokens (capped by the model's own limit).
    max_length: int = 512
    #: Beam size; None: what the model's generation_config says.
    beams: int | None = None
    #: Show a tqdm progress bar on stderr when there is more than one batch.
    progress: bool = False

    def check(self) -> None:
        if self.device not in DEVICES and not self.device.startswith("cuda:"):
            raise UsageError(f"--device {self.device!r}: choose from {', '.join(DEVICES)}")
        if self.batch_size < 1:
            raise UsageError("--batch-size must be at least 1")
        if self.max_length < 8:
            raise UsageError("--max-length must be at least 8 (tokens)")
        if self.beams is not None and self.beams < 1:
            raise UsageError("--beams must be at least 1")


def import_backend(what: str = "re-translation") -> tuple[Any, Any]:
    """``(torch, transformers)``, or :class:`NeuralExtraMissingError` naming the extra."""
    try:
        import torch
    except ImportError:
        raise NeuralExtraMissingError("torch", what) from None
    try:
        import transformers
    except ImportError:
        raise NeuralExtraMissingError("transformers", what) from None
    return torch, transformers


def pick_device(torch: Any, wanted: str) -> str:
    cuda = bool(torch.cuda.is_available())
    if wanted == "auto":
        return "cuda" if cuda else "cpu"
    if wanted.startswith("cuda") and not cuda:
        raise UsageError(f"--device {wanted}: torch {torch.__version__} sees no CUDA device "
                         "here; use --device cpu (or auto)")
    return wanted


#: Loaded (tokenizer, model) by (directory, device): a round trip through one
#: multilingual model, or several files in one run, load it once.
_LOADED: dict[tuple[str, str], tuple[Any, Any]] = {}


def clear_cache() -> None:
    """Forget every loaded model (frees its memory once nothing else holds it)."""
    _LOADED.clear()


def _quiet_transformers(transformers: Any) -> None:
    logging = transformers.utils.logging
    logging.set_verbosity_error()
    logging.disable_progress_bar()


def _load(resolved: ResolvedModel, device: str) -> tuple[Any, Any]:
    key = (str(resolved.path), device)
    if key in _LOADED:
        return _LOADED[key]
    _torch, transformers = import_backend()
    _quiet_transformers(transformers)
    path = str(resolved.path)
    try:
        tokenizer = transformers.AutoTokenizer.from_pretrained(path, local_files_only=True)
    except ImportError as exc:
        if "sentencepiece" in str(exc).lower():
            raise NeuralExtraMissingError("sentencepiece") from None
        raise NeuralExtraMissingError(str(exc).split("\n")[0]) from None
    except Exception as exc:
        if "sentencepiece" in str(exc).lower():
            raise NeuralExtraMissingError("sentencepiece") from None
        raise MtnormError(f"{path}: cannot load the tokenizer: {_one_line(exc)}") from None
    try:
        model = transformers.AutoModelForSeq2SeqLM.from_pretrained(path, local_files_only=True)
    except Exception as exc:
        raise MtnormError(f"{path}: cannot load the model: {_one_line(exc)}") from None
    model.eval()
    model.to(device)
    _LOADED[key] = (tokenizer, model)
    return tokenizer, model


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 300 else text[:297] + "..."


class Translator:
    """One model, one direction: ``translate(sentences) -> translations``."""

    def __init__(self, resolved: ResolvedModel, options: TranslationOptions | None = None) -> None:
        self.resolved = resolved
        self.options = options or TranslationOptions()
        self.options.check()
        torch, _transformers = import_backend()
        self._torch = torch
        self.device = pick_device(torch, self.options.device)
        self.tokenizer, self.model = _load(resolved, self.device)
        #: How many sentences were longer than the length limit and were cut.
        self.truncated = 0
        self._target_token = ""
        self._generate_args = self._language_args()
        limit = getattr(self.model.config, "max_position_embeddings", None) or 1024
        self.max_length = max(8, min(self.options.max_length, int(limit) - 2))

    def _language_args(self) -> dict[str, Any]:
        r = self.resolved
        if r.family == "marian":
            return {}
        assert r.target_code is not None  # every family but marian is resolved with its codes
        tok = self.tokenizer
        if hasattr(tok, "src_lang"):
            tok.src_lang = r.source_code
        target_token = r.target_code if r.family == "nllb" else f"__{r.target_code}__"
        token_id = tok.convert_tokens_to_ids(target_token)
        if token_id is None or token_id == tok.unk_token_id:
            raise UsageError(f"model {r.label} has no language token {target_token!r} for "
                             f"{r.target!r}")
        self._target_token = target_token
        return {"forced_bos_token_id": token_id}

    def _generate(self, batch: Sequence[str]) -> list[str]:
        torch, tok = self._torch, self.tokenizer
        if self.resolved.source_code and hasattr(tok, "src_lang"):
            # The tokenizer may be shared with the model's other direction (a round trip).
            tok.src_lang = self.resolved.source_code
        lengths = tok(list(batch), add_special_tokens=True)["input_ids"]
        self.truncated += sum(1 for ids in lengths if len(ids) > self.max_length)
        enc = tok(list(batch), return_tensors="pt", padding=True, truncation=True,
                  max_length=self.max_length)
        enc = {k: v.to(self.device) for k, v in enc.items()}
        kwargs = dict(self._generate_args, max_new_tokens=self.max_length)
        if self.options.beams is not None:
            kwargs["num_beams"] = self.options.beams
        try:
            with torch.inference_mode(), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                out = self.model.generate(**enc, **kwargs)
        except (RuntimeError, IndexError, ValueError) as exc:
            hint = " (out of memory: try a smaller --batch-size or --device cpu)" \
                if "out of memory" in str(exc).lower() else ""
            raise MtnormError(f"model {self.resolved.label} ({self.resolved.path}) failed to "
                              f"translate: {_one_line(exc)}{hint}") from None
        texts = tok.batch_decode(out, skip_special_tokens=True)
        if self._target_token:
            # A tokenizer that does not count language tokens as special leaves the forced one.
            texts = [t.removeprefix(self._target_token)
                     for t in texts]
        return [" ".join(t.split()) for t in texts]

    def translate(self, sentences: Sequence[str], desc: str = "translating") -> list[str]:
        """Translations of ``sentences``, in order (each distinct sentence translated once)."""
        unique = list(dict.fromkeys(sentences))
        # Longest first: batches of similar length pad less, and the slowest batch comes first.
        unique.sort(key=len, reverse=True)
        size = self.options.batch_size
        bar = _progress_bar(len(unique), desc) if self.options.progress and len(unique) > size \
            else None
        done: dict[str, str] = {}
        try:
            for i in range(0, len(unique), size):
                batch = unique[i:i + size]
                done.update(zip(batch, self._generate(batch)))
                if bar is not None:
                    bar.update(len(batch))
        finally:
            if bar is not None:
                bar.close()
        return [done[s] for s in sentences]


def _progress_bar(total: int, desc: str) -> Any:
    try:
        from tqdm import tqdm
    except ImportError:  # pragma: no cover - tqdm comes with transformers
        return None
    return tqdm(total=total, desc=desc, unit="sent", file=sys.stderr, leave=False,
                dynamic_ncols=True)
