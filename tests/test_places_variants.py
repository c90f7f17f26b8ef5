"""Spelling variants of romanised place names (issue 21): Al Zubarqa / Zubarqah, Qasr Yunus / Qasr Younous.

All names here are invented: a small gazetteer shows the rules, not the world's data.
"""

from __future__ import annotations

import pytest

from eventcoder.places.gazetteer import Gazetteer, GazetteerData, variant_key
from eventcoder.places.resolve import Mention, resolve
from eventcoder.places.toponyms import ToponymFinder


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    data = GazetteerData()
    data.add("Bazland", 30.0, 40.0, "country", "XBZ", None, 9_000_000, 1)
    data.add("Al Zubārqa", 30.5, 40.5, "city", "XBZ", None, 150_000, 2)
    data.add("Kafr Bazzun", 31.0, 41.0, "city", "XBZ", None, 3_000, 3)
    data.add("Tell Marun", 20.0, 10.0, "city", "XQQ", None, 300_000, 4)
    data.add("Tal Marun", 31.2, 40.2, "city", "XBZ", None, 2_000, 5)
    data.add("Qasr Yūnus", 29.0, 39.0, "admin1", "XBZ", "Qasr Yunus", 400_000, 6)
    data.add("Sea of Zubarqa", 28.0, 38.0, "water", None, None, 0, 7)
    data.add("Orra", 10.0, 10.0, "city", "XQQ", None, 900_000, 8)
    data.finish()
    return Gazetteer(data)


@pytest.mark.parametrize(("written", "other"), [
    ("Zubarqah", "Al Zubārqa"),
    ("az-Zubarqa", "El Zubarqah"),
    ("Qasr Younous", "Qasr Yūnus"),
    ("Tal Marrun", "Tell Marun"),
    ("Kryvyi Bazun", "Kryvyy Bazzun"),
    ("Dair Bazun", "Deir al-Bazun"),
])
def test_places_variant_key_joins_romanisations(written: str, other: str) -> None:
    assert variant_key(written) == variant_key(other)


@pytest.mark.parametrize(("written", "other"), [("Zubarqa", "Zubarqi"), ("Bazun", "Bazan"), ("Marun", "Maron Hill")])
def test_places_variant_key_keeps_other_names_apart(written: str, other: str) -> None:
    assert variant_key(written) != variant_key(other)


def test_places_big_variant_resolves_alone(gazetteer: Gazetteer) -> None:
    [place] = resolve(gazetteer, [Mention("Zubarqah")])
    assert place is not None and place.name == "Al Zubārqa"
    [area] = resolve(gazetteer, [Mention("Qasr Younous")])
    assert area is not None and area.feature == "admin1"


def test_places_exact_name_beats_a_bigger_variant(gazetteer: Gazetteer) -> None:
    [place] = resolve(gazetteer, [Mention("Tal Marun")])
    assert place is not None and place.geonameid == 5
    [bigger] = resolve(gazetteer, [Mention("Tell Marun")])
    assert bigger is not None and bigger.geonameid == 4


def test_places_small_variant_needs_the_story_country(gazetteer: Gazetteer) -> None:
    assert resolve(gazetteer, [Mention("Kafr Bazun")]) == [None]
    village, country = resolve(gazetteer, [Mention("Kafr Bazun"), Mention("Bazland")])
    assert village is not None and village.geonameid == 3 and country is not None


def test_places_variants_are_only_populated_places(gazetteer: Gazetteer) -> None:
    assert gazetteer.variant_candidates("Sea of Zubarqah") == []
    assert gazetteer.variant_candidates("Ora") == []  # too short a key to join spellings


def test_places_variant_counts_inside_entities_only(gazetteer: Gazetteer) -> None:
    finder = ToponymFinder(gazetteer)
    assert finder._plausible("Zubarqah", set())
    assert not finder._plausible("Zubarqah", set(), outside=True)
    assert not finder._plausible("Kafr Bazun", set())
    assert finder._plausible("Kafr Bazun", {"XBZ"})


def test_places_acronyms_and_o_for_u_are_no_variants(gazetteer: Gazetteer) -> None:
    assert gazetteer.variant_candidates("ZUBARQAH") == []
    assert variant_key("Orro Hill") != variant_key("Urru Hill")


def test_places_variant_area_needs_the_story_country(gazetteer: Gazetteer) -> None:
    finder = ToponymFinder(gazetteer)
    assert not finder._plausible("Qasr Younous", set())
    assert finder._plausible("Qasr Younous", {"XBZ"})


def test_places_finder_takes_a_name_the_syntax_calls_a_place() -> None:
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    data = GazetteerData()
    data.add("Bazland", 30.0, 40.0, "country", "XBZ", None, 9_000_000, 1)
    data.add("Al Zubārqa", 30.5, 40.5, "city", "XBZ", None, 150_000, 2)
    data.add("Mirav", 30.2, 40.2, "city", "XBZ", None, 400, 9)  # a village of the story's country
    data.finish()
    gazetteer = Gazetteer(data)
    words = ["Bazland", "shelled", "the", "village", "of", "Mirav", "and", "the", "port", "of", "Zubarqah", ",",
             "not", "Mirav", "or", "Zubarqah", "or", "the", "Port", "of", "Zubarqah", "."]
    pos = ["PROPN", "VERB", "DET", "NOUN", "ADP", "PROPN", "CCONJ", "DET", "NOUN", "ADP", "PROPN", "PUNCT",
           "PART", "PROPN", "CCONJ", "PROPN", "CCONJ", "DET", "PROPN", "ADP", "PROPN", "PUNCT"]
    doc = Doc(Vocab(), words=words, pos=pos, ents=["B-GPE"] + ["O"] * (len(words) - 1))
    found = [(t.text, t.start) for t in ToponymFinder(gazetteer)(doc)]
    # "the village of", "the port of": a village of the story's country, a big city's spelling variant; the
    # same names alone are too small or no exact name outside entities, and "the Port of" is a name
    assert found == [("Bazland", 0), ("Mirav", doc[5].idx), ("Zubarqah", doc[10].idx)]
