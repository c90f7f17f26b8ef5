"""What an act is done to: an attack, a coercion or aid aimed at an abstraction is a figure of speech.

"The ministers have overcome the difficulties" is no ASSAULT, "trade deals contributed to the strong growth"
no AID, "gave the green light for the dam" no AID: the verb's object (for aid, also what it goes ``to``) is
an abstraction, not people, places, property or goods. The object's head phrase ("strong growth", "green
light") is compared by sentence embedding with the example phrases of ``data/relevance/patients.yaml``:
nearer (mean of the three most similar) the abstractions than the targets, the event is vetoed. A named
object ("Gori", "the UN") is always a target.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import yaml
from spacy.tokens import Token

from eventcoder.errors import DataError
from eventcoder.model import Event
from eventcoder.nlp import ParsedDoc
from eventcoder.relevance.encoder import Encoder

PATIENTS_FILE = "data/relevance/patients.yaml"
# The types whose object must be concrete, and where their objects hang on the verb.
PATIENT_TYPES = frozenset({"ASSAULT", "COERCE", "AID"})
OBJECT_DEPS = frozenset({"dobj", "nsubjpass"})
BENEFICIARY_PREPOSITIONS = {"AID": frozenset({"to"})}  # "contributed to the growth"
MODIFIER_DEPS = frozenset({"amod", "compound", "advmod"})  # "strong growth", "go ahead"
MODIFIER_TAGS = frozenset({"ADJ", "ADV", "NOUN"})
NEAREST = 3


class PatientJudge:
    """Tell an abstraction ("the difficulties") from a target ("the village") by its nearest example phrases.

    Answers are cached per phrase.
    """

    def __init__(self, encoder: Encoder, targets: Sequence[str] | None = None,
                 abstractions: Sequence[str] | None = None) -> None:
        self.encoder = encoder
        if targets is None or abstractions is None:
            targets, abstractions = load_patient_examples()
        self._examples = (tuple(targets), tuple(abstractions))
        self.physical = physical_verbs()
        self._vectors: tuple[Any, Any] | None = None
        self._cache: dict[str, bool] = {}

    def is_abstract(self, phrase: str) -> bool:
        """Tell whether ``phrase`` names an abstraction rather than people, places, property or goods."""
        phrase = phrase.strip().lower()
        if phrase not in self._cache:
            if self._vectors is None:
                targets, abstractions = self._examples
                self._vectors = (np.asarray(self.encoder.encode(targets), dtype=np.float64),
                                 np.asarray(self.encoder.encode(abstractions), dtype=np.float64))
            vector = np.asarray(self.encoder.encode([phrase])[0], dtype=np.float64)
            targets_near, abstract_near = (_nearest(vectors @ vector) for vectors in self._vectors)
            self._cache[phrase] = abstract_near > targets_near
        return self._cache[phrase]


def aimed_at_abstraction(event: Event, parsed: ParsedDoc, judge: PatientJudge) -> bool:
    """Tell whether a verbal ASSAULT, COERCE or AID is done to an abstraction (see the module docstring)."""
    if event.event_type not in PATIENT_TYPES or event.evidence.trigger_start is None:
        return False
    start = event.evidence.trigger_start
    span = parsed.doc.char_span(start, start + 1, alignment_mode="expand")
    if span is None or span[0].pos_ != "VERB" or span[0].lemma_.lower() in judge.physical:
        return False
    return any(judge.is_abstract(phrase) for phrase in patient_phrases(span[0], event.event_type))


def patient_phrases(verb: Token, event_type: str) -> list[str]:
    """Return the head phrases of the common nouns a verb acts on: its object, and where aid goes ("to")."""
    heads = [c for c in verb.children if c.dep_ in OBJECT_DEPS]
    prepositions = BENEFICIARY_PREPOSITIONS.get(event_type, frozenset())
    heads += [o for p in verb.children if p.dep_ == "prep" and p.lower_ in prepositions
              for o in p.children if o.dep_ == "pobj"]
    phrases = [head_phrase(h) for h in heads if h.pos_ == "NOUN" and not h.ent_type_]
    return [p for p in phrases if p is not None]


def head_phrase(head: Token) -> str | None:
    """Return a noun with its modifiers and what it is "of", without article or owner ("the region's strong
    growth" -> "strong growth", "a series of bombs"); ``None`` when it is of someone named ("scores of Kurds")."""
    words = [c for c in head.children if c.dep_ in MODIFIER_DEPS and not c.ent_type_ and c.pos_ in MODIFIER_TAGS]
    phrase = " ".join(t.text for t in sorted([*words, head], key=lambda t: t.i))
    for counted in (o for p in head.children if p.dep_ == "prep" and p.lower_ == "of" for o in p.children
                    if o.dep_ == "pobj"):
        if counted.ent_type_ or counted.pos_ in {"PROPN", "PRON"}:
            return None
        return f"{phrase} of {head_phrase(counted) or counted.text}"
    return phrase


@lru_cache(maxsize=1)
def _patients_file() -> Any:
    """Return the parsed data file (read once: the examples and the physical verbs come from it)."""
    return yaml.safe_load(resources.files("eventcoder").joinpath(PATIENTS_FILE).read_text(encoding="utf-8"))


def load_patient_examples() -> tuple[list[str], list[str]]:
    """Read the target and abstraction example phrases; raise ``DataError`` when the file is malformed."""
    data = _patients_file()
    keys = ("targets", "abstract")
    if not isinstance(data, dict) or not all(isinstance(data.get(k), list) and data[k] for k in keys):
        raise DataError(f"{PATIENTS_FILE}: needs non-empty lists 'targets' and 'abstract'")
    return [str(t) for t in data["targets"]], [str(a) for a in data["abstract"]]


def physical_verbs() -> frozenset[str]:
    """Return the lemmas of verbs whose act is physical whatever their object ("bombed the targets")."""
    data = _patients_file()
    verbs = data.get("physical", []) if isinstance(data, dict) else None
    if not isinstance(verbs, list):
        raise DataError(f"{PATIENTS_FILE}: 'physical' must be a list of verb lemmas")
    return frozenset(str(v).lower() for v in verbs)


def _nearest(similarities: np.ndarray[Any, np.dtype[np.float64]]) -> float:
    return float(np.sort(similarities)[-NEAREST:].mean())
