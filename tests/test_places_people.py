"""People, organisations and sources are not places: event locations and toponyms (issues 17, 20, 21)."""

from __future__ import annotations

from datetime import date

import pytest

from eventcoder.model import Event, Evidence, Source
from eventcoder.places import Geocoder, Toponym
from eventcoder.places.gazetteer import Gazetteer, GazetteerData
from eventcoder.places.geocoder import LOCATE_MIN, _is_source


def _locations(pipeline, text: str) -> list[str | None]:  # type: ignore[no-untyped-def]
    coded = pipeline.code_text(text, date(2024, 5, 1))
    assert coded.events, text
    return [e.location.name if e.location else None for e in coded.events]


def _toponyms(pipeline, text: str) -> list[str]:  # type: ignore[no-untyped-def]
    from eventcoder.model import Document

    parsed = pipeline.parser(Document(id="t", text=text, published=None, date_source="none", origin="t"))
    return [t.text for t in pipeline.geocoder.toponyms(parsed)]


@pytest.mark.parametrize(("text", "surname"), [
    ("Somali President Hassan Sheikh Mohamud accused al-Shabaab of attacking a market on Monday. "
     "Hassan said troops would retaliate.", "Hassan"),
    ("Turkish police detained Istanbul Mayor Ekrem İmamoğlu on Wednesday. Prosecutors accused İmamoğlu of corruption.",
     "İmamoğlu"),
])
def test_places_people_never_become_locations(pipeline, text: str, surname: str) -> None:  # type: ignore[no-untyped-def]
    assert surname not in _locations(pipeline, text)


def test_places_surname_is_no_toponym(pipeline) -> None:  # type: ignore[no-untyped-def]
    text = ("Turkish police detained Istanbul Mayor Ekrem İmamoğlu on Wednesday. "
            "Prosecutors accused İmamoğlu of corruption.")
    assert _toponyms(pipeline, text) == ["Istanbul"]


@pytest.mark.parametrize("text", [
    "Sen. Steve Daines (R-Mont.) criticized the sheriff for detaining protesters.",
    "Sen. Raphael Warnock, D-Ga., criticized the sheriff for detaining protesters.",
])
def test_places_party_state_suffix_is_no_place(pipeline, text: str) -> None:  # type: ignore[no-untyped-def]
    assert not {"Mont.", "Ga."} & set(_toponyms(pipeline, text))
    assert not {"Montana", "Georgia"} & set(_locations(pipeline, text))


@pytest.mark.parametrize("text", [
    "The Pentagon said on Tuesday that it had struck a weapons depot used by the militia.",
    "The Kremlin said Russian jets had bombed rebel positions.",
])
def test_places_statement_source_is_no_location(pipeline, text: str) -> None:  # type: ignore[no-untyped-def]
    assert not {"Pentagon", "Kremlin"} & set(_locations(pipeline, text))


def test_places_a_named_place_still_locates_next_to_a_person(pipeline) -> None:  # type: ignore[no-untyped-def]
    text = "Turkish police detained Istanbul Mayor Ekrem İmamoğlu in Istanbul on Wednesday."
    assert _locations(pipeline, text) == ["Istanbul"]


def _geocoder() -> Geocoder:
    data = GazetteerData()
    data.add("Hassan", 13.0, 76.1, "city", "IND", "Karnataka", 150_000, 1)
    data.add("Kenya", 0.5, 37.9, "country", "KEN", None, 50_000_000, 2)
    data.finish()
    return Geocoder(Gazetteer(data))


def test_places_person_labelled_span_has_low_confidence_and_locates_nothing() -> None:
    geocoder = _geocoder()
    sentence = "Hassan met the envoy from Kenya."
    person = Toponym(0, 6, "Hassan", "PERSON", place=geocoder.gazetteer.place(0))
    place = Toponym(26, 31, "Kenya", "GPE", place=geocoder.gazetteer.place(1))
    outside = Toponym(0, 6, "Hassan", "GAZ", place=geocoder.gazetteer.place(0))
    assert person.confidence < LOCATE_MIN <= outside.confidence < place.confidence
    event = Event("d", "CONSULT", Evidence(sentence, 0, len(sentence), "met", 7))
    location = geocoder.locate(event, [person, place], geocoder.focus([person, place]))
    assert location is not None and location.name == "Kenya"
    assert geocoder.focus([person]) is None


def test_places_source_name_is_not_the_focus() -> None:
    geocoder = _geocoder()
    sentence = "Kenya said the talks went well."
    kenya = Toponym(0, 5, "Kenya", "GPE", place=geocoder.gazetteer.place(1))
    sourced = Event("d", "CONSULT", Evidence(sentence, 0, len(sentence), "talks", 15), sources=(Source("Kenya"),))
    unsourced = Event("d", "CONSULT", Evidence(sentence, 0, len(sentence), "talks", 15))
    assert _is_source(kenya, [sourced]) and not _is_source(kenya, [unsourced])
    assert geocoder.locate(sourced, [kenya], None) is None
    assert geocoder.locate(unsourced, [kenya], None) is not None


@pytest.mark.parametrize(("text", "place"), [
    ("Soldiers raided a newspaper office in Bamako and seized its computers.", "Bamako"),
    ("Two engineers were killed in a bombing in Karachi claimed by separatists.", "Karachi"),
    ("Indian jets struck targets in Pakistan's Punjab province early on Wednesday.", "Punjab"),
])
def test_places_a_city_spacy_calls_an_organisation_locates_when_the_syntax_says_place(  # type: ignore[no-untyped-def]
        pipeline, text: str, place: str) -> None:
    assert place in _locations(pipeline, text)
