"""Events stage: sentences to PLOVER 0.8 events (type, mode, contexts, actor, recipient, modality, fatalities)."""

from eventcoder.events.coder import EventCoder, Trigger
from eventcoder.events.lexicon import Lexicon, Sense, load_lexicon

__all__ = ["EventCoder", "Lexicon", "Sense", "Trigger", "load_lexicon"]
