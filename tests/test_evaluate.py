"""The scorer of eval/FORMAT.md on tiny hand-made gold files, with metrics computed by hand."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from eventcoder.errors import EvalError
from eventcoder.evaluate import (
    UNRESOLVED_KM,
    GeoPrediction,
    PredictedActor,
    PredictedEvent,
    PredictedToponym,
    Predictors,
    SpanItem,
    TextItem,
    evaluate_file,
    format_report,
    gold_kind,
    haversine_km,
    read_gold,
)

DATA = Path(__file__).resolve().parent / "data" / "eval"
KM_PER_DEGREE = 111.19508  # one degree of latitude on a sphere of radius 6371.0088 km

EVENTS: dict[str, list[PredictedEvent]] = {
    # duplicate predicted type: the actor is right through the second ASSAULT, the recipient through neither
    "Azerbaijan and Armenia exchanged fire; Armenia accused Baku.": [
        PredictedEvent("ASSAULT", "ARM", "AZE"), PredictedEvent("ASSAULT", "AZE", "TUR"), PredictedEvent("THREATEN")],
    "Japanese police fought protesters across Africa.": [PredictedEvent("COERCE", "JPN", None)],  # accept of two
    "Russia asked Britain for talks.": [],  # no predictions
    "It rained.": [PredictedEvent("AGREE", "USA")],  # no gold events
    "Americans and the UN protested to London.": [PredictedEvent("PROTEST", "FRA", "GBR")],
}


def fake_events(items: Sequence[TextItem]) -> list[list[PredictedEvent]]:
    return [EVENTS[item.text] for item in items]


def lat_shift(lat: float, lon: float, degrees: float, start: int, end: int) -> PredictedToponym:
    return PredictedToponym(start, end, lat + degrees, lon)


GEO: dict[str, GeoPrediction] = {
    "From Paris to Lyon via Dijon.": GeoPrediction(
        toponyms=(PredictedToponym(0, 4, 1.0, 1.0), lat_shift(48.8566, 2.3522, 0.0, 5, 10),
                  lat_shift(45.764, 4.8357, -1.5, 14, 18), PredictedToponym(23, 28, 47.32, 5.04)),
        resolved=(lat_shift(48.8566, 2.3522, 1.0, 5, 10), None, PredictedToponym(23, 28))),
    "Springfield is calm.": GeoPrediction(
        toponyms=(lat_shift(39.8, -89.64, 2.0, 0, 6),), resolved=(lat_shift(39.8, -89.64, 0.5, 0, 11),)),
    "Rain in Oslo.": GeoPrediction(toponyms=(), resolved=(PredictedToponym(8, 12, 59.91, 10.75),)),
}


def fake_geo(items: Sequence[SpanItem]) -> list[GeoPrediction]:
    return [GEO[item.text] for item in items]


ACTORS = {
    "Armenian Prime Minister Nikol Pashinyan": PredictedActor("ARM", "GOV"),
    "civilians": PredictedActor(None, "CVL"),
    "Tokyo": PredictedActor("JPN", "GOV"),
    "the rebels": PredictedActor("SYR", "REB"),
    "someone": PredictedActor(None, None),
    "Africa": PredictedActor(None, None),
}


def fake_actors(items: Sequence[TextItem]) -> list[PredictedActor]:
    return [ACTORS[item.text] for item in items]


FAKES = Predictors(events=fake_events, geo=fake_geo, actors=fake_actors)


def test_evaluate_events_metrics_by_hand() -> None:
    result = evaluate_file(DATA / "tiny.events.jsonl", FAKES)
    # predicted types per record: {ASSAULT, THREATEN} {COERCE} {} {AGREE} {PROTEST}: 5, of which 3 accepted
    # gold events: ASSAULT found, ACCUSE missed, FIGHT found (COERCE), REQUEST missed, PROTEST found: 3 of 5
    assert (result["kind"], result["n_records"], result["n_gold"], result["n_predicted"]) == ("events", 5, 5, 5)
    assert result["type_precision"] == pytest.approx(0.6)
    assert result["type_recall"] == pytest.approx(0.6)
    assert result["type_f1"] == pytest.approx(0.6)
    # actors scored: ASSAULT (AZE via the 2nd prediction: right), FIGHT (JAP == JPN: right), PROTEST (FRA: wrong)
    assert (result["actor_country_acc"], result["n_actor_scored"]) == (pytest.approx(2 / 3), 3)
    # recipients scored: ASSAULT (ARM vs AZE/TUR: wrong), PROTEST (GBR: right); AFR names no country
    assert (result["recipient_country_acc"], result["n_recipient_scored"]) == (pytest.approx(0.5), 2)


def test_evaluate_events_negative_records(tmp_path: Path) -> None:
    gold = tmp_path / "neg.events.jsonl"
    lines = [{"id": "n1", "date": None, "text": "It rained.", "events": []},
             {"id": "n2", "date": None, "text": "Spurs won.", "events": []},
             {"id": "n3", "date": None, "text": "Shares fell.", "events": []},
             {"id": "p1", "date": None, "text": "Russia asked Britain for talks.",
              "events": [{"type": "REQUEST", "accept": ["REQUEST"], "actors": [], "recipients": []}]}]
    gold.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    answers = {
        "It rained.": [PredictedEvent("AGREE", modality="asserted"), PredictedEvent("ASSAULT", modality="asserted"),
                       PredictedEvent("SUPPORT", modality="hypothetical")],
        "Spurs won.": [PredictedEvent("ASSAULT", modality="negated")],  # not asserted: counted in all_ only
        "Shares fell.": [],
        "Russia asked Britain for talks.": [PredictedEvent("REQUEST"), PredictedEvent("AGREE", modality="future")],
    }
    result = evaluate_file(gold, Predictors(events=lambda items: [answers[i.text] for i in items]))
    assert result["n_negative_records"] == 3
    assert result["negative_records_with_events"] == pytest.approx(1 / 3)
    assert result["events_per_negative_record"] == pytest.approx(2 / 3)
    assert result["all_events_per_negative_record"] == pytest.approx(4 / 3)
    # types on negatives count against precision; types that did not happen are not predicted types
    assert (result["n_predicted"], result["type_precision"], result["type_recall"]) == (3, pytest.approx(1 / 3), 1.0)
    assert "events_per_negative_record" in format_report(result)


def test_evaluate_events_negative_keys_only_with_negatives(tmp_path: Path) -> None:
    result = evaluate_file(DATA / "tiny.events.jsonl", FAKES)
    assert result["n_negative_records"] == 1  # "It rained." has no events, and an asserted AGREE
    assert (result["negative_records_with_events"], result["events_per_negative_record"]) == (1.0, 1.0)
    positives = tmp_path / "pos.events.jsonl"
    positives.write_text("\n".join(line for line in (DATA / "tiny.events.jsonl").read_text().splitlines()
                                   if line.strip() and '"events": []' not in line) + "\n", encoding="utf-8")
    assert "n_negative_records" not in evaluate_file(positives, FAKES)


def test_evaluate_events_per_type_f1() -> None:
    result = evaluate_file(DATA / "tiny.events.jsonl", FAKES)
    assert result["per_type"] == {
        "ACCUSE": 0.0, "AGREE": 0.0, "ASSAULT": 1.0, "COERCE": 1.0, "PROTEST": 1.0, "REQUEST": 0.0, "THREATEN": 0.0}
    detail = result["per_type_detail"]
    assert detail["ACCUSE"]["precision"] is None and detail["ACCUSE"]["recall"] == 0.0
    assert detail["THREATEN"]["recall"] is None and detail["THREATEN"]["precision"] == 0.0
    # summed over types, the counts are the file's
    assert sum(d["n_gold"] for d in detail.values()) == result["n_gold"]
    assert sum(d["n_predicted"] for d in detail.values()) == result["n_predicted"]


def test_evaluate_events_passes_the_gold_date_only() -> None:
    seen: list[TextItem] = []

    def spy(items: Sequence[TextItem]) -> list[list[PredictedEvent]]:
        seen.extend(items)
        return fake_events(items)

    evaluate_file(DATA / "tiny.events.jsonl", Predictors(events=spy))
    assert [item.published for item in seen] == [date(2020, 9, 27), None, None, None, None]


def test_evaluate_events_nothing_predicted() -> None:
    result = evaluate_file(DATA / "tiny.events.jsonl", Predictors(events=lambda items: [[] for _ in items]))
    assert result["type_precision"] is None
    assert (result["type_recall"], result["type_f1"]) == (0.0, 0.0)
    assert result["actor_country_acc"] is None and result["n_actor_scored"] == 0


def test_evaluate_geo_metrics_by_hand() -> None:
    result = evaluate_file(DATA / "tiny.geo.jsonl", FAKES)
    # scored: Paris, Lyon, Springfield, Oslo (Dijon has no coordinates; two Oslo spans do not fit the text)
    assert (result["kind"], result["n_records"], result["n_gold"], result["n_skipped"]) == ("geo", 3, 4, 2)
    assert result["toponym_recall"] == pytest.approx(3 / 4)  # Oslo not found
    assert result["acc161"] == pytest.approx(1 / 4)  # Paris at 0 km; Lyon 1.5 deg, Springfield 2 deg away
    assert result["acc161_gold_spans"] == pytest.approx(3 / 4)  # Lyon unresolved
    # distances: Oslo 0, Springfield 0.5 deg, Paris 1 deg, Lyon unresolved
    assert result["median_km_gold_spans"] == pytest.approx(0.75 * KM_PER_DEGREE, rel=1e-4)
    assert (result["n_predicted"], result["toponym_precision"]) == (5, pytest.approx(4 / 5))  # "From" is no toponym


def test_evaluate_geo_gives_every_fitting_gold_span_to_the_resolver() -> None:
    seen: list[SpanItem] = []

    def spy(items: Sequence[SpanItem]) -> list[GeoPrediction]:
        seen.extend(items)
        return fake_geo(items)

    evaluate_file(DATA / "tiny.geo.jsonl", Predictors(geo=spy))
    assert [item.spans for item in seen] == [((5, 10), (14, 18), (23, 28)), ((0, 11),), ((8, 12),)]
    assert seen[0].published == date(2021, 3, 1)


def test_evaluate_geo_unresolved_everywhere() -> None:
    def nothing(items: Sequence[SpanItem]) -> list[GeoPrediction]:
        return [GeoPrediction((), tuple(None for _ in item.spans)) for item in items]

    result = evaluate_file(DATA / "tiny.geo.jsonl", Predictors(geo=nothing))
    assert (result["toponym_recall"], result["acc161"], result["acc161_gold_spans"]) == (0.0, 0.0, 0.0)
    assert result["median_km_gold_spans"] == UNRESOLVED_KM
    assert result["toponym_precision"] is None


def test_evaluate_geo_resolver_must_answer_each_span() -> None:
    def short(items: Sequence[SpanItem]) -> list[GeoPrediction]:
        return [GeoPrediction((), ()) for _ in items]

    with pytest.raises(EvalError, match="g1: the geo predictor resolved 0 of 3 gold spans"):
        evaluate_file(DATA / "tiny.geo.jsonl", Predictors(geo=short))


def test_evaluate_actors_metrics_by_hand() -> None:
    result = evaluate_file(DATA / "tiny.actors.jsonl", FAKES)
    # country: a1 right, a2 "" and None right, a3 JAP == JPN right, a4 "" but SYR wrong, a6 region and None right
    # sector: a1, a2, a4 right; a5 "gov" but None wrong; a3 null and a6 "" not scored
    assert result == {"kind": "actors", "n": 6, "n_country": 5, "n_sector": 4,
                      "country_acc": pytest.approx(0.8), "sector_acc": pytest.approx(0.75)}


def test_evaluate_actors_passes_the_date() -> None:
    seen: list[TextItem] = []

    def spy(items: Sequence[TextItem]) -> list[PredictedActor]:
        seen.extend(items)
        return fake_actors(items)

    evaluate_file(DATA / "tiny.actors.jsonl", Predictors(actors=spy))
    assert seen[0] == TextItem("Armenian Prime Minister Nikol Pashinyan", date(2021, 5, 1))


@pytest.mark.parametrize(("name", "kind"), [
    ("x.events.jsonl", "events"), ("dir/dev.geo.jsonl", "geo"), ("a.b.actors.jsonl", "actors")])
def test_evaluate_kind_from_file_name(name: str, kind: str) -> None:
    assert gold_kind(name) == kind


@pytest.mark.parametrize("name", ["gold.jsonl", "x.events.json", "events.jsonl", "x.event.jsonl"])
def test_evaluate_unknown_kind_names_the_file(name: str) -> None:
    with pytest.raises(EvalError, match=rf"{name}: cannot tell the kind"):
        gold_kind(name)


GOOD_EVENT = {"id": "1", "date": None, "text": "t", "events": [{"type": "AGREE", "accept": ["AGREE"]}]}


@pytest.mark.parametrize(("name", "line", "problem"), [
    ("bad.events.jsonl", "{not json", "not JSON"),
    ("bad.events.jsonl", "[1, 2]", "must be a JSON object"),
    ("bad.events.jsonl", json.dumps({"id": "x", "events": []}), "'text' is missing"),
    ("bad.events.jsonl", json.dumps({**GOOD_EVENT, "events": {"type": "AGREE"}}), "'events' must be list"),
    ("bad.events.jsonl", json.dumps({**GOOD_EVENT, "events": [{"type": "AGREE", "accept": []}]}), "'accept'"),
    ("bad.events.jsonl", json.dumps({**GOOD_EVENT, "events": [{"accept": ["AGREE"]}]}), "'type' is missing"),
    ("bad.events.jsonl", json.dumps({**GOOD_EVENT, "date": "27/09/2020"}), "'date' '27/09/2020'"),
    ("bad.events.jsonl", json.dumps({**GOOD_EVENT, "events": [{"type": "A", "actors": ["RUS"]}]}), "'actors'"),
    ("bad.geo.jsonl", json.dumps({"text": "Oslo", "toponyms": [{"start": "0", "end": 4}]}), "'start' must be int"),
    ("bad.geo.jsonl", json.dumps({"text": "Oslo", "toponyms": [{"start": 0, "end": 4, "lat": 1.0}]}), "one of"),
    ("bad.geo.jsonl", json.dumps({"text": "Oslo", "toponyms": [{"start": 0, "end": 4, "lat": 91, "lon": 0}]}),
     "out of range"),
    ("bad.geo.jsonl", json.dumps({"text": "Oslo"}), "'toponyms' is missing"),
    ("bad.actors.jsonl", json.dumps({"text": "x", "country": 7}), "'country' must be str"),
    ("bad.actors.jsonl", json.dumps({"country": "ARM"}), "'text' is missing"),
])
def test_evaluate_malformed_line_names_file_and_line(tmp_path: Path, name: str, line: str, problem: str) -> None:
    good = {"events": json.dumps(GOOD_EVENT), "geo": json.dumps({"text": "t", "toponyms": []}),
            "actors": json.dumps({"text": "t", "country": "ARM"})}[name.split(".")[1]]
    path = tmp_path / name
    path.write_text(f"{good}\n\n{line}\n", encoding="utf-8")
    with pytest.raises(EvalError) as caught:
        read_gold(path)
    message = str(caught.value)
    assert f"{path} line 3: " in message
    assert problem in message


def test_evaluate_empty_or_missing_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.events.jsonl"
    empty.write_text("\n", encoding="utf-8")
    with pytest.raises(EvalError, match=re.escape("empty.events.jsonl: no gold records")):
        read_gold(empty)
    with pytest.raises(EvalError, match=re.escape("missing.geo.jsonl: no such gold file")):
        read_gold(tmp_path / "missing.geo.jsonl")
    binary = tmp_path / "binary.actors.jsonl"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(EvalError, match=re.escape("binary.actors.jsonl: not UTF-8")):
        read_gold(binary)


def test_evaluate_reads_bom_crlf_and_line_separators(tmp_path: Path) -> None:
    path = tmp_path / "odd.actors.jsonl"
    line = json.dumps({"text": "Baku\u2028Yerevan", "country": "AZE"}, ensure_ascii=False)
    path.write_bytes(b"\xef\xbb\xbf" + f"{line}\r\n{line}\r\n".encode())
    _, records = read_gold(path)
    assert [r.text for r in records] == ["Baku\u2028Yerevan"] * 2


def test_evaluate_missing_predictor_is_an_error() -> None:
    with pytest.raises(EvalError, match="no geo predictor"):
        evaluate_file(DATA / "tiny.geo.jsonl", Predictors(events=fake_events))


def test_evaluate_accept_defaults_to_the_label(tmp_path: Path) -> None:
    path = tmp_path / "noaccept.events.jsonl"
    path.write_text(json.dumps({"text": "t", "events": [{"type": "agree"}]}) + "\n", encoding="utf-8")
    _, [record] = read_gold(path)
    assert record.events[0].accept == frozenset({"AGREE"})  # type: ignore[union-attr]


@pytest.mark.parametrize(("a", "b", "km"), [
    ((0.0, 0.0), (1.0, 0.0), KM_PER_DEGREE),
    ((0.0, 0.0), (0.0, 180.0), 180 * KM_PER_DEGREE),
    ((48.8566, 2.3522), (51.5074, -0.1278), 343.6),  # Paris-London
])
def test_evaluate_haversine(a: tuple[float, float], b: tuple[float, float], km: float) -> None:
    assert haversine_km(*a, *b) == pytest.approx(km, rel=1e-3)
    assert haversine_km(*a, *b) < UNRESOLVED_KM


def test_evaluate_format_report_tables() -> None:
    report = format_report(evaluate_file(DATA / "tiny.events.jsonl", FAKES))
    lines = report.splitlines()
    assert lines[0] == "events"
    assert any(line.split() == ["type_f1", "0.600"] for line in lines)
    assert any(line.split() == ["THREATEN", "0.000", "-", "0.000", "0", "1"] for line in lines)
    geo = format_report(evaluate_file(DATA / "tiny.geo.jsonl", FAKES))
    assert any(line.split() == ["acc161_gold_spans", "0.750"] for line in geo.splitlines())


def test_evaluate_cli_prints_table_then_json(monkeypatch: pytest.MonkeyPatch) -> None:
    import eventcoder.scoring
    from eventcoder.cli import main

    monkeypatch.setattr(eventcoder.scoring, "pipeline_predictors", lambda progress=False, pipeline=None: FAKES)
    result = CliRunner().invoke(main, ["eval", str(DATA / "tiny.actors.jsonl"), "--json"])
    assert result.exit_code == 0, result.output
    *table, last = result.output.strip().splitlines()
    assert table[0] == "actors"
    assert json.loads(last)["country_acc"] == pytest.approx(0.8)


def test_evaluate_cli_keep_all_scores_every_event(monkeypatch: pytest.MonkeyPatch) -> None:
    import eventcoder.scoring
    from eventcoder.cli import main

    seen: list[bool] = []

    def predictors(progress: bool = False, pipeline: Any = None) -> Predictors:
        seen.append(pipeline is not None and pipeline.keep_all)
        return FAKES

    monkeypatch.setattr(eventcoder.scoring, "pipeline_predictors", predictors)
    result = CliRunner().invoke(main, ["eval", str(DATA / "tiny.actors.jsonl"), "--keep-all"])
    assert result.exit_code == 0, result.output
    assert seen == [True]


def test_evaluate_cli_bad_gold_is_one_clear_line(tmp_path: Path) -> None:
    from eventcoder.cli import main

    path = tmp_path / "gold.jsonl"
    path.write_text("{}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["eval", str(path)])
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {path}: cannot tell the kind of gold file from its name; " \
        "name it *.events.jsonl, *.geo.jsonl or *.actors.jsonl (see eval/FORMAT.md)"


def test_evaluate_events_location_accuracy(tmp_path: Path) -> None:
    gold = tmp_path / "places.events.jsonl"

    def line(text: str, place: str | None) -> dict[str, object]:
        event: dict[str, object] = {"type": "ASSAULT", "accept": ["ASSAULT"], "actors": [], "recipients": []}
        if place is not None:
            event["location"] = {"text": place, "country": None}
        return {"id": text, "date": None, "text": text, "events": [event]}

    lines = [line("a", "Gaza"), line("b", "Kharkiv"), line("c", ""), line("d", ""), line("e", None), line("f", "Nyala")]
    gold.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    answers = {"a": [PredictedEvent("ASSAULT", location="Gaza City")],  # whole words: right
               "b": [PredictedEvent("ASSAULT", location="Kharkivska")],  # not the same word: wrong
               "c": [PredictedEvent("ASSAULT")],  # no place, as the gold says: right
               "d": [PredictedEvent("ASSAULT", location="Montana")],  # a place where none is: wrong
               "e": [PredictedEvent("ASSAULT", location="Paris")],  # no gold location: not scored
               "f": [PredictedEvent("PROTEST", location="Nyala")]}  # type missed: not scored
    result = evaluate_file(gold, Predictors(events=lambda items: [answers[i.text] for i in items]))
    assert (result["location_acc"], result["n_location_scored"]) == (pytest.approx(0.5), 4)
    assert "location_acc" in format_report(result)


def test_evaluate_events_location_same_place_under_another_name(tmp_path: Path) -> None:
    gold = tmp_path / "names.events.jsonl"
    places = {"a": "Deir al-Bazun", "b": "North Qaru", "c": "North Qaru", "d": "Zubarqa", "e": "Zubarqa"}
    lines = [{"id": k, "date": None, "text": k, "events": [
        {"type": "ASSAULT", "accept": ["ASSAULT"], "actors": [], "recipients": [], "location": {"text": v}}]}
        for k, v in places.items()]
    gold.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    answers = {"a": [PredictedEvent("ASSAULT", location="Dair el Bazun")],  # a spelling variant: right
               "b": [PredictedEvent("ASSAULT", location="Nord-Qaru", location_id=7)],  # the gold name's place: right
               "c": [PredictedEvent("ASSAULT", location="Sud-Qaru", location_id=8)],  # another place: wrong
               "d": [PredictedEvent("ASSAULT", location="Zubarqi")],  # another name, no id: wrong
               "e": [PredictedEvent("ASSAULT", location="Zubarqi", location_id=None)]}
    ids = {"North Qaru": {7}, "Zubarqa": {9}}
    asked: list[str] = []

    def place_ids(name: str) -> set[int]:
        asked.append(name)
        return ids.get(name, set())

    predictors = Predictors(events=lambda items: [answers[i.text] for i in items], place_ids=place_ids)
    result = evaluate_file(gold, predictors)
    assert (result["location_acc"], result["n_location_scored"]) == (pytest.approx(0.4), 5)
    without = evaluate_file(gold, Predictors(events=predictors.events))  # no place ids: names alone
    assert without["location_acc"] == pytest.approx(0.2)
    assert "" not in asked
