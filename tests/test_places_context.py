"""The places stage in document context: areas after a comma, lists, one sense per name, inner names, points."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eventcoder.evaluate.gold import GoldGeoRecord, read_gold
from eventcoder.places import Geocoder, Place, fold_name, load_gazetteer
from eventcoder.places.gazetteer import Gazetteer, GazetteerData
from eventcoder.places.resolve import Mention, distance_km, resolve

HELDOUT = Path(__file__).resolve().parent / "data" / "places" / "heldout.geo.jsonl"


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    return load_gazetteer()


def us_gazetteer() -> Gazetteer:
    """Two Springfields, two Washingtons, two Parises, and the states around them."""
    data = GazetteerData()
    data.add("Springfield", 37.22, -93.30, "city", "USA", "Missouri", 170_000, 1)
    data.add("Springfield", 39.80, -89.64, "city", "USA", "Illinois", 114_000, 2)
    data.add("Illinois", 40.00, -89.25, "admin1", "USA", "Illinois", 12_800_000, 3, ["Ill."])
    data.add("Washington", 38.90, -77.04, "city", "USA", "District of Columbia", 690_000, 4, ["D.C."], capital=True)
    data.add("Washington", 47.50, -120.50, "admin1", "USA", "Washington", 6_500_000, 5)
    data.add("California", 37.25, -119.75, "admin1", "USA", "California", 39_500_000, 6)
    data.add("Paris", 48.85, 2.35, "city", "FRA", "Île-de-France", 2_100_000, 9, capital=True)
    data.add("Paris", 33.66, -95.56, "city", "USA", "Texas", 25_000, 10)
    data.add("Texas", 31.25, -99.25, "admin1", "USA", "Texas", 28_000_000, 11, ["TX"])
    data.finish()
    return Gazetteer(data)


def _admin1(place: Place | None) -> str | None:
    return place.admin1 if place is not None else None


def test_places_resolve_area_after_a_comma() -> None:
    small = us_gazetteer()
    assert _admin1(resolve(small, [Mention("Springfield")])[0]) == "Missouri"
    qualified = resolve(small, [Mention("Springfield", within="Ill."), Mention("Ill."), Mention("Springfield")])
    assert [_admin1(p) for p in qualified] == ["Illinois", "Illinois", "Illinois"]  # one sense per name


def test_places_resolve_list_of_one_kind() -> None:
    small = us_gazetteer()
    assert _admin1(resolve(small, [Mention("Washington")])[0]) == "District of Columbia"  # the seat of government
    mentions = [Mention("California", peers=("Washington",)), Mention("Washington", peers=("California",))]
    washington = resolve(small, mentions)[1]
    assert washington is not None and washington.feature == "admin1" and washington.admin1 == "Washington"


def test_places_resolve_one_sense_keeps_kinds_apart() -> None:
    small = us_gazetteer()
    mentions = [Mention("Washington", within="D.C."), Mention("California", peers=("Washington",)),
                Mention("Washington", peers=("California",))]
    qualified, _, bare = resolve(small, mentions)
    assert qualified is not None and qualified.feature == "city"
    assert bare is not None and bare.feature == "admin1"  # "Washington, D.C." was written to tell the two apart


def test_places_resolve_weak_mentions_give_no_context() -> None:
    small = us_gazetteer()
    assert _admin1(resolve(small, [Mention("Paris"), Mention("TX")])[0]) == "Texas"
    assert resolve(small, [Mention("Paris"), Mention("TX", weak=True)])[0].country == "FRA"  # type: ignore[union-attr]


@pytest.mark.parametrize(("name", "point"), [
    ("Ontario", (49.25, -84.5)),
    ("British Columbia", (54.0, -125.0)),
    ("New South Wales", (-33.0, 146.0)),
    ("Alaska", (64.0, -150.0)),
    ("Atlantic", (10.0, -25.0)),
    ("Middle East", (33.14, 35.86)),
])
def test_places_area_points_follow_geonames(gazetteer: Gazetteer, name: str, point: tuple[float, float]) -> None:
    [place] = resolve(gazetteer, [Mention(name)])
    assert place is not None and distance_km(place.lat, place.lon, *point) < 50, place


@pytest.mark.parametrize(("name", "admin1"), [("Calif.", "California"), ("Ill.", "Illinois"), ("Wash.", "Washington"),
                                               ("Tenn.", "Tennessee")])
def test_places_news_abbreviations_name_states(gazetteer: Gazetteer, name: str, admin1: str) -> None:
    place = gazetteer.candidates(name)[0]
    assert place.feature == "admin1" and place.admin1 == admin1 and place.country == "USA"


@pytest.mark.parametrize(("demonym", "name"), [("English", "England"), ("Welsh", "Wales"), ("Korean", "South Korea"),
                                               ("Siberian", "Siberia"), ("Philippine", "Philippines"),
                                               ("Serb", "Serbia"), ("Kazakh", "Kazakhstan")])
def test_places_curated_demonyms(gazetteer: Gazetteer, demonym: str, name: str) -> None:
    place = gazetteer.demonym_country(demonym)
    assert place is not None and fold_name(place.name) == fold_name(name)


@pytest.mark.parametrize(("text", "inner"), [
    ("Colorado State University", "Colorado"),
    ("University of California", "California"),
    ("Bank of England", "England"),
    ("North Africa", "Africa"),
    ("Trump Tower", None),
])
def test_places_inner_name(gazetteer: Gazetteer, text: str, inner: str | None) -> None:
    assert Geocoder(gazetteer).finder.inner_name(text) == inner


def test_places_resolve_spans_of_organisations(gazetteer: Gazetteer, pipeline) -> None:  # type: ignore[no-untyped-def]
    from eventcoder.model import Document

    text = "Students at Colorado State University marched on Tuesday. Police in Springfield, Ill., made arrests."
    parsed = pipeline.parser(Document(id="t", text=text, published=None, date_source="none", origin="<test>"))
    spans = [(text.index(n), text.index(n) + len(n)) for n in ("Colorado State University", "Springfield")]
    colorado, springfield = Geocoder(gazetteer).resolve_spans(text, spans, parsed)
    assert colorado is not None and colorado.place is not None and colorado.place.admin1 == "Colorado"
    assert springfield is not None and springfield.place is not None and springfield.place.admin1 == "Illinois"


def test_places_heldout_set_is_a_valid_geo_gold() -> None:
    kind, records = read_gold(HELDOUT)
    assert kind == "geo" and len(records) >= 15
    assert sum(len(r.toponyms) for r in records if isinstance(r, GoldGeoRecord)) >= 60
    for line in HELDOUT.read_text("utf-8").splitlines():
        record = json.loads(line)
        for toponym in record["toponyms"]:
            assert record["text"][toponym["start"]:toponym["end"]] == toponym["phrase"]
