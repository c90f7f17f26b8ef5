"""Hand-written claims cases: build their events, run the linker, check and score source attribution.

Run ``python tests/claims_cases.py`` to print source-attribution precision/recall and every miss.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from spacy.language import Language

from eventcoder.claims import ClaimLinker
from eventcoder.model import ActorRef, Document, Event, Evidence
from eventcoder.nlp import ParsedDoc

DATA = Path(__file__).resolve().parent / "data" / "claims"
PUBLISHED = date(2023, 5, 14)


class CaseKB:
    """A tiny exact-match actor KB (the ``ActorResolver`` protocol) with news agencies."""

    def __init__(self, path: Path = DATA / "actors.yaml") -> None:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        self.actors = {key: (str(v[0]), v[1], v[2]) for key, v in raw["actors"].items()}
        self.agencies = frozenset(str(a) for a in raw["agencies"])

    def resolve(self, text: str, when: date | None = None) -> ActorRef | None:
        """Return the actor for a name, ignoring case and a leading "the"."""
        entry = self.actors.get(_key(text))
        if entry is None:
            return None
        return ActorRef(text, entry[0], entry[1], entry[2], f"test:{_key(text)}")

    def is_news_agency(self, text: str) -> bool:
        """Return True for the agencies listed in the test KB."""
        return _key(text) in self.agencies


@dataclass
class CaseResult:
    """One case run: its named output events and the problems found."""

    case_id: str
    events: dict[str, Event]
    names_by_id: dict[str, str]
    groups: dict[str, list[Event]] = field(default_factory=dict)  # every output event on a name's trigger
    linked: list[Event] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    true_sources: int = 0
    predicted_sources: int = 0
    expected_sources: int = 0


def load_cases(path: Path = DATA / "cases.yaml") -> list[dict[str, Any]]:
    """Read the cases file."""
    cases = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(cases, list)
    return cases


def build_events(case: dict[str, Any], parsed: ParsedDoc, kb: CaseKB) -> tuple[list[Event], list[str]]:
    """Build the case's events by hand, as the events stage would: trigger offsets, sentence, actors."""
    events, names = [], []
    text = parsed.document.text
    for spec in case["events"]:
        trigger = str(spec["trigger"])
        start = -1
        for _ in range(int(spec.get("nth", 1))):
            start = text.index(trigger, start + 1)
        sent = parsed.doc.char_span(start, start + len(trigger), alignment_mode="expand")
        assert sent is not None, f"{case['id']}: trigger {trigger!r} not on token boundaries"
        sentence = sent.sent
        events.append(Event(
            doc_id=parsed.document.id, event_type=str(spec["type"]),
            evidence=Evidence(sentence.text, sentence.start_char, sentence.end_char, trigger, start),
            published=parsed.document.published, publisher=parsed.document.publisher,
            actor=_actor(spec.get("actor"), kb), recipient=_actor(spec.get("recipient"), kb),
            modality=spec.get("modality", "asserted"),
        ))
        names.append(str(spec.get("name", trigger)))
    return events, names


def run_case(case: dict[str, Any], nlp: Language, kb: CaseKB) -> CaseResult:
    """Link the case's events and compare them with what it expects."""
    document = Document(id=f"case:{case['id']}", text=str(case["text"]), published=PUBLISHED,
                        publisher=case.get("publisher"))
    parsed = ParsedDoc(document, nlp(document.text))
    events, names = build_events(case, parsed, kb)
    name_by_start: dict[int | None, str] = {}
    for event, name in zip(events, names, strict=True):
        name_by_start.setdefault(event.evidence.trigger_start, name)  # one trigger, several accusers: one name
    linked = ClaimLinker(kb)(parsed, events)
    groups: dict[str, list[Event]] = {}
    for event in linked:  # a denial the linker wrote itself (no REJECT given) is named "REJECT:<its verb>"
        name_by_start.setdefault(event.evidence.trigger_start, f"{event.event_type}:{event.evidence.trigger}")
        groups.setdefault(name_by_start[event.evidence.trigger_start], []).append(event)
    named = {name: group[0] for name, group in groups.items()}
    result = CaseResult(case["id"], named, {e.id: name_by_start[e.evidence.trigger_start] for e in linked},
                        groups, linked)
    for name, expected in case.get("expect", {}).items():
        _check(result, name, expected)
    return result


