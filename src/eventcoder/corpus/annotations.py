"""Read, check and write annotation files (one JSON object a line, offsets into ../shared texts)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from eventcoder.errors import DataError
from eventcoder.model import MODALITIES

# The open-news files an annotation may point into (their stems; the texts are in ../shared).
OPEN_NEWS_FILES: tuple[str, ...] = ("political_wcep_ccbysa", "nonpolitical", "political")
METHODS: tuple[str, ...] = ("prefill-corrected", "manual", "adjudicated")


@cache
def plover_modes() -> dict[str, frozenset[str]]:
    """Return each PLOVER 0.8 type with the modes this project codes for it (data/events/plover.yaml)."""
    text = resources.files("eventcoder.data").joinpath("events", "plover.yaml").read_text("utf-8")
    types = yaml.safe_load(text)["types"]
    return {name: frozenset(spec.get("modes") or ()) for name, spec in types.items()}


def text_sha1(text: str) -> str:
    """Return the short fingerprint stored with a sentence, to notice a changed source text."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True, order=True)
class Span:
    """Character offsets [start, end) into the record's ``text``."""

    start: int
    end: int

    def to_list(self) -> list[int]:
        return [self.start, self.end]


@dataclass(frozen=True)
class AnnotatedEvent:
    """One event an annotator coded in a sentence."""

    event_type: str
    mode: str | None = None
    modality: str = "asserted"
    trigger: Span | None = None
    actors: tuple[Span, ...] = ()
    recipients: tuple[Span, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": self.event_type, "mode": self.mode, "modality": self.modality,
            "trigger": self.trigger.to_list() if self.trigger else None,
            "actors": [s.to_list() for s in self.actors], "recipients": [s.to_list() for s in self.recipients],
        }


@dataclass(frozen=True)
class Annotation:
    """One annotated sentence: where it is, its events (none: a negative), and who coded it how."""

    source: str
    record: str
    start: int
    end: int
    sha1: str
    events: tuple[AnnotatedEvent, ...]
    annotator: str
    method: str
    prefill: tuple[str, ...] = field(default=())  # the types the coder proposed, kept for agreement figures
    note: str | None = None

    @property
    def key(self) -> tuple[str, str, int]:
        return (self.source, self.record, self.start)

    @property
    def negative(self) -> bool:
        return not self.events

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "source": self.source, "record": self.record, "start": self.start, "end": self.end, "sha1": self.sha1,
            "events": [e.to_dict() for e in self.events], "annotator": self.annotator, "method": self.method,
            "prefill": list(self.prefill),
        }
        if self.note:
            out["note"] = self.note
        return out


def _span(raw: Any, where: str, sentence: tuple[int, int]) -> Span:
    if not (isinstance(raw, list) and len(raw) == 2 and all(isinstance(v, int) for v in raw)):
        raise DataError(f"{where}: a span must be [start, end] integers, not {raw!r}")
    span = Span(raw[0], raw[1])
    if not sentence[0] <= span.start < span.end <= sentence[1]:
        raise DataError(f"{where}: span {raw} is not inside the sentence {list(sentence)}")
    return span


def _event(raw: Any, where: str, sentence: tuple[int, int]) -> AnnotatedEvent:
    if not isinstance(raw, dict):
        raise DataError(f"{where}: an event must be an object")
    modes = plover_modes()
    kind = raw.get("type")
    if kind not in modes:
        raise DataError(f"{where}: unknown PLOVER type {kind!r}; use one of {sorted(modes)}")
    mode = raw.get("mode")
    if mode is not None and mode not in modes[kind]:
        raise DataError(f"{where}: mode {mode!r} is not a mode of {kind}; use one of {sorted(modes[kind])} or null")
    modality = raw.get("modality", "asserted")
    if modality not in MODALITIES:
        raise DataError(f"{where}: modality {modality!r} is not one of {list(MODALITIES)}")
    trigger = raw.get("trigger")
    return AnnotatedEvent(
        kind, mode, modality, _span(trigger, f"{where} trigger", sentence) if trigger is not None else None,
        tuple(_span(s, f"{where} actor", sentence) for s in raw.get("actors") or ()),
        tuple(_span(s, f"{where} recipient", sentence) for s in raw.get("recipients") or ()),
    )


