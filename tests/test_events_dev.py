"""Eval gate for the events stage on the PLOVER dev set: floors a change may raise and never silently lower."""

from __future__ import annotations

from pathlib import Path

import pytest

from events_scoring import plain_country_match, predict, read_gold, score

DEV = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "dev" / "plover_gsr.events.jsonl"
FLOORS = {"type_f1": 0.76, "actor_country_acc": 0.85}

pytestmark = pytest.mark.skipif(not DEV.exists(), reason="../shared/eval/dev is not checked out next to the repo")


@pytest.fixture(scope="module")
def dev_scores() -> dict[str, object]:
    from eventcoder.actors import load_kb
    from eventcoder.actors.codes import country_matches
    from eventcoder.events import EventCoder
    from eventcoder.nlp import Parser, build_nlp

    kb = load_kb()
    records = read_gold(DEV)
    predictions = predict(records, EventCoder(kb), Parser(build_nlp(kb.ruler_patterns())))
    return score(records, predictions, country_matches)


@pytest.mark.slow
@pytest.mark.parametrize(("metric", "floor"), sorted(FLOORS.items()))
def test_events_dev_floor(dev_scores: dict[str, object], metric: str, floor: float) -> None:
    value = dev_scores[metric]
    assert isinstance(value, float) and value >= floor, f"{metric} {value} fell below its floor {floor}"


def test_events_scoring_counts_distinct_types_and_accepts() -> None:
    from datetime import date

    from eventcoder.model import ActorRef, Event, Evidence

    def event(event_type: str, country: str | None) -> Event:
        return Event(doc_id="d", event_type=event_type, evidence=Evidence("s", 0, 1, "t"),
                     published=date(2020, 1, 1), actor=ActorRef(text="x", country=country))

    records = [
        {"events": [{"type": "REQUEST", "accept": ["REQUEST"], "actors": [{"country": "RUS"}], "recipients": []}]},
        {"events": [{"type": "AGREE", "accept": ["AGREE", "SUPPORT"], "actors": [{"country": "JPN"}],
                     "recipients": []}]},
    ]
    predictions = [[event("REQUEST", "RUS"), event("REQUEST", "RUS"), event("ASSAULT", "RUS")],
                   [event("SUPPORT", "CHN")]]
    scores = score(records, predictions, plain_country_match)
    assert (scores["type_precision"], scores["type_recall"], scores["actor_country_acc"]) == (0.6667, 1.0, 0.5)
    assert scores["per_type"] == {"AGREE": 0.0, "ASSAULT": 0.0, "REQUEST": 1.0, "SUPPORT": 0.0}
