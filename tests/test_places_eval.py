"""Geo evaluation of the places stage: entity accuracy, and the local-news set scored end to end."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from eventcoder.evaluate import GeoPrediction, PredictedToponym, Predictors, SpanItem, evaluate_file
from eventcoder.places import fold_name
from eventcoder.places.gazetteer import Gazetteer, GazetteerData

LOCAL_NEWS = Path(__file__).parent / "data" / "places" / "local_news.geo.jsonl"


def test_places_eval_entity_acc_counts_ids_and_other_levels(tmp_path: Path) -> None:
    text = "Paris and New York and Lyon and Oslo"
    gold = {"id": "a", "date": None, "text": text, "toponyms": [
        {"start": 0, "end": 5, "lat": 48.85, "lon": 2.35, "geonameid": 1},       # right id
        {"start": 10, "end": 18, "lat": 43.0, "lon": -75.5, "geonameid": 2},     # the city for the state
        {"start": 23, "end": 27, "lat": 45.75, "lon": 4.85, "geonameid": 3},     # another place nearby
        {"start": 32, "end": 36, "lat": 59.91, "lon": 10.75}]}                   # no id: not scored
    path = tmp_path / "ids.geo.jsonl"
    path.write_text(json.dumps(gold) + "\n")

    def predict(items: Sequence[SpanItem]) -> list[GeoPrediction]:
        return [GeoPrediction((), (
            PredictedToponym(0, 5, 48.85, 2.35, 1),
            PredictedToponym(10, 18, 40.71, -74.0, 20, same_place=(2,)),
            PredictedToponym(23, 27, 45.76, 4.84, 30),
            PredictedToponym(32, 36, 59.91, 10.75, 4)))]

    result = evaluate_file(path, Predictors(geo=predict))
    assert result["entity_acc_gold_spans"] == 2 / 3
    assert result["acc161_gold_spans"] == 3 / 4  # New York city lies 300 km from the state's point


def test_places_eval_entity_acc_is_none_without_ids(tmp_path: Path) -> None:
    path = tmp_path / "noids.geo.jsonl"
    path.write_text(json.dumps({"id": "a", "date": None, "text": "Oslo",
                                "toponyms": [{"start": 0, "end": 4, "lat": 59.91, "lon": 10.75}]}) + "\n")
    result = evaluate_file(path, Predictors(geo=lambda items: [GeoPrediction((), (None,)) for _ in items]))
    assert result["entity_acc_gold_spans"] is None


def test_places_other_levels_are_the_same_place_nested() -> None:
    data = GazetteerData()
    data.add("New York", 43.0, -75.5, "admin1", "USA", "New York", 19_000_000, 10)
    data.add("New York City", 40.71, -74.0, "city", "USA", "New York", 8_000_000, 11, ["New York"])
    data.add("Lafayette Parish", 30.2, -92.06, "admin2", "USA", "Louisiana", 240_000, 12)
    data.add("Lafayette", 30.22, -92.02, "city", "USA", "Louisiana", 120_000, 13)
    data.add("Lafayette", 40.42, -86.88, "city", "USA", "Indiana", 70_000, 14)
    data.demonyms[fold_name("Yorker")] = 0
    data.finish()
    gazetteer = Gazetteer(data)
    assert [p.geonameid for p in gazetteer.other_levels(gazetteer.place(0))] == [11]
    assert [p.geonameid for p in gazetteer.other_levels(gazetteer.place(3))] == [12]
    assert gazetteer.other_levels(gazetteer.place(4)) == []  # Lafayette, Ind. has no parish of its name


def test_places_local_news_set_is_a_valid_geo_gold() -> None:
    lines = [json.loads(line) for line in LOCAL_NEWS.read_text("utf-8").splitlines()]
    toponyms = [t for line in lines for t in line["toponyms"]]
    assert len(lines) >= 40 and len(toponyms) >= 300
    for line in lines:
        for t in line["toponyms"]:
            assert line["text"][t["start"]:t["end"]] == t["phrase"]
            assert isinstance(t["geonameid"], int) and -90 <= t["lat"] <= 90 and -180 <= t["lon"] <= 180
