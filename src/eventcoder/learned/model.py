"""The learned event layer's model on disk, and the one decision rule that training and coding share.

One logistic regression per PLOVER type (one-vs-rest) on a sentence's embedding (the relevance stage's
MiniLM) and the types the rules coded in it: ``p[t]`` is the chance that the sentence reports an event of
type ``t``. ``decide`` turns these chances into the layer's two modes:

- *fill*: a sentence where the rules coded nothing, in a document the relevance stage finds political,
  gets the most likely type when its chance reaches ``fill``;
- *re-type*: in a sentence whose rule events are all of one type, a rule event whose type has a chance
  under ``keep`` takes the most likely other type when that one reaches ``retype`` (actor and recipient
  kept); a sentence with two types is left alone, as its chances cannot tell which one is wrong.

A threshold of ``None`` turns its mode off; the trained thresholds are chosen by cross-validation on the
corpus train split (``eventcoder.learned.train``). Files: ``weights.json`` and ``manifest.json`` (data
hash, model hash, encoder, library versions, thresholds), built by ``make train`` into the git-ignored
``data/compiled/learned/`` because the texts it learns from are CC BY-SA / public domain in ../shared.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from eventcoder.errors import ModelError
from eventcoder.relevance.logistic import Logistic, sigmoid

MODEL_DIR = "data/compiled/learned"
WEIGHTS_FILE = "weights.json"
MANIFEST_FILE = "manifest.json"
Matrix = np.ndarray[Any, np.dtype[np.float64]]


@dataclass(frozen=True)
class Thresholds:
    """When the layer acts (``None``: that mode is off); see the module docstring."""

    fill: float | None
    keep: float | None
    retype: float | None
    political: float = 0.5  # fill only in documents the relevance stage finds political (its own midpoint)

    def to_dict(self) -> dict[str, float | None]:
        return {"fill": self.fill, "keep": self.keep, "retype": self.retype, "political": self.political}


@dataclass(frozen=True)
class Decision:
    """What the layer does to one sentence: new types for its rule events (same order), and a type to add."""

    types: tuple[str, ...]
    fill: str | None
    fill_chance: float = 0.0


def features(embedding: Matrix, rule_types: Sequence[Sequence[str]], types: Sequence[str]) -> Matrix:
    """Return one row per sentence: its embedding, then one column per type the rules coded in it."""
    index = {t: i for i, t in enumerate(types)}
    coded = np.zeros((len(rule_types), len(types)))
    for row, found in enumerate(rule_types):
        for t in found:
            if t in index:
                coded[row, index[t]] = 1.0
    return np.hstack([np.asarray(embedding, dtype=np.float64).reshape(len(rule_types), -1), coded])


def decide(rule_types: Sequence[str], chances: Matrix, types: Sequence[str], thresholds: Thresholds,
           political: float | None) -> Decision:
    """Return the layer's decision for one sentence given the rules' types and the model's chances per type."""
    order = [int(i) for i in np.argsort(-chances, kind="stable")]
    if not rule_types:
        best = order[0]
        allowed = political is None or political >= thresholds.political
        if thresholds.fill is not None and allowed and chances[best] >= thresholds.fill:
            return Decision((), types[best], float(chances[best]))
        return Decision((), None)
    if thresholds.keep is None or thresholds.retype is None or len(set(rule_types)) > 1:
        return Decision(tuple(rule_types), None)  # a sentence's chances cannot say which of two types is wrong
    position = {t: i for i, t in enumerate(types)}
    out = []
    for rule in rule_types:
        if rule not in position or chances[position[rule]] >= thresholds.keep:
            out.append(rule)
            continue
        other = next(i for i in order if types[i] != rule)
        out.append(types[other] if chances[other] >= thresholds.retype else rule)
    return Decision(tuple(out), None)


@dataclass(frozen=True)
class TypeModel:
    """The one-vs-rest models (``weights``: one column per type) with the thresholds and manifest."""

    types: tuple[str, ...]
    weights: Matrix
    biases: Matrix
    thresholds: Thresholds
    manifest: dict[str, Any]

    @classmethod
    def from_models(cls, types: Sequence[str], models: Sequence[Logistic], thresholds: Thresholds,
                    manifest: dict[str, Any]) -> TypeModel:
        weights = np.stack([m.weights for m in models], axis=1)
        return cls(tuple(types), _rounded(weights), _rounded(np.asarray([m.bias for m in models])), thresholds,
                   manifest)

    def chances(self, x: Matrix) -> Matrix:
        """Return one row per sentence, one chance per type."""
        return sigmoid(np.clip(np.asarray(x, dtype=np.float64) @ self.weights + self.biases, -12.0, 12.0))

    def weights_json(self) -> str:
        """Return the weights file's text (byte-identical for the same model)."""
        rows = {t: {"bias": float(self.biases[i]), "weights": [float(w) for w in self.weights[:, i]]}
                for i, t in enumerate(self.types)}
        return json.dumps(rows, indent=0) + "\n"

    def save(self, folder: Path) -> None:
        """Write ``weights.json`` and ``manifest.json`` (with the weights' sha256) into ``folder``."""
        folder.mkdir(parents=True, exist_ok=True)
        text = self.weights_json()
        manifest = self.manifest | {"model_sha256": hashlib.sha256(text.encode()).hexdigest(),
                                    "thresholds": self.thresholds.to_dict(), "types": list(self.types)}
        (folder / WEIGHTS_FILE).write_text(text, encoding="utf-8")
        (folder / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def model_folder() -> Path:
    """Return where ``make train`` builds the learned layer (git-ignored)."""
    return Path(str(resources.files("eventcoder").joinpath(MODEL_DIR)))


def load_type_model(folder: Path | None = None) -> TypeModel:
    """Read a trained layer; raise ``ModelError`` naming the folder when it is missing or damaged."""
    folder = folder or model_folder()
    try:
        text = (folder / WEIGHTS_FILE).read_text(encoding="utf-8")
        manifest = json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))
        rows = json.loads(text)
        types = tuple(manifest["types"])
        weights = np.stack([np.asarray(rows[t]["weights"], dtype=np.float64) for t in types], axis=1)
        biases = np.asarray([float(rows[t]["bias"]) for t in types])
        raw = manifest["thresholds"]
        thresholds = Thresholds(raw["fill"], raw["keep"], raw["retype"], float(raw["political"]))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ModelError(f"{folder}: no usable learned event layer ({exc}); run `make train`") from exc
    if hashlib.sha256(text.encode()).hexdigest() != manifest.get("model_sha256"):
        raise ModelError(f"{folder}: weights.json does not match its manifest's model_sha256; run `make train`")
    return TypeModel(types, weights, biases, thresholds, manifest)


def _rounded(values: Matrix) -> Matrix:
    return np.asarray(np.round(np.asarray(values, dtype=np.float64), 8), dtype=np.float64)
