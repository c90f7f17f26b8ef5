"""The places stage: gazetteer data, toponyms, resolution in context, event locations."""

from __future__ import annotations

import pickle
import time
from datetime import date
from pathlib import Path

import pytest

from conftest import REFERENCE
from eventcoder.model import ActorRef, Document, Event, Evidence
from eventcoder.places import Geocoder, fold_name, load_gazetteer
from eventcoder.places.__main__ import main as places_main
from eventcoder.places.compiled import INDEX_NAME, compiled_dir, read_compiled
from eventcoder.places.gazetteer import Gazetteer, GazetteerData
from eventcoder.places.resolve import Mention, distance_km, resolve
from eventcoder.places.sources import load_curated

STEPANAKERT = (39.8177, 46.7528)


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    return load_gazetteer()


@pytest.fixture(scope="session")
def geocoder(gazetteer: Gazetteer) -> Geocoder:
    return Geocoder(gazetteer)


@pytest.fixture(scope="session")
def reference_parsed(pipeline):  # type: ignore[no-untyped-def]
    from eventcoder.ingest import read_documents

    [document] = list(read_documents([str(REFERENCE)], on_error="raise"))
    return pipeline.parser(document)


def tiny_gazetteer() -> Gazetteer:
    """Two Parises, Texas and France: enough to see context at work."""
    data = GazetteerData()
    data.add("Paris", 48.85, 2.35, "city", "FRA", "Île-de-France", 2_100_000, 1, capital=True)
    data.add("Paris", 33.66, -95.56, "city", "USA", "Texas", 25_000, 2)
    data.add("Texas", 31.25, -99.25, "admin1", "USA", "Texas", 28_000_000, 3, ["TX"])
    data.add("France", 46.0, 2.0, "country", "FRA", None, 67_000_000, 4)
    data.demonyms[fold_name("French")] = 3
    data.finish()
    return Gazetteer(data)


@pytest.mark.parametrize(("text", "key"), [
    ("Nagorno-Karabakh", "nagorno karabakh"),
    ("U.S.", "us"),
    ("the Gaza Strip", "gaza strip"),
    ("Şuşa", "susa"),
    ("Baku’s", "baku"),
])
def test_places_fold_name(text: str, key: str) -> None:
    assert fold_name(text) == key


def test_places_curated_file_parses_and_every_region_is_indexed(gazetteer: Gazetteer) -> None:
    curated = load_curated()
    assert len(curated["regions"]) >= 20
    for region in curated["regions"]:
        found = gazetteer.candidates(region["name"])
        if "at" in region:  # placed at a package place: test_places_points
            assert any(p.feature == region.get("feature", "region") for p in found), region["name"]
            continue
        assert any(distance_km(p.lat, p.lon, region["lat"], region["lon"]) < 1 for p in found), region["name"]
    for iso3 in curated["country_aliases"]:
        assert gazetteer.country(iso3) is not None, iso3


@pytest.mark.parametrize(("name", "country", "feature"), [
    ("Stepanakert", "AZE", "city"),
    ("Khankendi", "AZE", "city"),
    ("Shushi", "AZE", "city"),
    ("Yerevan", "ARM", None),
    ("Baku", "AZE", "city"),
    ("Nagornyj Karabach", "AZE", "region"),
    ("Donbass", "UKR", "region"),
    ("Gaza Strip", "PSE", "region"),
    ("Tigray", "ETH", None),
    ("U.S.", "USA", "country"),
    ("California", "USA", "admin1"),
])
def test_places_gazetteer_knows(gazetteer: Gazetteer, name: str, country: str, feature: str | None) -> None:
    best = gazetteer.candidates(name)[0]
    assert best.country == country
    assert feature is None or best.feature == feature


def test_places_demonyms_name_countries_not_places(gazetteer: Gazetteer) -> None:
    armenian = gazetteer.demonym_country("Armenian")
    americans = gazetteer.demonym_country("Americans")
    assert armenian is not None and armenian.country == "ARM"
    assert americans is not None and americans.country == "USA"
    assert gazetteer.demonym_country("Yerevan") is None


def test_places_resolve_uses_context() -> None:
    small = tiny_gazetteer()
    alone = resolve(small, [Mention("Paris")])
    in_texas = resolve(small, [Mention("Paris"), Mention("TX")])
    assert alone[0] is not None and alone[0].country == "FRA"
    assert in_texas[0] is not None and in_texas[0].country == "USA"
    assert resolve(small, [Mention("French", demonym=True)])[0] is not None
    assert resolve(small, [Mention("Atlantis")]) == [None]


def test_places_resolve_karabakh_names(gazetteer: Gazetteer) -> None:
    names = ["Azerbaijan", "Armenia", "Stepanakert", "Shushi", "Yerevan", "Baku", "Khankendi", "Shusha"]
    places = resolve(gazetteer, [Mention(n) for n in names])
    by_name = dict(zip(names, places, strict=True))
    for name in ("Stepanakert", "Khankendi"):
        place = by_name[name]
        assert place is not None and distance_km(place.lat, place.lon, *STEPANAKERT) < 5
    for name, country in (("Shushi", "AZE"), ("Shusha", "AZE"), ("Yerevan", "ARM"), ("Baku", "AZE")):
        place = by_name[name]
        assert place is not None and place.country == country, name
        assert distance_km(place.lat, place.lon, *STEPANAKERT) < 400


def test_places_compiled_index_loads_fast() -> None:
    path = compiled_dir() / INDEX_NAME
    if not path.exists():
        assert places_main(["compile"]) == 0
    began = time.process_time()  # CPU time: a busy machine does not make it flake
    data = read_compiled(path)
    assert data is not None and len(data.names) > 200_000
    assert time.process_time() - began <= 2.0


