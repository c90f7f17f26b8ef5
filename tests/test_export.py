"""Exports: every format carries the filtered dataset; CSV columns are the documented ones."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from dedup_corpus import load_corpus
from eventcoder.errors import InputError
from eventcoder.export import CSV_COLUMNS, export
from eventcoder.model import ActorRef, Document, Event, Evidence, Location
from eventcoder.store import EventFilter, Store

DOCUMENTS, PAIRS = load_corpus()
HAPPENINGS = len({h for _, h in PAIRS})


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    opened = Store.open(str(tmp_path_factory.mktemp("export") / "e.sqlite"))
    for doc_id, document in DOCUMENTS.items():
        opened.save(document, [event for event, _ in PAIRS if event.doc_id == doc_id])
    yield opened
    opened.close()


def _export(store: Store, fmt: str, where: EventFilter | None = None) -> bytes:
    out = io.BytesIO()
    export(store, fmt, out, where)
    return out.getvalue()


def test_export_jsonl_is_one_dataset_event_per_line(store: Store) -> None:
    lines = _export(store, "jsonl").decode().splitlines()
    assert len(lines) == HAPPENINGS
    assert sorted(json.loads(line)["id"] for line in lines) == sorted(d["id"] for d in store.dataset())


def test_export_csv_has_the_documented_columns(store: Store) -> None:
    rows = list(csv.DictReader(io.StringIO(_export(store, "csv").decode())))
    assert tuple(rows[0]) == CSV_COLUMNS
    stepanakert = [r for r in rows if r["n_reports"] == "5"]
    assert [r["claim_status"] for r in stepanakert] == ["disputed"]
    assert stepanakert[0]["publishers"] == "AFP;APA;Armenpress;Reuters;TASS"


def test_export_parquet_round_trips(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "d.parquet"
    path.write_bytes(_export(store, "parquet"))
    table = pq.read_table(path)
    assert table.num_rows == HAPPENINGS
    assert tuple(table.column_names) == CSV_COLUMNS
    assert str(table.schema.field("lat").type) == "double"


def test_export_geojson_points_inside_the_bbox(store: Store) -> None:
    where = EventFilter(bbox=(44.0, 39.0, 48.0, 41.0), event_type="ASSAULT")
    collection = json.loads(_export(store, "geojson", where))
    assert collection["type"] == "FeatureCollection"
    assert len(collection["features"]) == 6
    for feature in collection["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        assert 44 <= lon <= 48 and 39 <= lat <= 41


@pytest.mark.parametrize(("where", "n"), [
    (EventFilter(status="corroborated"), 1),
    (EventFilter(country="FRA"), 1),
    (EventFilter(event_type="PROTEST"), 2),
    (EventFilter(event_type="PROTEST", bbox=(44.0, 40.0, 45.0, 41.0)), 1),
])
def test_export_filters(store: Store, where: EventFilter, n: int) -> None:
    assert len(_export(store, "jsonl", where).decode().splitlines()) == n


def test_export_rejects_unknown_format(store: Store) -> None:
    with pytest.raises(InputError, match="use one of jsonl, csv, parquet, geojson"):
        _export(store, "xlsx")


def test_export_empty_selection_is_valid(store: Store) -> None:
    where = EventFilter(event_type="AID")
    assert json.loads(_export(store, "geojson", where))["features"] == []
    assert _export(store, "csv", where).decode().splitlines() == [",".join(CSV_COLUMNS)]


def test_export_cli_writes_filtered_csv(store: Store, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from eventcoder.cli import main

    db = str(store.engine.url.database)
    out = tmp_path / "disputed.csv"
    result = CliRunner().invoke(main, ["export", "--db", db, "--format", "csv", "--status", "disputed",
                                       "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert rows and {r["claim_status"] for r in rows} == {"disputed"}
    assert len(rows) == store.count(EventFilter(status="disputed"))


def test_export_cli_refuses_parquet_to_stdout_and_bad_bbox(store: Store) -> None:
    from click.testing import CliRunner

    from eventcoder.cli import main

    db = str(store.engine.url.database)
    runner = CliRunner()
    parquet = runner.invoke(main, ["export", "--db", db, "--format", "parquet"])
    assert parquet.exit_code == 2 and "-o FILE.parquet" in parquet.output
    bbox = runner.invoke(main, ["export", "--db", db, "--bbox", "1,2,3"])
    assert bbox.exit_code == 2 and "four numbers" in bbox.output


@pytest.mark.parametrize(("cell", "expected"), [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
    ("+cmd", "'+cmd"), ("@SUM(A1)", "'@SUM(A1)"), ("-2+3", "'-2+3"),
    ("Stepanakert", "Stepanakert"), (-92.44, -92.44), (None, None),
])
def test_export_csv_cells_cannot_run_as_formulas(cell: object, expected: object) -> None:
    from eventcoder.export import spreadsheet_safe

    assert spreadsheet_safe(cell) == expected


def _scored_event(doc_id: str, event_type: str, confidence: float | None) -> Event:
    return Event(doc_id=doc_id, event_type=event_type, published=date(2020, 9, 27), confidence=confidence,
                 evidence=Evidence("Armenia shelled Ganja.", 0, 22, "shelled", 8),
                 actor=ActorRef("Armenia", "Armenia", "ARM", "GOV"),
                 location=Location("Ganja", 40.68, 46.36, "AZE", "Ganja", 587084, "city"))


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """A store of three dataset events: confident (0.9, political 0.8), unsure (0.2, 0.3) and never scored."""
    opened = Store.open(str(tmp_path_factory.mktemp("scored") / "s.sqlite"))
    for doc_id, kind, confidence, political in (("sure", "ASSAULT", 0.9, 0.8), ("unsure", "PROTEST", 0.2, 0.3),
                                                ("unscored", "CONSULT", None, None)):
        document = Document(id=doc_id, text="Armenia shelled Ganja.", published=date(2020, 9, 27))
        opened.save(document, [_scored_event(doc_id, kind, confidence)], political=political)
    yield opened
    opened.close()


def test_export_every_format_carries_confidence_and_political(scored: Store, tmp_path: Path) -> None:
    expected = {"ASSAULT": (0.9, 0.8), "PROTEST": (0.2, 0.3), "CONSULT": (None, None)}
    rows = list(csv.DictReader(io.StringIO(_export(scored, "csv").decode())))
    assert {r["event_type"]: (r["confidence"], r["political"]) for r in rows} == {
        kind: tuple("" if v is None else str(v) for v in values) for kind, values in expected.items()}
    path = tmp_path / "s.parquet"
    path.write_bytes(_export(scored, "parquet"))
    table = pq.read_table(path)
    assert str(table.schema.field("confidence").type) == str(table.schema.field("political").type) == "double"
    assert {r["event_type"]: (r["confidence"], r["political"]) for r in table.to_pylist()} == expected
    features = json.loads(_export(scored, "geojson"))["features"]
    assert {f["properties"]["event_type"]: (f["properties"]["confidence"], f["properties"]["political"])
            for f in features} == expected
    for line in _export(scored, "jsonl").decode().splitlines():
        record = json.loads(line)
        assert (record["confidence"], record["political"]) == expected[record["event_type"]]
        assert [(r["confidence"], r["political"]) for r in record["reports"]] == [expected[record["event_type"]]]


@pytest.mark.parametrize(("options", "env", "kinds"), [
    ([], {}, {"ASSAULT", "CONSULT"}),  # the setting's default, 0.5; never scored stays
    (["--min-confidence", "0"], {}, {"ASSAULT", "PROTEST", "CONSULT"}),
    (["--min-confidence", "0.95"], {}, {"CONSULT"}),
    ([], {"EVENTCODER_MIN_CONFIDENCE": "0.1"}, {"ASSAULT", "PROTEST", "CONSULT"}),
])
def test_export_cli_min_confidence_defaults_to_the_setting(scored: Store, options: list[str], env: dict[str, str],
                                                           kinds: set[str]) -> None:
    from click.testing import CliRunner

    from eventcoder.cli import main

    db = str(scored.engine.url.database)
    result = CliRunner(env={"EVENTCODER_CONFIG": None, "EVENTCODER_MIN_CONFIDENCE": None, **env}).invoke(
        main, ["export", "--db", db, *options])
    assert result.exit_code == 0, result.output
    assert {json.loads(line)["event_type"] for line in result.stdout.splitlines()} == kinds


def test_export_cli_refuses_a_min_confidence_outside_0_to_1(scored: Store) -> None:
    from click.testing import CliRunner

    from eventcoder.cli import main

    result = CliRunner().invoke(main, ["export", "--db", str(scored.engine.url.database), "--min-confidence", "1.5"])
    assert result.exit_code == 2 and "--min-confidence" in result.output


@pytest.fixture(scope="module")
def sourced(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """One shelling told by two outlets with URLs and titles, claimed by a ministry, denied by Baku."""
    from eventcoder.model import Source

    opened = Store.open(str(tmp_path_factory.mktemp("sourced") / "s.sqlite"))
    place = Location("Stepanakert", 39.8153, 46.7519, "AZE", "Xankandi", None, "city")
    name = "Armenian Defence Ministry"
    ministry = Source("the " + name, ActorRef(name, name, "ARM", "MIL"), "said")
    for n, (outlet, denial) in enumerate([("Armenpress", ()), ("Reuters", ("d" * 40,))]):
        text = f"Azerbaijani forces shelled Stepanakert, the Armenian Defence Ministry said ({outlet})."
        document = Document(f"doc-{n}", text, date(2020, 10, 4), "jsonl", outlet, f"https://news.example/{outlet}/1",
                            f"Stepanakert shelled ({outlet})")
        event = Event(doc_id=document.id, event_type="ASSAULT", published=date(2020, 10, 4), publisher=outlet,
                      evidence=Evidence(text, 0, len(text), "shelled"), actor=ActorRef("Azerbaijani forces",
                                                                                        "Azerbaijan", "AZE", "MIL"),
                      date=date(2020, 10, 4), date_precision="day", location=place, sources=(ministry,),
                      disputed_by=denial)
        opened.save(document, [event])
    yield opened
    opened.close()


def test_export_urls_and_claimants_survive_every_format(sourced: Store, tmp_path: Path) -> None:
    urls = ["https://news.example/Armenpress/1", "https://news.example/Reuters/1"]
    [record] = [json.loads(line) for line in _export(sourced, "jsonl").decode().splitlines()]
    assert sorted(record["urls"]) == urls and record["disputed_by"] == ["d" * 40]
    assert {r["url"] for r in record["reports"]} == set(urls) and all(r["title"] for r in record["reports"])
    assert record["sources"][0]["actor"]["name"] == "Armenian Defence Ministry"
    [row] = list(csv.DictReader(io.StringIO(_export(sourced, "csv").decode())))
    path = tmp_path / "s.parquet"
    path.write_bytes(_export(sourced, "parquet"))
    [parquet] = pq.read_table(path).to_pylist()
    [feature] = json.loads(_export(sourced, "geojson"))["features"]
    for flat in (row, parquet, feature["properties"]):
        assert sorted(flat["urls"].split(";")) == urls
        assert flat["url"] in urls and flat["title"].startswith("Stepanakert shelled")
        assert flat["sources"] == "Armenian Defence Ministry"
        assert flat["disputed_by"] == "d" * 40
        assert flat["publishers"] == "Armenpress;Reuters"
