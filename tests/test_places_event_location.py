"""An event's location is never a place name that names a party to it (issue 21): whose forces, who acts or is
addressed, what an accusation is about; unsure names count where the syntax makes them places."""

from __future__ import annotations

from datetime import date

import pytest

from eventcoder.errors import DataError
from eventcoder.places import eventplace


def _located(pipeline, text: str, event_type: str) -> list[str | None]:  # type: ignore[no-untyped-def]
    coded = pipeline.code_text(text, date(2025, 5, 1))
    found = [e.location.name if e.location else None for e in coded.events if e.event_type == event_type]
    assert found, f"no {event_type} event in {text!r}"
    return found


@pytest.mark.parametrize(("text", "event_type", "owner"), [
    ("Turkey's warplanes bombed Kurdish fighters near Kobani on Sunday.", "ASSAULT", "Turkey"),
    ("Three U.S. soldiers were wounded in a rocket attack on a base in eastern Syria.", "ASSAULT", "United States"),
    ("Russia's navy fired cruise missiles at the port of Odesa overnight.", "ASSAULT", "Russia"),
])
def test_places_event_location_is_not_the_country_of_the_forces(pipeline, text, event_type, owner) -> None:  # type: ignore[no-untyped-def]
    places = _located(pipeline, text, event_type)
    assert owner not in places
    assert any(p is not None for p in places), places


@pytest.mark.parametrize(("text", "event_type", "party"), [
    ("Three Iranian generals were sanctioned by London on Tuesday.", "SANCTION", "London"),
    ("Washington imposed sanctions on two Iraqi militia leaders.", "SANCTION", "Washington"),
    ("The senator urged the Pentagon to send more drones to Poland.", "REQUEST", "Pentagon"),
])
def test_places_event_location_is_not_a_city_standing_for_a_government(pipeline, text, event_type, party) -> None:  # type: ignore[no-untyped-def]
    assert party not in _located(pipeline, text, event_type)


def test_places_accusation_is_not_located_at_the_place_of_the_act_it_reports(pipeline) -> None:  # type: ignore[no-untyped-def]
    text = "Warsaw accused Belarus of helping migrants cross the border near Bialystok."
    assert not {"Bialystok", "Belarus", "Warsaw"} & set(_located(pipeline, text, "ACCUSE"))


@pytest.mark.parametrize(("text", "event_type", "town"), [
    ("Russian troops shelled the town of Kostiantynivka in eastern Ukraine, killing two people.", "ASSAULT",
     "Kostiantynivka"),
    ("Rebels captured Uvira after a week of fighting, local officials said.", "COERCE", "Uvira"),
])
def test_places_unsure_name_locates_where_the_syntax_makes_it_a_town(pipeline, text, event_type, town) -> None:  # type: ignore[no-untyped-def]
    assert town in _located(pipeline, text, event_type)


def test_places_a_place_inside_a_demonym_is_not_the_actor() -> None:
    from eventcoder.model import ActorRef
    from eventcoder.places import Toponym

    chad = Toponym(40, 44, "Chad", "GPE")
    assert not eventplace.in_mention(chad, ActorRef("Chadian troops"))
    assert eventplace.in_mention(chad, ActorRef("Chad's army"))


def test_places_event_place_word_lists_load_and_reject_a_bad_file(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    cues = eventplace.load_event_place_cues()
    assert "SANCTION" in cues.addressed_types and "ASSAULT" not in cues.addressed_types
    assert {"jets", "army"} <= cues.owner_nouns and "town" in cues.place_of_nouns
    monkeypatch.setattr(eventplace, "read_yaml", lambda _folder, _name: {"addressed_types": "ACCUSE"})
    eventplace.load_event_place_cues.cache_clear()
    try:
        with pytest.raises(DataError, match="addressed_types"):
            eventplace.load_event_place_cues()
    finally:
        eventplace.load_event_place_cues.cache_clear()


@pytest.mark.parametrize(("text", "seat"), [
    ("White House spokeswoman Anna Kelly accused Iran of arming militias in Iraq.", "White House"),
    ("Kremlin aide Yuri Ushakov accused Kyiv of stalling the talks.", "Kremlin"),
])
def test_places_statement_is_not_located_at_the_seat_in_the_speakers_title(pipeline, text, seat) -> None:  # type: ignore[no-untyped-def]
    assert seat not in _located(pipeline, text, "ACCUSE")


def test_places_town_of_the_thing_struck_locates_the_attack(pipeline) -> None:  # type: ignore[no-untyped-def]
    text = "A drone strike hit the Kharkiv office of a Danish aid group on Tuesday."
    assert "Kharkiv" in _located(pipeline, text, "ASSAULT")


def test_places_accusation_between_two_countries_is_located_in_neither(pipeline) -> None:  # type: ignore[no-untyped-def]
    # both parties have their country: the focus, the one party's country, would fill no role and is no place
    places = _located(pipeline, "Japan's foreign minister accused China of harassing fishing boats.", "ACCUSE")
    assert not {"Japan", "China"} & set(places)
