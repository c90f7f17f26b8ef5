"""What the relevance stage reads of a coded event: its sentence, its document and its participants.

Features are numbers in a fixed order (``EVENT_FEATURES``), so that a trained model and the code that
fills them cannot drift apart: the artefact stores the names it was trained with and loading checks them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np
import yaml

from eventcoder.errors import DataError
from eventcoder.model import ActorRef, Event
from eventcoder.relevance.encoder import Encoder

AGENTS_FILE = "data/relevance/agents.yaml"
# Who acts for a state: an event by them is public by nature.
STATE_SECTORS = frozenset({"GOV", "MIL", "COP", "SPY", "JUD", "LEG", "IGO"})
# Types whose actor must be able to act: weather, products and prices do not attack, coerce, mobilise or
# threaten, nor help or cooperate ("economic strength helped boost exports").
AGENT_TYPES = frozenset({"ASSAULT", "COERCE", "MOBILIZE", "THREATEN", "AID", "COOPERATE"})
QUAD_CLASSES = ("material-conflict", "verbal-conflict", "material-cooperation", "verbal-cooperation")
EVENT_FEATURES: tuple[str, ...] = (
    "sentence", "document", "lead", "actor_known", "actor_state", "actor_business", "actor_absent",
    "actor_thing",
    "recipient_known", "recipient_state", "recipient_absent", "both_unknown", "not_asserted", *QUAD_CLASSES,
)


@dataclass(frozen=True)
class EventContext:
    """An event with the log-odds of its sentence, its document and its document's lead, and whether its actor
    is a thing."""

    event: Event
    sentence: float
    document: float
    lead: float
    actor_thing: bool


def known(actor: ActorRef | None) -> bool:
    """Tell whether a participant resolved to a country or a sector."""
    return actor is not None and (actor.country is not None or actor.sector is not None)


def state(actor: ActorRef | None) -> bool:
    """Tell whether a participant acts for a state or an international organisation."""
    return actor is not None and actor.sector in STATE_SECTORS


def event_row(context: EventContext) -> list[float]:
    """Return the features of one event in ``EVENT_FEATURES`` order."""
    event = context.event
    actor, recipient = event.actor, event.recipient
    row = [
        context.sentence, context.document, context.lead, float(known(actor)), float(state(actor)),
        float(actor is not None and actor.sector == "BUS"), float(actor is None),
        float(context.actor_thing), float(known(recipient)), float(state(recipient)), float(recipient is None),
        float(not known(actor) and not known(recipient)), float(event.modality != "asserted"),
    ]
    row += [float(event.quad_class == quad) for quad in QUAD_CLASSES]
    return row


def event_matrix(contexts: Sequence[EventContext]) -> np.ndarray[Any, np.dtype[np.float64]]:
    """Return one row of features per event."""
    if not contexts:
        return np.zeros((0, len(EVENT_FEATURES)))
    return np.asarray([event_row(c) for c in contexts], dtype=np.float64)


class AgentJudge:
    """Tell an actor that cannot act (a storm, a product, prices) from one that can, by sentence embedding.

    The example phrases come from ``data/relevance/agents.yaml``; a mention is a thing when its embedding
    is nearer the things' centroid than the agents'. Answers are cached per mention text.
    """

    def __init__(self, encoder: Encoder, agents: Sequence[str] | None = None,
                 things: Sequence[str] | None = None) -> None:
        self.encoder = encoder
        if agents is None or things is None:
            agents, things = load_agent_examples()
        self._examples = (tuple(agents), tuple(things))
        self._centroids: tuple[Any, Any] | None = None
        self._cache: dict[str, bool] = {}

    def is_thing(self, text: str) -> bool:
        """Tell whether ``text`` names something that cannot be an agent."""
        phrase = text.strip().lower()
        if phrase not in self._cache:
            if self._centroids is None:
                agents, things = self._examples
                self._centroids = (_centroid(self.encoder.encode(agents)), _centroid(self.encoder.encode(things)))
            vector = self.encoder.encode([phrase])[0]
            agent, thing = self._centroids
            self._cache[phrase] = float(vector @ thing) > float(vector @ agent)
        return self._cache[phrase]


def load_agent_examples() -> tuple[list[str], list[str]]:
    """Read the agent and thing example phrases; raise ``DataError`` when the file is malformed."""
    text = resources.files("eventcoder").joinpath(AGENTS_FILE).read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, dict) or not all(isinstance(data.get(k), list) and data[k] for k in ("agents", "things")):
        raise DataError(f"{AGENTS_FILE}: needs non-empty lists 'agents' and 'things'")
    return [str(a) for a in data["agents"]], [str(t) for t in data["things"]]


def _centroid(vectors: np.ndarray[Any, np.dtype[np.float32]]) -> np.ndarray[Any, np.dtype[np.float64]]:
    mean: np.ndarray[Any, np.dtype[np.float64]] = np.asarray(vectors, dtype=np.float64).mean(axis=0)
    norm = float(np.linalg.norm(mean))
    return mean / norm if norm else mean
