"""Dedup: the same happening from several outlets merges; look-alikes stay apart; order does not matter."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup_corpus import load_corpus, merge_scores
from eventcoder.dedup import Deduplicator, compatible, load_rules, parse_rules
from eventcoder.errors import DataError
from eventcoder.store import Store

DOCUMENTS, PAIRS = load_corpus()
REPORTS = [event.to_dict() for event, _ in PAIRS]
GOLD = {event.id: happening for event, happening in PAIRS}
HAPPENING_OF = {event.id: happening for event, happening in PAIRS}


def _by_happening(dataset: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {HAPPENING_OF[d["reports"][0]["id"]]: d for d in dataset}


def test_dedup_merges_the_same_and_keeps_look_alikes_apart() -> None:
    dataset = Deduplicator()(REPORTS)
    precision, recall = merge_scores(dataset, GOLD)
    print(f"dedup corpus: {len(REPORTS)} reports, {len(set(GOLD.values()))} happenings, "
          f"{len(dataset)} dataset events; merge precision {precision:.3f} recall {recall:.3f}")
    assert precision == 1.0
    assert recall >= 0.9
    assert len(dataset) == len(set(GOLD.values()))


@pytest.mark.parametrize(("happening", "status", "n_reports"), [
    ("stepanakert-0927", "disputed", 5),  # APA's denial disputes what AFP, Reuters, TASS report
    ("ganja-1004", "corroborated", 3),  # both sides say it happened
    ("tartar-0927", "uncontested", 2),
    ("gyumri-protest-0928", "uncontested", 1),
])
def test_dedup_recomputes_claim_status_over_every_report(happening: str, status: str, n_reports: int) -> None:
    merged = _by_happening(Deduplicator()(REPORTS))[happening]
    assert (merged["claim_status"], merged["n_reports"]) == (status, n_reports)


def test_dedup_keeps_every_source_and_report() -> None:
    merged = _by_happening(Deduplicator()(REPORTS))["stepanakert-0927"]
    assert merged["publishers"] == ["AFP", "APA", "Armenpress", "Reuters", "TASS"]
    assert {s["text"] for s in merged["sources"]} >= {"Nikol Pashinyan", "Azerbaijani Defence Ministry"}
    assert all(r["evidence"]["sentence"] for r in merged["reports"])
    assert merged["location"]["precision"] == "city"


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_dedup_is_order_independent_and_idempotent(seed: int) -> None:
    shuffled = REPORTS[:]
    random.Random(seed).shuffle(shuffled)
    assert Deduplicator()(shuffled) == Deduplicator()(REPORTS) == Deduplicator()(REPORTS + shuffled)


def _report(**changes: Any) -> dict[str, Any]:
    base = dict(REPORTS[0])
    base.update(changes)
    return base


STEPANAKERT = REPORTS[0]["location"]


@pytest.mark.parametrize(("other", "same"), [
    (_report(), True),
    (_report(event_type="COERCE"), False),
    (_report(date="2020-09-28"), False),  # the next day's shelling is another event
    (_report(date="2020-09-30"), False),
    (_report(date="2020-09-28", date_precision="week"), True),  # "last week" covers the day
    (_report(date="2020-09", date_precision="month"), True),
    (_report(date="2020-10", date_precision="month"), False),
    (_report(actor={"text": "Armenia", "name": "Armenia", "country": "ARM", "sector": "MIL"}), False),
    (_report(actor={"text": "Baku", "name": "Azerbaijan", "country": "AZE", "sector": "GOV"}), True),
    (_report(actor={"text": "rebels", "name": None, "country": "AZE", "sector": "REB"}), False),
    (_report(actor=None), True),
    (_report(location={**STEPANAKERT, "lat": 39.79, "lon": 47.11}), False),  # Martuni, 30 km
    (_report(location={**STEPANAKERT, "precision": "country", "lat": 40.5, "lon": 47.5}), True),
    (_report(location=None), False),
    (_report(modality="future"), False),
    (_report(modality="negated"), True),
])
def test_dedup_compatible_table(other: dict[str, Any], same: bool) -> None:
    assert compatible(REPORTS[0], other) is same
    assert compatible(other, REPORTS[0]) is same


@pytest.mark.parametrize(("raw", "message"), [
    ([], "expected a mapping"),
    ({"date_slack_days": 1}, "missing key"),
    ({"date_slack_days": 1, "week_half_width_days": 3, "max_distance_km": {"city": 15}, "sector_groups": [],
      "modality_groups": [], "place_rank": ["point", "city"], "date_rank": ["day"], "attach_precisions": [],
      "max_attach_days": 32, "sector_roles": ["actor"]}, "one distance for each"),
    ({"date_slack_days": "soon", "week_half_width_days": 3, "max_distance_km": {}, "sector_groups": [],
      "modality_groups": [], "place_rank": [], "date_rank": []}, "malformed"),
])
def test_dedup_rules_reject_malformed_files(raw: Any, message: str) -> None:
    with pytest.raises(DataError, match=message):
        parse_rules(raw, "rules.yaml")


def test_dedup_shipped_rules_parse() -> None:
    rules = load_rules()
    assert set(rules.max_distance_km) == set(rules.place_rank)
    assert rules.sector_side["GOV"] == rules.sector_side["MIL"] != rules.sector_side["REB"]


def _save_all(store: Store, order: list[str]) -> list[dict[str, Any]]:
    for doc_id in order:
        store.save(DOCUMENTS[doc_id], [event for event, _ in PAIRS if event.doc_id == doc_id])
    return list(store.dataset())


def test_dedup_in_store_is_incremental_and_order_independent(tmp_path: Path) -> None:
    expected = Deduplicator()(REPORTS)
    order = sorted(DOCUMENTS)
    forward = _save_all(Store.open(str(tmp_path / "a.sqlite")), order)
    backward = _save_all(Store.open(str(tmp_path / "b.sqlite")), order[::-1])
    twice = Store.open(str(tmp_path / "c.sqlite"))
    _save_all(twice, order)
    again = _save_all(twice, random.Random(7).sample(order, len(order)))
    assert sorted(forward, key=lambda d: d["id"]) == sorted(backward, key=lambda d: d["id"]) == expected
    assert sorted(again, key=lambda d: d["id"]) == expected
    assert len(list(twice.records())) == len(REPORTS)  # per-article records stay queryable


def test_dedup_a_denial_never_speaks_for_the_event_it_denies() -> None:
    claim = _report(id="a" * 40, actor=None, modality="asserted",
                    location={**STEPANAKERT, "precision": "country"})  # the claim is the less precise report
    denial = _report(id="b" * 40, modality="negated",
                     actor={"text": "Baku", "name": "Azerbaijan", "country": "AZE", "sector": "GOV"})
    [merged] = Deduplicator()([denial, claim])
    assert merged["modality"] == "asserted" and merged["actor"] is None
    assert merged["claim_status"] == "disputed" and merged["n_reports"] == 2
