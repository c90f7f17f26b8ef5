"""The claims lexicon: speech, denial and channel cues read from ``data/claims/cues.yaml``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from eventcoder.errors import DataError

CUES_FILE = "data/claims/cues.yaml"
VERB_CLASSES = ("report", "accusation", "denial")


@dataclass(frozen=True)
class VerbClass:
    """A kind of speech verb and the dependency labels that hold what it reports."""

    name: str
    verbs: frozenset[str]
    content: frozenset[str]


@dataclass(frozen=True)
class Cues:
    """Everything the claims stage knows about attribution, as validated data."""

    verb_classes: tuple[VerbClass, ...]
    according_cues: tuple[tuple[str, ...], ...]
    cues_needing_speaker: frozenset[str]
    speaker_nouns: frozenset[str]
    statement_nouns: frozenset[str]
    channel_nouns: frozenset[str]
    media_nouns: frozenset[str]
    both_parties: tuple[str, ...]
    narrator_markers: tuple[str, ...]
    continuation_window: int
    anaphoric_objects: frozenset[str]
    claim_nouns: frozenset[str]
    denial_window: int
    speaker_is_actor: frozenset[str]
    statement_types: frozenset[str]
    event_nouns: Mapping[str, str]  # noun -> event type
    agent_preps: frozenset[str]
    ignore_words: frozenset[str]
    sector_side: Mapping[str, int]
    reciprocal_types: frozenset[str]
    reciprocal_objects: frozenset[str]
    reciprocal_verbs: frozenset[str]
    reciprocal_nouns: frozenset[str]
    reciprocal_modifiers: frozenset[str]
    side_agent_types: frozenset[str]
    hostile_words: frozenset[str]
    force_sectors: frozenset[str]
    casualty_verbs: frozenset[str]
    responsibility_nouns: frozenset[str]
    disavowals: tuple[tuple[str, ...], ...]
    dismissal_verbs: frozenset[str]
    dismissive_words: frozenset[str]
    confirmation_verbs: frozenset[str]
    responsibility_verbs: frozenset[str]
    credit_nouns: frozenset[str]
    claim_verbs: frozenset[str]
    blamed_happenings: frozenset[str]
    blamed_happening_types: frozenset[str]
    blamed_act_verbs: frozenset[str]
    blamed_act_words: frozenset[str]
    bare_blame_verbs: frozenset[str]

    def verb_class(self, lemma: str) -> VerbClass | None:
        """Return the class of a speech verb lemma, or ``None`` when it is not one."""
        for verb_class in self.verb_classes:
            if lemma in verb_class.verbs:
                return verb_class
        return None


@lru_cache(maxsize=1)
def load_cues() -> Cues:
    """Load and validate the shipped claims lexicon once."""
    text = resources.files("eventcoder").joinpath(CUES_FILE).read_text(encoding="utf-8")
    return parse_cues(yaml.safe_load(text), CUES_FILE)


def parse_cues(raw: Any, origin: str) -> Cues:
    """Validate a cues mapping; raise ``DataError`` naming the bad key."""
    if not isinstance(raw, dict):
        raise DataError(f"{origin}: expected a mapping of claims cues")
    try:
        classes = raw["verb_classes"]
        if set(classes) != set(VERB_CLASSES):
            raise DataError(f"{origin}: verb_classes must be exactly {list(VERB_CLASSES)}")
        verb_classes = tuple(
            VerbClass(name, _words(classes[name]["verbs"], origin, f"{name}.verbs"),
                      _words(classes[name]["content"], origin, f"{name}.content"))
            for name in VERB_CLASSES
        )
        event_nouns = {str(noun).lower(): str(kind) for kind, nouns in raw["event_nouns"].items() for noun in nouns}
        cues = Cues(
            verb_classes=verb_classes,
            according_cues=tuple(tuple(str(w).lower() for w in cue) for cue in raw["according_cues"]),
            cues_needing_speaker=_words(raw["cues_needing_speaker"], origin, "cues_needing_speaker"),
            speaker_nouns=_words(raw["speaker_nouns"], origin, "speaker_nouns"),
            statement_nouns=_words(raw["statement_nouns"], origin, "statement_nouns"),
            channel_nouns=_words(raw["channel_nouns"], origin, "channel_nouns"),
            media_nouns=_words(raw["media_nouns"], origin, "media_nouns"),
            both_parties=tuple(str(p).lower() for p in raw["both_parties"]),
            narrator_markers=tuple(str(m).lower() for m in raw["narrator_markers"]),
            continuation_window=int(raw["continuation_window"]),
            anaphoric_objects=_words(raw["anaphoric_objects"], origin, "anaphoric_objects"),
            claim_nouns=_words(raw["claim_nouns"], origin, "claim_nouns"),
            denial_window=int(raw["denial_window"]),
            speaker_is_actor=frozenset(str(t) for t in raw["speaker_is_actor"]),
            statement_types=frozenset(str(t) for t in raw["statement_types"]),
            event_nouns=event_nouns,
            agent_preps=_words(raw["agent_preps"], origin, "agent_preps"),
            ignore_words=_words(raw["ignore_words"], origin, "ignore_words"),
            sector_side={str(s): n for n, group in enumerate(raw["sector_groups"]) for s in group},
            reciprocal_types=_codes(raw["reciprocal_types"], origin, "reciprocal_types"),
            reciprocal_objects=_words(raw["reciprocal_objects"], origin, "reciprocal_objects"),
            reciprocal_verbs=_words(raw["reciprocal_verbs"], origin, "reciprocal_verbs"),
            reciprocal_nouns=_words(raw["reciprocal_nouns"], origin, "reciprocal_nouns"),
            reciprocal_modifiers=_words(raw["reciprocal_modifiers"], origin, "reciprocal_modifiers"),
            side_agent_types=_codes(raw["side_agent_types"], origin, "side_agent_types"),
            hostile_words=_words(raw["hostile_words"], origin, "hostile_words"),
            force_sectors=_codes(raw["force_sectors"], origin, "force_sectors"),
            casualty_verbs=_words(raw["casualty_verbs"], origin, "casualty_verbs"),
            responsibility_nouns=_words(raw["responsibility_nouns"], origin, "responsibility_nouns"),
            disavowals=tuple(tuple(str(w).lower() for w in phrase) for phrase in raw["disavowals"]),
            dismissal_verbs=_words(raw["dismissal_verbs"], origin, "dismissal_verbs"),
            dismissive_words=_words(raw["dismissive_words"], origin, "dismissive_words"),
            confirmation_verbs=_words(raw["confirmation_verbs"], origin, "confirmation_verbs"),
            responsibility_verbs=_words(raw["responsibility_verbs"], origin, "responsibility_verbs"),
            credit_nouns=_words(raw["credit_nouns"], origin, "credit_nouns"),
            claim_verbs=_words(raw["claim_verbs"], origin, "claim_verbs"),
            blamed_happenings=_words(raw["blamed_happenings"], origin, "blamed_happenings"),
            blamed_happening_types=_codes(raw["blamed_happening_types"], origin, "blamed_happening_types"),
            blamed_act_verbs=_words(raw["blamed_act_verbs"], origin, "blamed_act_verbs"),
            blamed_act_words=_words(raw["blamed_act_words"], origin, "blamed_act_words"),
            bare_blame_verbs=_words(raw["bare_blame_verbs"], origin, "bare_blame_verbs"),
        )
    except KeyError as exc:
        raise DataError(f"{origin}: missing key {exc}; see the comments in the shipped file") from exc
    except (TypeError, ValueError, AttributeError) as exc:
        raise DataError(f"{origin}: malformed claims cues ({exc})") from exc
    if any(not cue for cue in cues.according_cues) or any(not phrase for phrase in cues.disavowals):
        raise DataError(f"{origin}: an according_cues or disavowals entry is empty")
    if any(len(phrase.split()) < 2 for phrase in cues.reciprocal_objects):
        raise DataError(f"{origin}: reciprocal_objects are phrases of two words or more (\"each other\")")
    if cues.continuation_window < 0 or cues.denial_window < 0:
        raise DataError(f"{origin}: continuation_window and denial_window must be 0 or more")
    overlap = [lemma for a in verb_classes for b in verb_classes if a.name < b.name for lemma in a.verbs & b.verbs]
    if overlap:
        raise DataError(f"{origin}: verbs listed in two verb classes: {sorted(overlap)}")
    return cues


def _words(value: Any, origin: str, key: str) -> frozenset[str]:
    """Return a list of words as a lower-case set; raise ``DataError`` if it is not a list of strings."""
    if not isinstance(value, list) or not all(isinstance(w, str) and w.strip() for w in value):
        raise DataError(f"{origin}: {key} must be a list of non-empty strings")
    return frozenset(w.strip().lower() for w in value)


def _codes(value: Any, origin: str, key: str) -> frozenset[str]:
    """Return a list of upper-case codes (event types, sectors); raise ``DataError`` otherwise."""
    if not isinstance(value, list) or not all(isinstance(c, str) and c.strip() and c.isupper() for c in value):
        raise DataError(f"{origin}: {key} must be a list of upper-case codes such as ASSAULT or MIL")
    return frozenset(c.strip() for c in value)
