"""The outlet's own place (a local paper's town): a prior for place names, set by JSONL, --place or watch."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from click.testing import CliRunner

from eventcoder.batch import with_publisher
from eventcoder.cli import _source_places
from eventcoder.ingest import read_documents
from eventcoder.model import Document
from eventcoder.watch import Item, with_place

STORY = "Police arrested two men after a break-in at a pharmacy in Paris, the sheriff said."


def _document(place: str | None) -> Document:
    return Document(id="d", text=STORY, published=date(2024, 5, 1), date_source="jsonl", origin="t", place=place)


def test_places_outlet_place_from_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"date": "2024-05-01", "text": STORY, "place": "Paris, Tenn."}) + "\n"
                    + json.dumps({"date": "2024-05-01", "text": STORY + " Again."}) + "\n")
    places = [d.place for d in read_documents([str(path)], on_error="raise")]
    assert places == ["Paris, Tenn.", None]


def test_places_outlet_place_from_the_command_line_fills_only_missing_ones() -> None:
    documents = list(with_publisher([_document(None), _document("London, Ont.")], None, "Paris, Tenn."))
    assert [d.place for d in documents] == ["Paris, Tenn.", "London, Ont."]


def test_places_outlet_place_per_watched_source() -> None:
    item = Item("k", "https://paper/feed", lambda: [_document(None), _document("London, Ont.")])
    [placed] = list(with_place([item], "Paris, Tenn."))
    assert [d.place for d in placed.load()] == ["Paris, Tenn.", "London, Ont."]
    assert _source_places(("https://paper/feed=Paris, Tenn.",), ("https://paper/feed",)) == {
        "https://paper/feed": "Paris, Tenn."}


def test_places_outlet_place_must_name_a_watched_source() -> None:
    from eventcoder.cli import main

    result = CliRunner().invoke(main, ["watch", "--once", "https://a/feed", "--place", "https://b/feed=Paris, Tenn."])
    assert result.exit_code != 0 and "not a watched source" in result.output


def test_places_outlet_place_is_a_prior_not_an_answer(pipeline) -> None:  # type: ignore[no-untyped-def]
    geocoder = pipeline.geocoder

    def paris(place: str | None) -> tuple[str | None, str | None]:
        [topo] = [t for t in geocoder.toponyms(pipeline.parser(_document(place))) if t.text == "Paris"]
        assert topo.place is not None
        return topo.place.country, topo.place.admin1

    assert paris(None) == ("FRA", "Île-de-France")
    assert paris("Paris, Tenn.") == ("USA", "Tennessee")
    outlet = geocoder.outlet_place("Paris, Tenn.")
    assert outlet is not None and outlet.admin1 == "Tennessee"
    # a story that names no place gets none from its outlet
    quiet = Document(id="q", text="The council met on Monday.", published=date(2024, 5, 1), place="Paris, Tenn.")
    assert geocoder.toponyms(pipeline.parser(quiet)) == []
