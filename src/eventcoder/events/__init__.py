"""Events stage: sentences to PLOVER 0.8 events (type, mode, contexts, actor, recipient, modality, fatalities)."""

from eventcoder.events.coder import EventCoder
from eventcoder.events.lexicon import Lexicon, Sense, load_lexicon
from eventcoder.events.triggers import Trigger, TriggerFinder

__all__ = ["EventCoder", "Lexicon", "Sense", "Trigger", "TriggerFinder", "load_lexicon"]
