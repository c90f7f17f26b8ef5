"""A place named with a possessive lies in its owner ("Burkina Faso's Sahel region"), and a place entity the
gazetteer lacks is split after such an owner ("Port-au-Prince's Cite Soleil"). Invented names throughout."""

from __future__ import annotations

import pytest
from spacy.tokens import Doc
from spacy.vocab import Vocab

from eventcoder.places.gazetteer import Gazetteer, GazetteerData
from eventcoder.places.resolve import Mention, resolve
from eventcoder.places.toponyms import ToponymFinder


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    data = GazetteerData()
    data.add("Bazland", 30.0, 40.0, "country", "XBZ", None, 9_000_000, 1)
    data.add("Qorland", 10.0, 10.0, "country", "XQR", None, 5_000_000, 2)
    data.add("Zahel", 20.0, 30.0, "region", None, None, 90_000_000, 3)  # a wide region across countries
    data.add("Zahel", 31.0, 41.0, "admin1", "XBZ", "Zahel", 150_000, 4)  # Bazland's province of that name
    data.add("Marunville", 30.5, 40.5, "city", "XBZ", None, 900_000, 5)
    data.add("Saint Oram", 10.5, 10.5, "city", "XQR", None, 80_000, 6)
    data.finish()
    return Gazetteer(data)


def test_places_possessive_owner_contains_the_place(gazetteer: Gazetteer) -> None:
    _, owned = resolve(gazetteer, [Mention("Bazland"), Mention("Zahel", owner="Bazland")])
    assert owned is not None and owned.geonameid == 4
    _, alone = resolve(gazetteer, [Mention("Qorland"), Mention("Zahel")])
    assert alone is not None and alone.geonameid == 3  # no owner: the wide region
    _, other = resolve(gazetteer, [Mention("Qorland"), Mention("Zahel", owner="Qorland")])
    assert other is not None and other.geonameid == 3  # Qorland has no Zahel: the owner gives nothing


def _found(gazetteer: Gazetteer, words: list[str], ents: list[str]) -> list[str]:
    spaces = [words[i + 1] not in ("'s", ".") for i in range(len(words) - 1)] + [False]
    doc = Doc(Vocab(), words=words, spaces=spaces, ents=ents)
    return [t.text for t in ToponymFinder(gazetteer)(doc)]


def test_places_place_entity_is_split_after_an_owning_place(gazetteer: Gazetteer) -> None:
    words = ["Bazland", "police", "raided", "Marunville", "'s", "Old", "Souk", "."]
    ents = ["B-GPE", "O", "O", "B-FAC", "I-FAC", "I-FAC", "I-FAC", "O"]
    assert _found(gazetteer, words, ents) == ["Bazland", "Marunville", "Old Souk"]


def test_places_place_entity_stays_whole_after_a_far_town(gazetteer: Gazetteer) -> None:
    # a town of a country the story does not name owns nothing ("St George's Chapel" is a chapel)
    words = ["Bazland", "mourners", "met", "in", "Saint", "Oram", "'s", "Chapel", "."]
    ents = ["B-GPE", "O", "O", "O", "B-FAC", "I-FAC", "I-FAC", "I-FAC", "O"]
    assert _found(gazetteer, words, ents) == ["Bazland", "Saint Oram's Chapel"]