def parse_annotation(raw: Any, where: str) -> Annotation:
    """Check one annotation line's object and return it; any problem is a one-line ``DataError``."""
    if not isinstance(raw, dict):
        raise DataError(f"{where}: an annotation must be a JSON object")
    for key, kind in (("source", str), ("record", str), ("start", int), ("end", int), ("sha1", str),
                      ("events", list), ("annotator", str), ("method", str)):
        if not isinstance(raw.get(key), kind):
            raise DataError(f"{where}: '{key}' is missing or not a {kind.__name__}")
    if raw["source"] not in OPEN_NEWS_FILES:
        raise DataError(f"{where}: source {raw['source']!r} is not one of {list(OPEN_NEWS_FILES)}")
    if raw["method"] not in METHODS:
        raise DataError(f"{where}: method {raw['method']!r} is not one of {list(METHODS)}")
    if not raw["annotator"].strip() or not raw["record"].strip():
        raise DataError(f"{where}: 'annotator' and 'record' must not be empty")
    if not 0 <= raw["start"] < raw["end"]:
        raise DataError(f"{where}: sentence offsets must satisfy 0 <= start < end")
    sentence = (raw["start"], raw["end"])
    events = tuple(_event(e, f"{where} event {n}", sentence) for n, e in enumerate(raw["events"], 1))
    prefill = raw.get("prefill") or []
    if not all(p in plover_modes() for p in prefill):
        raise DataError(f"{where}: 'prefill' lists an unknown type")
    return Annotation(raw["source"], raw["record"], raw["start"], raw["end"], raw["sha1"], events,
                      raw["annotator"], raw["method"], tuple(prefill), raw.get("note"))


def read_annotations(path: str | Path) -> list[Annotation]:
    """Read an annotation file (or every ``*.jsonl`` in a folder), checking each line; keys are unique."""
    path = Path(path)
    files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    out: list[Annotation] = []
    seen: dict[tuple[str, str, int], str] = {}
    for file in files:
        for number, line in enumerate(file.read_text("utf-8").splitlines(), 1):
            if not line.strip():
                continue
            where = f"{file.name} line {number}"
            try:
                raw = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DataError(f"{where}: not JSON ({exc.msg})") from exc
            annotation = parse_annotation(raw, where)
            if annotation.key in seen:
                raise DataError(f"{where}: sentence {annotation.key} is already annotated at {seen[annotation.key]}")
            seen[annotation.key] = where
            out.append(annotation)
    return out


def write_annotations(path: str | Path, annotations: Iterable[Annotation]) -> int:
    """Write annotations sorted by key, one compact JSON line each; return how many."""
    rows = sorted(annotations, key=lambda a: a.key)
    Path(path).write_text("".join(json.dumps(a.to_dict(), ensure_ascii=False) + "\n" for a in rows), "utf-8")
    return len(rows)


def load_records(folder: str | Path) -> dict[str, dict[str, dict[str, Any]]]:
    """Read the open-news files of ``folder`` (../shared/corpus/open-news): source -> record id -> record."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for source in OPEN_NEWS_FILES:
        file = Path(folder) / f"{source}.jsonl"
        if not file.exists():
            raise DataError(f"{file}: not found; point at ../shared/corpus/open-news")
        out[source] = {}
        for line in file.read_text("utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                out[source][record["id"]] = record
    return out


def check_against_records(annotations: Iterable[Annotation],
                          records: Mapping[str, Mapping[str, Mapping[str, Any]]]) -> list[str]:
    """Return one problem line per annotation whose record is missing or whose sentence text changed."""
    problems = []
    for a in annotations:
        record = records.get(a.source, {}).get(a.record)
        if record is None:
            problems.append(f"{a.source}/{a.record}: record not found")
            continue
        text = record["text"]
        if a.end > len(text) or text_sha1(text[a.start:a.end]) != a.sha1:
            problems.append(f"{a.source}/{a.record} [{a.start}:{a.end}]: sentence text changed (sha1 differs)")
            continue
        for event in a.events:
            for span in (*event.actors, *event.recipients):
                if _inside_word(text, span):
                    problems.append(f"{a.source}/{a.record} [{span.start}:{span.end}] {text[span.start:span.end]!r}: "
                                    "an actor or recipient span cuts a word")
    return problems


def _inside_word(text: str, span: Span) -> bool:
    before = text[span.start - 1] if span.start > 0 else " "
    after = text[span.end] if span.end < len(text) else " "
    return before.isalnum() or after.isalnum()


def sentence_text(annotation: Annotation, records: Mapping[str, Mapping[str, Mapping[str, Any]]]) -> str:
    """Return the annotated sentence's text, read from the records."""
    return str(records[annotation.source][annotation.record]["text"][annotation.start:annotation.end])
