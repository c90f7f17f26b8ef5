"""The trigger lexicon: curated YAML and the converted Phoenix verb table, validated and indexed at load."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from eventcoder.errors import DataError
from eventcoder.events.datafiles import DATA_DIR
from eventcoder.events.datafiles import listed as _listed
from eventcoder.events.datafiles import read_tsv as _tsv
from eventcoder.events.datafiles import read_yaml as _yaml
from eventcoder.events.datafiles import words as _words

SENSE_KEYS = frozenset({"code", "type", "mode", "contexts", "patterns", "verb", "after"})
Slot = tuple[tuple[str, ...], ...]  # alternatives, each a sequence of words that must all be present


@dataclass(frozen=True)
class Sense:
    """What a trigger means: PLOVER type, mode, contexts and the CAMEO code it came from."""

    event_type: str
    mode: str | None
    contexts: tuple[str, ...]
    cameo: str | None
    curated: bool = False  # from triggers.yaml; Phoenix-only senses need a known actor or recipient

    @property
    def cameo_root(self) -> str | None:
        return self.cameo[:2] if self.cameo else None


@dataclass(frozen=True)
class Pattern:
    """A verb with words required before and after it; ``sense`` None means "not an event"."""

    before: tuple[Slot, ...]
    after: tuple[Slot, ...]
    sense: Sense | None
    curated: bool = False  # from triggers.yaml, not the Phoenix table

    @property
    def weight(self) -> int:
        return len(self.before) + len(self.after)


@dataclass(frozen=True)
class NounTrigger:
    """A nominal trigger: the words before its head noun and its sense."""

    prefix: tuple[str, ...]
    suffix: tuple[str, ...]
    sense: Sense


@dataclass(frozen=True)
class ModalityCues:
    """Lexical cues for negation, hypothesis, future and background (historical) events."""

    negation_words: frozenset[str]
    negation_heads: frozenset[str]
    hypothetical_auxiliaries: frozenset[str]
    hypothetical_marks: frozenset[str]
    hypothetical_heads: frozenset[str]
    future_auxiliaries: frozenset[str]
    future_heads: frozenset[str]
    intent_heads: frozenset[str]
    intent_verbs: frozenset[str]
    historical_prepositions: frozenset[str]
    historical_phrases: tuple[tuple[str, ...], ...]
    window_days: int
    forward_supports: frozenset[str]
    historical_anchors: frozenset[str] = frozenset()


@dataclass(frozen=True)
class NumberWords:
    """Number words for fatality counts."""

    units: Mapping[str, int]
    scales: Mapping[str, int]
    vague: frozenset[str]
    dead: frozenset[str]
    injured: frozenset[str]


@dataclass(frozen=True)
class CriticismCues:
    """Attack verbs that criticise when aimed at a statement, decision or policy ("attacked the budget")."""

    sense: Sense
    verbs: frozenset[str]  # lemmas, or lemma and particle ("hit out")
    prepositions: frozenset[str]  # whose object is the verb's target: "hit out at", "rounded on"
    reasons: frozenset[str]  # whose object is what is criticised: "slammed the government over its budget"
    objects: frozenset[str]
    participles: frozenset[str]  # what is said with an attack: "slammed Biden, saying ..."


@dataclass(frozen=True)
class Lexicon:
    """Everything the coder looks up, precompiled into dictionaries and sets."""

    quad_classes: Mapping[str, str]
    verb_senses: Mapping[str, Sense | None]
    verb_patterns: Mapping[str, tuple[Pattern, ...]]
    nouns: Mapping[str, tuple[NounTrigger, ...]]
    support_verbs: frozenset[str]
    quantity_nouns: frozenset[str]
    blame_verbs: frozenset[str]
    blame_nouns: frozenset[str]
    blame_prepositions: frozenset[str]
    blame_positions: frozenset[str]
    blame_adjectives: frozenset[str]
    blame_happenings: frozenset[str]
    content_nouns: frozenset[str]
    speech_verbs: frozenset[str]
    instruments: frozenset[str]
    victim_verbs: frozenset[str]
    launch_verbs: frozenset[str]
    interception_verbs: frozenset[str]
    participation_verbs: frozenset[str]
    participation_nouns: frozenset[str]
    responsibility_verbs: frozenset[str]
    responsibility_nouns: frozenset[str]
    claim_verbs: frozenset[str]
    obstruction_verbs: frozenset[str]
    dissident_sectors: frozenset[str]
    state_sectors: frozenset[str]
    state_obstruction: Sense | None
    criticism: CriticismCues
    modality: ModalityCues
    numbers: NumberWords
    cameo: Mapping[str, Sense]
    warning_verbs: frozenset[str] = frozenset()

    def sense_for_code(self, code: str) -> Sense | None:
        """Return the PLOVER sense of a CAMEO code, falling back to its parent codes."""
        return _sense_of_code(self.cameo, code)


class _Validator:
    """Check types, modes and contexts against plover.yaml."""

    def __init__(self, plover: dict[str, Any]) -> None:
        types = plover.get("types")
        if not isinstance(types, dict) or len(types) != 16:
            raise DataError(f"data/{DATA_DIR}/plover.yaml: 'types' must list the 16 PLOVER types")
        self.modes = {name: frozenset(spec.get("modes") or ()) for name, spec in types.items()}
        self.quad = {name: str(spec["quad_class"]) for name, spec in types.items()}
        self.contexts = frozenset(plover.get("contexts") or ())

    def sense(self, event_type: str, mode: str | None, contexts: tuple[str, ...], cameo: str | None,
              where: str, curated: bool = False) -> Sense:
        if event_type not in self.modes:
            raise DataError(f"{where}: unknown PLOVER type {event_type!r}")
        if mode is not None and mode not in self.modes[event_type]:
            raise DataError(f"{where}: {event_type} has no mode {mode!r} (modes: {sorted(self.modes[event_type])})")
        unknown = [c for c in contexts if c not in self.contexts]
        if unknown:
            raise DataError(f"{where}: unknown contexts {unknown}; add them to plover.yaml if PLOVER has them")
        return Sense(event_type, mode, contexts, cameo, curated)


def _state_obstruction(code: Any, table: Mapping[str, Sense], where: str) -> Sense | None:
    """Return the sense of an obstruction by a state (obstruction.state_code), None when no code is given."""
    if code is None:
        return None
    sense = _sense_of_code(table, str(code))
    if sense is None:
        raise DataError(f"{where} obstruction.state_code: unknown CAMEO code {code!r}")
    return sense


def _cameo_table(validator: _Validator) -> dict[str, Sense]:
    table: dict[str, Sense] = {}
    for number, row in enumerate(_tsv("cameo2plover.tsv"), 1):
        if len(row) != 4:
            raise DataError(f"data/{DATA_DIR}/cameo2plover.tsv row {number}: expected 4 columns")
        code, event_type, mode, contexts = row
        where = f"cameo2plover.tsv code {code}"
        table.setdefault(code, validator.sense(event_type, mode or None, tuple(filter(None, contexts.split(";"))),
                                               code, where))
    return table


def _curated_sense(spec: Any, table: Mapping[str, Sense], validator: _Validator, where: str) -> Sense | None:
    if spec is None:
        return None
    if not isinstance(spec, dict) or not isinstance(spec.get("code"), str):
        raise DataError(f"{where}: expected null or a mapping with a string 'code'")
    unknown = set(spec) - SENSE_KEYS
    if unknown:
        raise DataError(f"{where}: unknown keys {sorted(unknown)} (allowed: {sorted(SENSE_KEYS)})")
    code = spec["code"]
    base = table.get(code)
    if base is None and "type" not in spec:
        raise DataError(f"{where}: CAMEO code {code} is not in cameo2plover.tsv; give 'type'")
    event_type = spec.get("type", base.event_type if base else "")
    mode = spec.get("mode", base.mode if base else None)
    contexts = tuple(spec.get("contexts", base.contexts if base else ()))
    return validator.sense(event_type, mode, contexts, code, where, curated=True)


def _slot(word: str, synsets: Mapping[str, tuple[str, ...]]) -> Slot:
    alternatives = synsets.get(word, (word,)) if word.startswith("&") else (word,)
    slot: list[tuple[str, ...]] = []
    for alternative in alternatives:
        words = tuple(alternative.split())
        slot.append(words)
        if len(words) == 1 and words[0].endswith("s") and len(words[0]) > 3:
            slot.append((words[0][:-1],))  # plural forms in the dictionary match singular lemmas too
    return tuple(slot)


def _patterns(table: Mapping[str, Sense], validator: _Validator,
              curated: list[Any]) -> tuple[dict[str, Sense | None], dict[str, tuple[Pattern, ...]]]:
    synsets: dict[str, list[str]] = {}
    for row in _tsv("synsets.tsv"):
        synsets.setdefault(row[0], []).append(row[1])
    frozen = {name: tuple(words) for name, words in synsets.items()}
    senses: dict[str, Sense | None] = {}
    patterns: dict[str, list[Pattern]] = {}
    for number, row in enumerate(_tsv("verb_patterns.tsv"), 1):
        if len(row) != 4:
            raise DataError(f"data/{DATA_DIR}/verb_patterns.tsv row {number}: expected 4 columns")
        verb, before, after, code = row
        sense = None if code == "---" else _sense_of_code(table, code)
        if not before and not after:
            if verb not in senses or senses[verb] is None:
                senses[verb] = sense
            continue
        pattern = Pattern(tuple(_slot(w, frozen) for w in before.split()),
                          tuple(_slot(w, frozen) for w in after.split()), sense)
        patterns.setdefault(verb, []).append(pattern)
    for number, spec in enumerate(curated, 1):
        where = f"triggers.yaml patterns item {number}"
        if not isinstance(spec, dict) or not isinstance(spec.get("verb"), str):
            raise DataError(f"{where}: expected a mapping with 'verb', 'after' and 'code'")
        sense = _curated_sense(spec, table, validator, where)
        words = str(spec.get("after", "")).lower().split()
        pattern = Pattern((), tuple(_slot(w, frozen) for w in words), sense, curated=True)
        patterns.setdefault(spec["verb"], []).insert(0, pattern)
    return senses, {verb: tuple(found) for verb, found in patterns.items()}


def _sense_of_code(table: Mapping[str, Sense], code: str) -> Sense | None:
    while code:
        if code in table:
            return table[code]
        code = code[:-1] if len(code) > 3 else ""
    return None


def _nouns(spec: Any, table: Mapping[str, Sense], validator: _Validator) -> dict[str, tuple[NounTrigger, ...]]:
    if not isinstance(spec, dict):
        raise DataError(f"data/{DATA_DIR}/triggers.yaml: 'nouns' must be a mapping")
    index: dict[str, list[NounTrigger]] = {}
    for phrase, entry in spec.items():
        where = f"triggers.yaml nouns {phrase!r}"
        sense = _curated_sense(entry, table, validator, where)
        if sense is None:
            raise DataError(f"{where}: a nominal trigger needs a sense")
        words = str(phrase).lower().split()
        # "state of emergency": the head noun is the first word, the rest follows it.
        head_at = words.index("of") - 1 if "of" in words else len(words) - 1
        trigger = NounTrigger(tuple(words[:head_at]), tuple(words[head_at + 1:]), sense)
        index.setdefault(words[head_at], []).append(trigger)
    return {head: tuple(sorted(found, key=lambda t: -len(t.prefix) - len(t.suffix))) for head, found in index.items()}


def _modality(spec: dict[str, Any]) -> ModalityCues:
    where = f"data/{DATA_DIR}/modality.yaml"
    try:
        historical = spec["historical"]
        return ModalityCues(
            negation_words=_words(spec["negation"]["words"], where),
            negation_heads=_words(spec["negation"]["heads"], where),
            hypothetical_auxiliaries=_words(spec["hypothetical"]["auxiliaries"], where),
            hypothetical_marks=_words(spec["hypothetical"]["marks"], where),
            hypothetical_heads=_words(spec["hypothetical"]["heads"], where),
            future_auxiliaries=_words(spec["future"]["auxiliaries"], where),
            future_heads=_words(spec["future"]["heads"], where),
            intent_heads=_words(spec["future"]["intent_heads"], where),
            intent_verbs=_words(spec["future"]["intent_verbs"], where),
            historical_prepositions=_words(historical["prepositions"], where),
            historical_phrases=tuple(tuple(p.lower().split()) for p in historical["phrases"]),
            window_days=int(historical["window_days"]),
            forward_supports=_words(historical["forward_supports"], where),
            historical_anchors=_words(historical["anchors"], where),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise DataError(f"{where}: missing or malformed entry ({exc})") from exc


def _numbers(spec: dict[str, Any]) -> NumberWords:
    where = f"data/{DATA_DIR}/numbers.yaml"
    try:
        return NumberWords(
            units={str(k).lower(): int(v) for k, v in spec["units"].items()},
            scales={str(k).lower(): int(v) for k, v in spec["scales"].items()},
            vague=_words(spec["vague"], where),
            dead=_words(spec["dead"], where),
            injured=_words(spec["injured"], where),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise DataError(f"{where}: missing or malformed entry ({exc})") from exc


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """Load, validate and index the event lexicon (cached).

    Returns:
        The lexicon, e.g. ``load_lexicon().nouns["law"][0].sense.mode == "martial-law"``.
    """
    validator = _Validator(_yaml("plover.yaml"))
    table = _cameo_table(validator)
    triggers = _yaml("triggers.yaml")
    curated_verbs = triggers.get("verbs") or {}
    if not isinstance(curated_verbs, dict):
        raise DataError(f"data/{DATA_DIR}/triggers.yaml: 'verbs' must be a mapping")
    senses, patterns = _patterns(table, validator, list(triggers.get("patterns") or []))
    for verb, spec in curated_verbs.items():
        sense = _curated_sense(spec, table, validator, f"triggers.yaml verbs {verb!r}")
        senses[str(verb)] = sense
        if isinstance(spec, dict) and spec.get("patterns") is False:
            patterns[verb] = tuple(p for p in patterns.get(verb, ()) if p.curated)
        elif sense is not None and verb in patterns:
            # CAMEO leaves denials and the like uncoded (its 01 codes); a curated sense says they are events
            patterns[verb] = tuple(p for p in patterns[verb] if p.curated or p.sense is not None)
    where = f"data/{DATA_DIR}/triggers.yaml"

    def listed(path: str) -> frozenset[str]:
        return _listed(triggers, "triggers.yaml", path)

    speech = listed("speech_verbs")
    for verb in speech - set(curated_verbs):
        senses[verb] = None
    for verb in speech | listed("complement_verbs"):
        patterns.pop(verb, None)
    obstruction = triggers.get("obstruction") or {}
    criticism = triggers.get("criticism")
    criticised = _curated_sense(criticism.get("sense") if isinstance(criticism, dict) else None, table, validator,
                                f"{where} criticism.sense")
    if criticised is None:
        raise DataError(f"{where} criticism.sense: give the sense of criticism, e.g. {{code: \"111\"}}")
    return Lexicon(
        quad_classes=validator.quad,
        verb_senses=senses,
        verb_patterns=patterns,
        nouns=_nouns(triggers.get("nouns"), table, validator),
        support_verbs=listed("support_verbs"),
        quantity_nouns=listed("quantity_nouns"),
        blame_verbs=listed("blame.verbs"),
        blame_nouns=listed("blame.nouns"),
        blame_prepositions=listed("blame.prepositions"),
        blame_positions=listed("blame.positions"),
        blame_adjectives=listed("blame.adjectives"),
        blame_happenings=listed("blame.happenings"),
        content_nouns=listed("content_nouns"),
        speech_verbs=speech,
        instruments=listed("instruments"),
        victim_verbs=listed("victim_verbs"),
        warning_verbs=listed("warning_verbs"),
        launch_verbs=listed("launch_verbs"),
        interception_verbs=listed("interception_verbs"),
        participation_verbs=listed("participation.verbs"),
        participation_nouns=listed("participation.nouns"),
        responsibility_verbs=listed("responsibility.verbs"),
        responsibility_nouns=listed("responsibility.nouns"),
        claim_verbs=listed("responsibility.claim_verbs"),
        obstruction_verbs=listed("obstruction.verbs"),
        dissident_sectors=frozenset(s.upper() for s in listed("obstruction.dissident_sectors")),
        state_sectors=frozenset(s.upper() for s in listed("obstruction.state_sectors")),
        state_obstruction=_state_obstruction(obstruction.get("state_code"), table, where),
        criticism=CriticismCues(criticised, listed("criticism.verbs"), listed("criticism.prepositions"),
                                listed("criticism.reasons"), listed("criticism.objects"),
                                listed("criticism.participles")),
        modality=_modality(_yaml("modality.yaml")),
        numbers=_numbers(_yaml("numbers.yaml")),
        cameo=table,
    )
