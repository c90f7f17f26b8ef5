"""Roles the place decides (events.placed): victims take the place's country, buildings where they stand."""

from __future__ import annotations

from typing import Any

import pytest

from eventcoder.events.placed import PlacedRoles
from eventcoder.model import ActorRef, Document, Event, Evidence, Location
from eventcoder.nlp import ParsedDoc


@pytest.fixture(scope="module")
def nlp() -> Any:
    from eventcoder.nlp import build_nlp

    return build_nlp()


def place(nlp: Any, text: str, recipient: ActorRef | None, location: Location | None,
          actor: ActorRef | None = None) -> Event:
    document = Document(id="doc-1", text=text, published=None)
    event = Event("doc-1", "ASSAULT", Evidence(text, 0, len(text), "hit"), actor=actor, recipient=recipient,
                  location=location)
    [placed] = PlacedRoles()(ParsedDoc(document, nlp(text)), [event])
    return placed


BEIRUT = Location("Beirut", country="LBN", precision="city")
KHARKIV = Location("Kharkiv", country="UKR", precision="city")


def country(event: Event, role: str = "recipient") -> str | None:
    actor = event.actor if role == "actor" else event.recipient
    return actor.country if actor is not None else None


def test_events_placed_victims_take_the_country_of_the_place(nlp: Any) -> None:
    text = "An Israeli airstrike on a building in Beirut killed four people."
    assert country(place(nlp, text, ActorRef("four people"), BEIRUT)) == "LBN"
    assert country(place(nlp, text, None, BEIRUT)) == "LBN"  # no recipient named: the place's country


def test_events_placed_victims_keep_the_country_the_text_gives(nlp: Any) -> None:
    text = "Three U.S. service members were wounded in a rocket attack in Beirut."
    assert country(place(nlp, text, ActorRef("Three U.S. service members", country="USA"), BEIRUT)) == "USA"
    text = "He urged his compatriots in Beirut to stay calm."
    assert country(place(nlp, text, ActorRef("his compatriots", sector="CVL"), BEIRUT)) is None


@pytest.mark.parametrize(("mention", "foreign", "expected"), [
    ("the Bristol Hotel", "GBR", "UKR"),  # a building named after a place stands in Kharkiv
    ("the Hotel Ukraina", "UKR", "UKR"),
    ("the Russian embassy", "RUS", "RUS"),  # what a state owns abroad stays its own
    ("the north Lebanese port", "LBN", "LBN"),  # not a name: the adjective says whose port
])
def test_events_placed_buildings_take_where_they_stand(nlp: Any, mention: str, foreign: str, expected: str) -> None:
    text = f"A Russian missile hit {mention} in Kharkiv."
    assert country(place(nlp, text, ActorRef(mention, country=foreign), KHARKIV)) == expected


def test_events_placed_only_a_place_named_in_the_sentence(nlp: Any) -> None:
    text = "Armenia also imposed martial law."  # the story's focus stands in: no recipient is made up
    assert place(nlp, text, None, KHARKIV).recipient is None
    text = "King Hassan said he would host a meeting."  # a person's name is no place
    assert place(nlp, text, None, Location("Hassan", country="IRN", precision="city")).recipient is None


def test_events_placed_home_actors_not_armed_ones(nlp: Any) -> None:
    text = "Police fired tear gas at protesters in Beirut."
    assert country(place(nlp, text, None, BEIRUT, ActorRef("Police", sector="COP")), "actor") == "LBN"
    text = "Gunmen killed two aid workers in Beirut."
    assert country(place(nlp, text, None, BEIRUT, ActorRef("Gunmen", sector="REB")), "actor") is None
    assert country(place(nlp, text, None, BEIRUT, ActorRef("Gunmen")), "actor") is None


def test_events_placed_denials_still_point_at_what_they_deny(nlp: Any) -> None:
    text = "A missile hit four people in Beirut, Lebanon said, which Israel denied."
    document = Document(id="doc-1", text=text, published=None)
    evidence = Evidence(text, 0, len(text), "hit")
    attack = Event("doc-1", "ASSAULT", evidence, recipient=ActorRef("four people"), location=BEIRUT)
    denial = Event("doc-1", "REJECT", evidence, actor=ActorRef("Israel", country="ISR"), disputed_by=(attack.id,))
    placed_attack, placed_denial = PlacedRoles()(ParsedDoc(document, nlp(text)), [attack, denial])
    assert placed_attack.id != attack.id
    assert placed_denial.disputed_by == (placed_attack.id,)


def test_events_placed_the_country_in_the_actors_name_is_not_where(nlp: Any) -> None:
    text = "The United Kingdom Foreign Office issued sanctions against gangs."
    uk = Location("United Kingdom", country="GBR", precision="country")
    event = place(nlp, text, ActorRef("gangs"), uk, ActorRef("The United Kingdom Foreign Office", country="GBR"))
    assert country(event) is None


def test_events_placed_a_name_read_as_a_person_counts_before_a_place_noun() -> None:
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    area = Location("Zahel", country="XBZ", precision="admin1")
    words = ["Gunmen", "raided", "Bazland", "'s", "Zahel", "region", "and", "King", "Zahel", "left", "."]
    ents = ["O", "O", "B-GPE", "O", "B-PERSON", "O", "O", "O", "B-PERSON", "O", "O"]
    doc = Doc(Vocab(), words=words, ents=ents)
    region = Event("doc-1", "ASSAULT", Evidence(doc.text, 0, doc[5].idx + 6, "raided"), location=area)
    assert PlacedRoles.named_in_sentence(doc, region)  # "Zahel region": the place, whoever spaCy took it for
    king = Event("doc-1", "ASSAULT", Evidence(doc.text, doc[7].idx, len(doc.text), "left"), location=area)
    assert not PlacedRoles.named_in_sentence(doc, king)  # "King Zahel" names no place
