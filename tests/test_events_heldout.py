"""The events stage's own held-out sets (tests/data/events/): valid gold, all 16 PLOVER types, scored by the gate.

``heldout.events.jsonl`` (146 sentences) was written before the coder was run on it; ``heldout2.events.jsonl``
(50 sentences) after the first round of fixes, to measure them blind. The eval gate (tests/eval_floors.yaml)
holds the coder to floors on both.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from eventcoder.evaluate.gold import GoldEventRecord, read_gold

DATA = Path(__file__).resolve().parent / "data" / "events"
FLOORS = Path(__file__).resolve().parent / "eval_floors.yaml"
PLOVER_TYPES = frozenset({"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
                          "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"})
SETS = [("heldout.events.jsonl", 120), ("heldout2.events.jsonl", 40)]


@pytest.mark.parametrize(("name", "at_least"), SETS)
def test_events_heldout_is_valid_gold_covering_every_type(name: str, at_least: int) -> None:
    kind, records = read_gold(DATA / name)
    assert kind == "events"
    events = [e for r in records if isinstance(r, GoldEventRecord) for e in r.events]
    assert len(records) >= at_least
    counts = Counter(e.label for e in events)
    assert set(counts) == PLOVER_TYPES
    assert min(counts.values()) >= 3, counts
    assert all(e.label in e.accept and e.accept <= PLOVER_TYPES for e in events)
    assert len({r.text for r in records}) == len(records), "a sentence appears twice"


@pytest.mark.parametrize(("name", "_"), SETS)
def test_events_heldout_has_a_floor_in_the_eval_gate(name: str, _: int) -> None:
    golds = {entry["gold"]: entry["floors"] for entry in yaml.safe_load(FLOORS.read_text("utf-8"))}
    floors = golds[f"tests/data/events/{name}"]
    assert {"type_f1", "actor_country_acc"} <= set(floors)
