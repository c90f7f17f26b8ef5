"""Local news: same-name places told apart by the document (datelines, the story's country)."""

from __future__ import annotations

import pytest

from eventcoder.places import Gazetteer, load_gazetteer
from eventcoder.places.resolve import Mention, resolve


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return load_gazetteer()


def test_places_georgia_among_us_towns_is_the_state(gazetteer: Gazetteer) -> None:
    names = ["Atlanta", "Georgia", "Fulton County", "Macon", "Savannah", "Augusta", "Columbus"]
    georgia = resolve(gazetteer, [Mention(n) for n in names])[1]
    assert georgia is not None and (georgia.feature, georgia.country) == ("admin1", "USA")


def test_places_georgia_among_caucasus_names_is_the_country(gazetteer: Gazetteer) -> None:
    georgia = resolve(gazetteer, [Mention(n) for n in ["Tbilisi", "Georgia", "Armenia", "Azerbaijan"]])[1]
    assert georgia is not None and (georgia.feature, georgia.country) == ("country", "GEO")


@pytest.mark.parametrize(("town", "state"), [("LEBANON", "Ind."), ("PERU", "Ind."), ("Lebanon", "Pa.")])
def test_places_dateline_town_named_like_a_country_takes_its_state(gazetteer: Gazetteer, town: str,
                                                                    state: str) -> None:
    place, area = resolve(gazetteer, [Mention(town, within=state), Mention(state)])
    assert place is not None and area is not None
    assert (place.feature, place.country, place.admin1) == ("city", "USA", area.admin1)


def test_places_each_qualified_mention_keeps_its_state(gazetteer: Gazetteer) -> None:
    mentions = [Mention("Kansas City", within="Kan."), Mention("Kan."), Mention("Kansas City", within="Mo."),
                Mention("Mo.")]
    kansas, _, missouri, _ = resolve(gazetteer, mentions)
    assert kansas is not None and missouri is not None
    assert (kansas.admin1, missouri.admin1) == ("Kansas", "Missouri")