def _check(result: CaseResult, name: str, expected: dict[str, Any]) -> None:
    problems = result.problems
    if "merged_into" in expected:
        if name in result.events:
            problems.append(f"{name}: expected merged into {expected['merged_into']}, still separate")
        return
    event = result.events.get(name)
    if event is None:
        problems.append(f"{name}: missing from the output (merged away?)")
        return
    if "sources" in expected:
        predicted = [s.text for s in event.sources]
        wanted = [str(s) for s in expected["sources"]]
        hits = _matches(predicted, wanted)
        result.true_sources += hits
        result.predicted_sources += len(predicted)
        result.expected_sources += len(wanted)
        if hits != len(wanted) or len(predicted) != len(wanted):
            problems.append(f"{name}: sources {predicted}, expected {wanted}")
    cues = [s.cue for s in event.sources]
    for cue in expected.get("cues", []):
        if cue not in cues:
            problems.append(f"{name}: cue {cue!r} not in {cues}")
    checks: dict[str, Callable[[], Any]] = {
        "status": lambda: event.claim_status,
        "actor": lambda: event.actor.country if event.actor else None,
        "recipient": lambda: event.recipient.country if event.recipient else None,
        "disputed_by": lambda: sorted(result.names_by_id.get(i, i) for i in event.disputed_by),
        "source_country": lambda: event.sources[0].actor.country if event.sources and event.sources[0].actor else None,
        "source_countries": lambda: sorted({s.actor.country for s in event.sources if s.actor and s.actor.country}),
        "source_actor": lambda: next((s.actor for s in event.sources if s.actor is not None), None),
        "actor_sector": lambda: event.actor.sector if event.actor else None,
        "actor_text": lambda: event.actor.text if event.actor else None,
        "count": lambda: len(result.groups[name]),
        # "ARM>AZE" per output event on this trigger: actor country > recipient country ("?" unknown)
        "directions": lambda: sorted(f"{_country(e.actor)}>{_country(e.recipient)}" for e in result.groups[name]),
        "direction_texts": lambda: sorted(f"{_text(e.actor)}>{_text(e.recipient)}" for e in result.groups[name]),
    }
    for key, value in checks.items():
        if key in expected:
            want = sorted(expected[key]) if isinstance(expected[key], list) else expected[key]
            got = value()
            if got != want:
                problems.append(f"{name}: {key} {got!r}, expected {want!r}")


def score(results: list[CaseResult]) -> tuple[float, float]:
    """Return source-attribution precision and recall over every case that states sources."""
    true = sum(r.true_sources for r in results)
    predicted = sum(r.predicted_sources for r in results)
    expected = sum(r.expected_sources for r in results)
    precision = true / predicted if predicted else 1.0
    recall = true / expected if expected else 1.0
    return precision, recall


def report(results: list[CaseResult]) -> str:
    """Return a printable summary: precision, recall, and the problems of each failing case."""
    precision, recall = score(results)
    passed = sum(1 for r in results if not r.problems)
    lines = [f"claims cases: {passed}/{len(results)} pass; source attribution "
             f"precision {precision:.3f} recall {recall:.3f}"]
    for result in results:
        lines.extend(f"  {result.case_id}: {p}" for p in result.problems)
    return "\n".join(lines)


def _matches(predicted: list[str], wanted: list[str]) -> int:
    """Count wanted speakers found among predicted ones (one each; a phrase may contain the other)."""
    left = [_norm(p) for p in predicted]
    hits = 0
    for want in (_norm(w) for w in wanted):
        for n, got in enumerate(left):
            if got == want or (got and want and (got in want or want in got)):
                hits += 1
                del left[n]
                break
    return hits


def _norm(text: str) -> str:
    words = text.lower().translate(str.maketrans("", "", string.punctuation + "“”’")).split()
    if words and words[0] in ("the", "a", "an"):
        words = words[1:]
    return " ".join(words)


def _key(text: str) -> str:
    words = text.lower().replace("’", "'").split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words).strip(string.punctuation)


def _country(actor: ActorRef | None) -> str:
    return (actor.country or "?") if actor is not None else "?"


def _text(actor: ActorRef | None) -> str:
    return actor.text if actor is not None else "?"


def _actor(text: str | None, kb: CaseKB) -> ActorRef | None:
    if text is None:
        return None
    return kb.resolve(text) or ActorRef(text)


def main() -> None:
    from eventcoder.nlp import build_nlp

    nlp, kb = build_nlp(), CaseKB()
    print(report([run_case(case, nlp, kb) for case in load_cases()]))


if __name__ == "__main__":
    main()
