"""The trained relevance model on disk: weights (``weights.json``) and a manifest (``manifest.json``).

The manifest records what the model was trained from and with (data hash, encoder and its weights' hash,
library versions, feature names, threshold), so that a model is never used with another encoder or with
features it does not know. ``make train`` writes both; the package ships them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from eventcoder.errors import ModelError
from eventcoder.relevance.features import EVENT_FEATURES
from eventcoder.relevance.logistic import Logistic
from eventcoder.relevance.words import BagOfWords

MODEL_DIR = "data/relevance/model"
WEIGHTS_FILE = "weights.json"  # JSON, not npz: a zip stamps the time, and the artefact must be byte-identical
MANIFEST_FILE = "manifest.json"


@dataclass(frozen=True)
class Artefact:
    """The models of the relevance stage and their manifest.

    ``words``: every sentence, on its bag of words (``vocabulary``); ``lead``: a document's lead, on its
    sentence embedding; ``event``: each event, on ``EVENT_FEATURES``.
    """

    words: Logistic
    vocabulary: tuple[str, ...]
    lead: Logistic
    event: Logistic
    manifest: dict[str, Any]

    @property
    def bag(self) -> BagOfWords:
        """Return the featuriser of the words model."""
        return BagOfWords(self.vocabulary)

    @property
    def threshold(self) -> float:
        """Return the default confidence under which events are not written."""
        return float(self.manifest["threshold"])

    def save(self, folder: Path) -> None:
        """Write the weights and the manifest into ``folder`` (byte-identical for the same model)."""
        folder.mkdir(parents=True, exist_ok=True)
        weights = {
            "words": {"bias": _rounded(self.words.bias),
                      "weights": dict(zip(self.vocabulary, (_rounded(w) for w in self.words.weights), strict=True))},
            "lead": {"bias": _rounded(self.lead.bias), "weights": [_rounded(w) for w in self.lead.weights]},
            "event": {"bias": _rounded(self.event.bias),
                      "weights": dict(zip(EVENT_FEATURES, (_rounded(w) for w in self.event.weights), strict=True))},
        }
        (folder / WEIGHTS_FILE).write_text(json.dumps(weights, indent=1) + "\n", encoding="utf-8")
        (folder / MANIFEST_FILE).write_text(json.dumps(self.manifest, indent=2, sort_keys=True) + "\n",
                                            encoding="utf-8")


def model_folder() -> Path:
    """Return the packaged model folder."""
    return Path(str(resources.files("eventcoder").joinpath(MODEL_DIR)))


def load_artefact(folder: Path | None = None) -> Artefact:
    """Read a trained model; raise ``ModelError`` naming the folder when it is missing or does not fit the code."""
    folder = folder or model_folder()
    try:
        manifest = json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))
        weights = json.loads((folder / WEIGHTS_FILE).read_text(encoding="utf-8"))
        terms = weights["words"]["weights"]
        vocabulary = tuple(terms)
        words = Logistic(np.asarray([terms[t] for t in vocabulary], dtype=np.float64), float(weights["words"]["bias"]))
        lead = Logistic(np.asarray(weights["lead"]["weights"], dtype=np.float64), float(weights["lead"]["bias"]))
        named = weights["event"]["weights"]
        if tuple(named) != EVENT_FEATURES or tuple(manifest.get("event_features", ())) != EVENT_FEATURES:
            raise ModelError(f"{folder}: the relevance model was trained with other features; run `make train`")
        event = Logistic(np.asarray([named[n] for n in EVENT_FEATURES], dtype=np.float64),
                         float(weights["event"]["bias"]), EVENT_FEATURES)
        threshold = float(manifest["threshold"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ModelError(f"{folder}: no usable relevance model ({exc}); run `make train`") from exc
    if not 0.0 <= threshold <= 1.0:
        raise ModelError(f"{folder}: threshold {threshold} is not between 0 and 1")
    return Artefact(words, vocabulary, lead, event, manifest)


def _rounded(value: float) -> float:
    return round(float(value), 8)
