"""The reference article (corpus/karabakh-2020-09-27.txt) through parse + actors KB + event coder.

What the sentences say is checked here; who reports each event and what a denial disputes are the
claims stage's tests.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from eventcoder.model import Event

REFERENCE = Path(__file__).resolve().parent.parent / "corpus" / "karabakh-2020-09-27.txt"


@pytest.fixture(scope="session")
def reference_events() -> list[Event]:
    from eventcoder.actors import load_kb
    from eventcoder.events import EventCoder
    from eventcoder.ingest import read_documents
    from eventcoder.nlp import Parser, build_nlp

    kb = load_kb()
    parser = Parser(build_nlp(kb.ruler_patterns()))
    [document] = list(read_documents([str(REFERENCE)], on_error="raise"))
    return EventCoder(kb)(parser(document))


def country(ref: Any) -> str | None:
    return ref.country if ref is not None else None


def having(events: list[Event], event_type: str, words: str) -> list[Event]:
    return [e for e in events if e.event_type == event_type and words in e.evidence.sentence]


def test_events_reference_fighting_between_azerbaijan_and_armenia(reference_events: list[Event]) -> None:
    events = having(reference_events, "ASSAULT", "fighting broke out")
    assert {(country(e.actor), country(e.recipient)) for e in events} == {("AZE", "ARM"), ("ARM", "AZE")}
    assert {e.modality for e in events} == {"asserted"}


def test_events_reference_shelling_of_stepanakert(reference_events: list[Event]) -> None:
    [event] = having(reference_events, "ASSAULT", "Stepanakert had been shelled")
    assert event.mode == "heavy-weapons" and event.modality == "asserted"
    assert event.recipient is not None and "Stepanakert" in event.recipient.text
    assert event.actor is None  # "from the Azerbaijani side" is two sentences later: the claims stage


def test_events_reference_civilians_killed(reference_events: list[Event]) -> None:
    [event] = having(reference_events, "ASSAULT", "Civilians were also killed")
    assert event.recipient is not None and event.recipient.sector == "CVL"
    assert event.fatalities.dead is None and event.fatalities.text is not None


@pytest.mark.parametrize(("words", "sector", "country_code"), [
    ("the Pro-Armenian rebels", "REB", None),
    ("Armenia also imposed", None, "ARM"),
])
def test_events_reference_martial_law_and_mobilization(reference_events: list[Event], words: str,
                                                       sector: str | None, country_code: str | None) -> None:
    [coerce] = having(reference_events, "COERCE", words)
    [mobilize] = [e for e in having(reference_events, "MOBILIZE", words) if e.modality == "asserted"]
    assert coerce.mode == "martial-law"
    for event in (coerce, mobilize):
        assert event.actor is not None
        assert country(event.actor) == country_code
        if sector is not None:
            assert event.actor.sector == sector


def test_events_reference_accusations_both_ways(reference_events: list[Event]) -> None:
    accused = {country(e.recipient) for e in reference_events if e.event_type == "ACCUSE"}
    assert {"AZE", "ARM"} <= accused
    [mutual] = having(reference_events, "ACCUSE", "Both sides blamed each other")
    assert mutual.actor is not None and mutual.actor.text == "Both sides"


def test_events_reference_helicopters_and_drones_shot_down(reference_events: list[Event]) -> None:
    events = having(reference_events, "ASSAULT", "shot down")
    assert {(country(e.actor), country(e.recipient)) for e in events} == {("ARM", "AZE")}
    assert {e.recipient.text for e in events if e.recipient} == {"helicopters", "combat drones"}


def test_events_reference_tanks_hit(reference_events: list[Event]) -> None:
    [event] = having(reference_events, "ASSAULT", "tanks were hit")
    assert event.recipient is not None and event.recipient.text == "Three enemy tanks"


def test_events_reference_the_denial(reference_events: list[Event]) -> None:
    [event] = having(reference_events, "REJECT", "Baku denied")
    assert country(event.actor) == "AZE" and event.recipient is None


def test_events_reference_russia_calls_for_ceasefire(reference_events: list[Event]) -> None:
    [event] = having(reference_events, "REQUEST", "Russia called for")
    assert (country(event.actor), event.mode, event.modality) == ("RUS", "yield", "asserted")


def test_events_reference_july_fighting_is_historical(reference_events: list[Event]) -> None:
    events = having(reference_events, "ASSAULT", "In July")
    assert events and {e.modality for e in events} == {"historical"}


@pytest.mark.parametrize("words", [
    "A ceasefire has existed in the region since 1994",
    "following the collapse of the Soviet Union",
    "Armenia relies on Russia",
    "which is controlled by Armenia",
])
def test_events_reference_background_gives_no_event(reference_events: list[Event], words: str) -> None:
    assert [e.event_type for e in reference_events if words in e.evidence.sentence] == []


def test_events_reference_speech_verbs_are_not_events(reference_events: list[Event]) -> None:
    triggers = {e.evidence.trigger.lower() for e in reference_events}
    assert not triggers & {"announced", "said", "wrote", "stressed", "according"}
