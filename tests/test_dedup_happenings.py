"""Dedup through the real pipeline: what an analyst counts as one happening, or several.

Short wire-style stories written for these tests: a town shelled day after day, one day's shelling told
by four outlets on later days, opposite directions on one day, a claim and its denial.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from eventcoder.model import Document
from eventcoder.store import Store


def _code(pipeline: Any, path: Path, articles: list[tuple[str, date, str, str]]) -> Store:
    documents = [Document(doc_id, text, published, "jsonl", publisher, f"https://example.org/{doc_id}",
                          f"Story {doc_id}") for doc_id, published, publisher, text in articles]
    coded = list(pipeline.code(documents))
    store = Store.open(str(path))
    for item in random.Random(5).sample(coded, len(coded)):
        store.save(item.document, item.events)
    return store


def _assaults(store: Store) -> list[dict[str, Any]]:
    return [d for d in store.dataset() if d["event_type"] == "ASSAULT"]


def test_dedup_daily_shellings_stay_apart(pipeline: Any, tmp_path: Path) -> None:
    articles = [(f"day{n}", date(2020, 9, 28) + timedelta(days=n), "Wire",
                 "Azerbaijani forces shelled Stepanakert today, the Armenian Defense Ministry said.")
                for n in range(10)]
    store = _code(pipeline, tmp_path / "daily.sqlite", articles)
    assaults = _assaults(store)
    assert len(assaults) == 10
    assert all(d["n_reports"] == 1 and d["date_start"] == d["date_end"] for d in assaults)
    store.close()


def test_dedup_one_day_told_by_four_outlets_is_one_event(pipeline: Any, tmp_path: Path) -> None:
    sunday = date(2020, 10, 4)
    articles = [
        ("afp", sunday, "AFP", "Azerbaijani artillery shelled Stepanakert today, local officials said."),
        ("reuters", sunday + timedelta(days=1), "Reuters",
         "Azerbaijan shelled Stepanakert on Sunday, the Armenian Defence Ministry said."),
        ("tass", sunday + timedelta(days=1), "TASS", "Azerbaijani forces shelled Stepanakert yesterday."),
        ("bbc", sunday + timedelta(days=2), "BBC",
         "Azerbaijani troops shelled Stepanakert on Sunday, residents told reporters."),
    ]
    store = _code(pipeline, tmp_path / "four.sqlite", articles)
    [event] = _assaults(store)
    assert event["n_reports"] == 4 and event["publishers"] == ["AFP", "BBC", "Reuters", "TASS"]
    assert (event["date_start"], event["date_end"]) == ("2020-10-04", "2020-10-04")
    assert sorted(event["urls"]) == [f"https://example.org/{d}" for d in ("afp", "bbc", "reuters", "tass")]
    store.close()


def test_dedup_opposite_directions_stay_apart(pipeline: Any, tmp_path: Path) -> None:
    day = date(2020, 10, 4)
    articles = [
        ("a1", day, "APA", "Armenian forces shelled Tartar today, the Azerbaijani Defence Ministry said."),
        ("a2", day, "Trend", "Armenian troops shelled Tartar today, officials said."),
        ("b1", day, "Armenpress", "Azerbaijani forces shelled Tartar today, the Armenian Defence Ministry said."),
    ]
    store = _code(pipeline, tmp_path / "directions.sqlite", articles)
    actors = sorted((d["actor"]["country"], d["n_reports"]) for d in _assaults(store))
    assert actors == [("ARM", 2), ("AZE", 1)]
    store.close()


def test_dedup_a_reject_links_to_what_it_rejects_and_stays_apart(pipeline: Any, tmp_path: Path) -> None:
    sunday = date(2020, 10, 4)
    articles = [
        ("claim", sunday + timedelta(days=1), "Armenpress",
         "Azerbaijani forces shelled Stepanakert on Sunday, the Armenian Defence Ministry said."),
        ("denial", sunday, "APA", "Azerbaijan's Defence Ministry denied that its forces had shelled Stepanakert "
                                  "on Sunday, calling the Armenian claims lies."),
    ]
    store = _code(pipeline, tmp_path / "reject.sqlite", articles)
    [assault] = _assaults(store)
    [reject] = [d for d in store.dataset() if d["event_type"] == "REJECT"]
    assert assault["n_reports"] == 2 and assault["claim_status"] == "disputed"
    assert reject["id"] != assault["id"] and reject["n_reports"] == 1
    full_assault, full_reject = store.dataset_event(assault["id"]), store.dataset_event(reject["id"])
    assert full_assault is not None and full_reject is not None
    assert full_assault["rejected_by"] == [reject["id"]] and full_assault["rejects"] == []
    assert full_reject["rejects"] == [assault["id"]]
    store.close()


@pytest.mark.parametrize("seed", [1, 2])
def test_dedup_war_dataset_is_the_same_in_every_order_and_after_recoding(seed: int, tmp_path: Path) -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    import war  # the benchmark's generator: a war with known truth

    from eventcoder.dedup import Deduplicator

    items = war.reports(seed, days=10, ambiguous_vague=True)
    expected = Deduplicator()([item.event.to_dict() for item in items])
    articles: dict[str, tuple[Document, list[Any]]] = {}
    for item in items:
        articles.setdefault(item.document.id, (item.document, []))[1].append(item.event)
    names = sorted(articles)
    orders = [names, names[::-1], random.Random(seed).sample(names, len(names))]
    for n, order in enumerate(orders):
        store = Store.open(str(tmp_path / f"order{n}.sqlite"))
        for doc_id in order:
            store.save(*articles[doc_id])
        assert sorted(store.dataset(), key=lambda d: d["id"]) == expected, f"order {n}"
        store.close()
    # re-coding: every third article loses its events, then gets them back
    store = Store.open(str(tmp_path / "recode.sqlite"))
    for doc_id in orders[2]:
        store.save(*articles[doc_id])
    dropped = set(orders[2][::3])
    for doc_id in sorted(dropped):
        store.save(articles[doc_id][0], [])
    kept = [item.event.to_dict() for item in items if item.document.id not in dropped]
    assert sorted(store.dataset(), key=lambda d: d["id"]) == Deduplicator()(kept)
    for doc_id in sorted(dropped):
        store.save(*articles[doc_id])
    assert sorted(store.dataset(), key=lambda d: d["id"]) == expected
    store.close()


def test_dedup_war_benchmark_merges_with_precision_and_recall_095() -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    import war

    from eventcoder.dedup import Deduplicator

    items = war.reports(1, days=45, n_outlets=18)
    scores = war.scores(Deduplicator()([item.event.to_dict() for item in items]),
                        {item.event.id: item.happening for item in items})
    print(scores)
    assert scores["pair_precision"] >= 0.95 and scores["pair_recall"] >= 0.95
