"""The issue-21 roles set (tests/data/events/roles.events.jsonl): valid gold with places, held by the eval gate."""

from __future__ import annotations

from pathlib import Path

import yaml

from eventcoder.evaluate.gold import GoldEventRecord, read_gold

DATA = Path(__file__).resolve().parent / "data" / "events" / "roles.events.jsonl"
FLOORS = Path(__file__).resolve().parent / "eval_floors.yaml"


def test_events_roles_set_is_valid_gold_with_roles_and_places() -> None:
    kind, records = read_gold(DATA)
    assert kind == "events"
    events = [e for r in records if isinstance(r, GoldEventRecord) for e in r.events]
    assert len(records) >= 120
    assert len({r.text for r in records}) == len(records), "a story appears twice"
    assert sum(not r.events for r in records if isinstance(r, GoldEventRecord)) >= 15  # politics that is no event
    assert sum(bool(e.actor_countries) for e in events) >= 90
    assert sum(bool(e.recipient_countries) for e in events) >= 90
    assert sum(e.location is not None for e in events) >= 90
    assert all(e.label in e.accept for e in events)


def test_events_roles_set_has_a_floor_in_the_eval_gate() -> None:
    golds = {entry["gold"]: entry["floors"] for entry in yaml.safe_load(FLOORS.read_text("utf-8"))}
    floors = golds["tests/data/events/roles.events.jsonl"]
    assert {"actor_country_acc", "recipient_country_acc"} <= set(floors)


EXTRA = DATA.parent / "roles_locations_extra.events.jsonl"


def test_events_roles_locations_extra_set_is_valid_gold_with_a_place_for_every_event() -> None:
    kind, records = read_gold(EXTRA)
    assert kind == "events"
    events = [e for r in records if isinstance(r, GoldEventRecord) for e in r.events]
    assert len(records) >= 30 and len(events) >= 30
    assert len({r.text for r in records}) == len(records), "a story appears twice"
    roles_texts = {r.text for r in read_gold(DATA)[1]}
    assert not roles_texts & {r.text for r in records}, "a story of the roles set is repeated"
    assert all(e.location is not None for e in events)
    assert sum(e.location == "" for e in events) >= 3  # statements and sanctions that have no place


def test_events_roles_sets_have_location_floors_in_the_eval_gate() -> None:
    golds = {entry["gold"]: entry["floors"] for entry in yaml.safe_load(FLOORS.read_text("utf-8"))}
    for path in (DATA, EXTRA):
        assert "location_acc" in golds[f"tests/data/events/{path.name}"]
