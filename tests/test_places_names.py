"""Place names as newsrooms write them: abbreviations that must not collide with codes."""

from __future__ import annotations

import pytest

from eventcoder.places import Gazetteer, load_gazetteer
from eventcoder.places.gazetteer import GazetteerData
from eventcoder.places.resolve import Mention, resolve


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return load_gazetteer()


@pytest.mark.parametrize(("text", "name", "admin1"), [
    ("Mt. Juliet", "Mount Juliet", "Tennessee"),
    ("MT. JULIET", "Mount Juliet", "Tennessee"),
    ("L.A.", "Los Angeles", "California"),
    ("L.A. County", "Los Angeles County", "California"),
    ("Ind.", "Indiana", "Indiana"),
    ("Miss.", "Mississippi", "Mississippi"),
    ("Ont.", "Ontario", "Ontario"),
    ("N.J.", "New Jersey", "New Jersey"),
    ("La.", "Louisiana", "Louisiana"),
])
def test_places_news_abbreviations_do_not_collide(gazetteer: Gazetteer, text: str, name: str, admin1: str) -> None:
    found = gazetteer.candidates(text, 5)
    assert any(p.name.startswith(name) and p.admin1 == admin1 for p in found), (text, found[:3])
    assert all(p.name not in ("Montana", "Colorado") for p in found) or text.startswith("Mont")
    if text.startswith("L.A"):
        assert all(p.name != "Louisiana" for p in found)


@pytest.mark.parametrize(("code", "name"), [("MT", "Montana"), ("CO", "Colorado"), ("LA", "Louisiana"),
                                           ("NJ", "New Jersey")])
def test_places_bare_codes_still_name_states(gazetteer: Gazetteer, code: str, name: str) -> None:
    assert gazetteer.candidates(code, 1)[0].name == name


@pytest.mark.parametrize("text", ["Mt.", "Co."])
def test_places_abbreviated_word_alone_is_no_state(gazetteer: Gazetteer, text: str) -> None:
    assert gazetteer.candidates(text) == []


def test_places_county_and_township_abbreviations_resolve_in_context(gazetteer: Gazetteer) -> None:
    county, _ = resolve(gazetteer, [Mention("Boone Co."), Mention("Indiana")])
    assert county is not None and county.feature == "admin2" and county.admin1 == "Indiana"
    [town] = resolve(gazetteer, [Mention("Toms River Twp.")])
    assert town is not None and town.name == "Toms River" and town.admin1 == "New Jersey"


def test_places_codes_are_kept_apart_from_written_names() -> None:
    data = GazetteerData()
    data.add("Montana", 47.0, -109.6, "admin1", "USA", "Montana", 1_000_000, 1, ["MT", "Mont."])
    data.add("Mount Juliet", 36.2, -86.5, "city", "USA", "Tennessee", 40_000, 2)
    data.abbreviations = {"mt.": "Mount"}
    data.finish()
    gazetteer = Gazetteer(data)
    assert [p.geonameid for p in gazetteer.candidates("MT")] == [1]
    assert gazetteer.candidates("Mt.") == []
    assert [p.geonameid for p in gazetteer.candidates("Mt. Juliet")] == [2]
