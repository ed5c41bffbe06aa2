"""Errors of the translation package; all are :class:`~normalize.errors.MtnormError`,
so the command line turns them into one line on stderr and exit status 2."""
from __future__ import annotations

from ..errors import MtnormError, UsageError

#: What to install for the neural features (torch, transformers, sentencepiece).
EXTRA_HINT = "pip install 'mtnorm[neural]'"


class NeuralExtraMissingError(UsageError):
    """torch or transformers (or sentencepiece, for a Marian tokenizer) is not installed."""

    def __init__(self, missing: str, what: str = "re-translation") -> None:
        self.missing = missing
        super().__init__(f"{what} needs {missing}, which is not installed: {EXTRA_HINT} "
                         "(installs torch, transformers and sentencepiece)")


class ModelNotFoundError(UsageError):
    """No local copy of a model that a command needs."""


class FetchError(MtnormError):
    """``mtnorm models fetch`` could not download a model."""