def test_places_compile_command_needs_its_verb() -> None:
    assert places_main([]) == 2
    assert places_main(["build"]) == 2


def test_places_reference_toponyms(geocoder: Geocoder, reference_parsed) -> None:  # type: ignore[no-untyped-def]
    found = geocoder.toponyms(reference_parsed)
    by_text = {t.text: t for t in found}
    stepanakert = by_text["Stepanakert"]
    assert stepanakert.place is not None and stepanakert.country == "AZE"
    assert distance_km(stepanakert.lat or 0, stepanakert.lon or 0, *STEPANAKERT) < 5
    assert by_text["Yerevan"].country == "ARM"
    assert by_text["Baku"].country == "AZE"
    assert all(not t.demonym for t in found)
    with_demonyms = geocoder.toponyms(reference_parsed, demonyms=True)
    assert any(t.demonym and t.country == "ARM" for t in with_demonyms)
    focus = geocoder.focus(found)
    assert focus is not None and focus.name == "Nagorno-Karabakh"


def test_places_resolve_spans_in_context(geocoder: Geocoder, reference_parsed) -> None:  # type: ignore[no-untyped-def]
    text = reference_parsed.document.text
    spans = [(text.index(n), text.index(n) + len(n)) for n in ("Stepanakert", "Yerevan", "Baku")]
    resolved = geocoder.resolve_spans(text, spans, reference_parsed)
    assert [t.country if t else None for t in resolved] == ["AZE", "ARM", "AZE"]
    assert geocoder.resolve_spans(text, spans)[0] is not None  # without a parse the spans are the context


def _event(text: str, sentence: str, trigger: str, actor: ActorRef | None = None) -> Event:
    start = text.index(sentence)
    return Event(doc_id="d", event_type="ASSAULT", actor=actor, published=date(2020, 9, 27),
                 evidence=Evidence(sentence, start, start + len(sentence), trigger,
                                   start + sentence.index(trigger)))


def test_places_event_location(geocoder: Geocoder, reference_parsed) -> None:  # type: ignore[no-untyped-def]
    text = reference_parsed.document.text
    shelled = _event(text, "The capital Stepanakert had been shelled", "shelled")
    destroyed = _event(text, "Numerous houses in villages were destroyed.", "destroyed")
    shot = _event(text, "Yerevan shot down helicopters and combat drones.", "shot", ActorRef("Yerevan", country="ARM"))
    located = geocoder(reference_parsed, [shelled, destroyed, shot])
    first, second, third = (e.location for e in located)
    assert first is not None and first.name == "Stepanakert" and first.precision == "city" and first.country == "AZE"
    assert second is not None and second.name == "Nagorno-Karabakh" and second.precision == "admin1"
    assert third is not None and third.name == "Nagorno-Karabakh"  # Yerevan is who shot, not where


def test_places_no_events_no_work(geocoder: Geocoder, pipeline) -> None:  # type: ignore[no-untyped-def]
    parsed = pipeline.parser(Document("x", "Nothing happened in Paris.", None))
    assert geocoder(parsed, []) == []
    assert [t.country for t in geocoder.toponyms(parsed)] == ["FRA"]


def test_places_reference_events_end_to_end(reference_coded) -> None:  # type: ignore[no-untyped-def]
    shelling = [e for e in reference_coded.events if e.evidence.trigger == "shelled"]
    assert shelling, "the events stage codes the shelling of Stepanakert"
    location = shelling[0].location
    assert location is not None and location.name == "Stepanakert" and location.country == "AZE"
    assert all(e.location is not None for e in reference_coded.events)


def test_places_index_built_from_other_data_is_stale(tmp_path: Path) -> None:
    from eventcoder.places.compiled import save_gazetteer, source_digest

    fresh = save_gazetteer(GazetteerData(names=["Somewhere"]), tmp_path / "fresh.pkl")
    assert read_compiled(fresh) is not None
    stale = tmp_path / "stale.pkl"
    stale.write_bytes(pickle.dumps(("an older digest", GazetteerData(names=["Somewhere"]))))
    assert read_compiled(stale) is None
    assert len(source_digest()) == 40


def test_places_armed_groups_take_the_country_they_fight_in() -> None:
    from dataclasses import replace

    from eventcoder.model import Location
    from eventcoder.places.geocoder import with_rebel_countries

    karabakh = Location("Nagorno-Karabakh", 39.9, 46.7, "AZE", None, None, "admin1")
    evidence = Evidence("The rebels shelled the town.", 0, 28, "shelled", 12)
    attack = Event("d", "ASSAULT", evidence, actor=ActorRef("The rebels", None, None, "REB"), location=karabakh)
    denial = Event("d", "REJECT", Evidence("The rebels denied it.", 29, 50, "denied", 40),
                   actor=ActorRef("The rebels", None, None, "REB"), location=karabakh)
    claim = replace(Event("d", "ASSAULT", evidence, actor=ActorRef("Kyiv", "Ukraine", "UKR", "GOV"),
                          location=None), disputed_by=(denial.id,))
    unlocated = Event("d", "ASSAULT", evidence, actor=ActorRef("insurgents", None, None, "REB"))
    new_attack, new_denial, new_claim, same = with_rebel_countries([attack, denial, claim, unlocated])
    assert new_attack.actor is not None and (new_attack.actor.country, new_attack.actor.sector) == ("AZE", "REB")
    assert new_claim.disputed_by == (new_denial.id,) != (denial.id,)  # the link follows the new id
    assert same == unlocated and claim.actor == new_claim.actor
