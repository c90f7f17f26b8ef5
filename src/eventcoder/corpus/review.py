"""Turn an annotator's review decisions on pre-filled candidates into annotations (offsets, no text).

A decisions file has one line per reviewed candidate, ``N: CODING`` where N is the candidate's
number (its line in the candidates file, from 1) and CODING is one of
- ``-``: a negative, the sentence holds no event to code;
- ``skip``: not annotated (garbled, a heading, cannot be decided);
- ``ok``: the annotator read the sentence and the pre-fill is right as it stands (types, modes,
  modality, spans);
- events separated by ``;``, each ``TYPE [mode|-] [modality] | actor + actor | recipient + ...``.
  Actor and recipient texts are found in the sentence (``text#2`` for the second occurrence); the
  modality is ``asserted`` when left out. Anything after ``#`` followed by a space is a note.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from eventcoder.corpus.annotations import AnnotatedEvent, Annotation, Span, parse_annotation, plover_modes
from eventcoder.errors import DataError
from eventcoder.model import MODALITIES


def _span(text: str, phrase: str, lo: int, hi: int, where: str) -> Span:
    phrase, _, nth = phrase.strip().partition("#")
    count = int(nth) if nth.isdigit() else 1
    at = lo - 1
    for _ in range(count):
        at = text.find(phrase, at + 1, hi)
        if at < 0:
            raise DataError(f"{where}: {phrase!r} is not in the sentence")
    before = text[at - 1] if at > 0 else " "
    after = text[at + len(phrase)] if at + len(phrase) < len(text) else " "
    if before.isalnum() or after.isalnum():
        raise DataError(f"{where}: {phrase!r} at {at} is part of a longer word; count occurrences with '#N'")
    return Span(at, at + len(phrase))


def _event(spec: str, text: str, lo: int, hi: int, where: str) -> AnnotatedEvent:
    head, *parts = [p.strip() for p in spec.split("|")]
    words = head.split()
    if not words or words[0] not in plover_modes():
        raise DataError(f"{where}: {head!r} does not start with a PLOVER type")
    mode = words[1] if len(words) > 1 and words[1] != "-" else None
    modality = words[2] if len(words) > 2 else "asserted"
    if modality not in MODALITIES:
        raise DataError(f"{where}: unknown modality {modality!r}")
    roles: list[tuple[Span, ...]] = []
    for part in [*parts, "", ""][:2]:
        roles.append(tuple(_span(text, p, lo, hi, where) for p in part.split("+") if p.strip()))
    return AnnotatedEvent(words[0], mode, modality, None, roles[0], roles[1])


def apply_decisions(candidates: Sequence[Mapping[str, Any]], decisions: str, records: Mapping[str, Any],
                    annotator: str, method: str = "prefill-corrected") -> list[Annotation]:
    """Return the annotations the decisions give (checked as any annotation file line is).

    ``method`` is recorded on each: ``prefill-corrected`` for reviewed pre-fill, ``manual`` for blank
    candidates coded from scratch, ``adjudicated`` for settled disagreements.
    """
    out: list[Annotation] = []
    for number, line in enumerate(decisions.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        where = f"decisions line {number}"
        index, sep, coding = line.partition(":")
        if not sep or not index.strip().isdigit() or not 1 <= int(index) <= len(candidates):
            raise DataError(f"{where}: must start with a candidate number and ':'")
        coding, _, note = coding.partition("# ")
        coding = coding.strip()
        if coding == "skip":
            continue
        cand = candidates[int(index) - 1]
        text = records[cand["source"]][cand["record"]]["text"]
        lo, hi = cand["start"], cand["end"]
        if coding == "ok":
            events: list[dict[str, Any]] = list(cand["events"])
        elif coding == "-":
            events = []
        else:
            events = [_event(spec, text, lo, hi, where).to_dict() for spec in coding.split(";") if spec.strip()]
        raw = {**{k: cand[k] for k in ("source", "record", "start", "end", "sha1")}, "events": events,
               "annotator": annotator, "method": method,
               "prefill": [e["type"] for e in cand["events"]], "note": note.strip() or None}
        out.append(parse_annotation(raw, where))
    return out
