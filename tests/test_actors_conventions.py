"""PLOVER conventions for mentions with no named actor: quantities, towns, misspelt nouns, faiths' forces,
protesters, explosives, dwellings and separatist movements (eventcoder.actors.readings, data/actors/agents.yaml)."""

from __future__ import annotations

import pytest

from actor_cases import resolved
from eventcoder.actors import ActorKB
from eventcoder.actors.misspelt import MisspeltAgents


@pytest.mark.parametrize(("text", "country", "sector"), [
    ("Hundreds of people in Nairobi", "KEN", "CVL"),
    ("Tens of thousands of people in Bangkok", "THA", "CVL"),
    ("Dozens of soldiers in Mali", "MLI", "MIL"),
])
def test_actors_a_quantity_is_no_head(kb: ActorKB, text: str, country: str, sector: str) -> None:
    assert resolved(kb, text) == (country, sector)


@pytest.mark.parametrize("text", ["Mosul", "the city of Aleppo", "Kandahar", "central Mosul", "the town of Hebron"])
def test_actors_a_town_alone_is_its_people(kb: ActorKB, text: str) -> None:
    assert resolved(kb, text)[1] == "CVL"


@pytest.mark.parametrize(("text", "country", "sector"), [
    ("Kabul", "AFG", "GOV"),  # a capital stands for its government
    ("Damascus", "SYR", "GOV"),
    ("Mosul police", "IRQ", "COP"),  # a noun says who acts
    ("the governor of Kandahar", "AFG", "GOV"),
    ("Lagos state government", "NGA", "GOV"),
])
def test_actors_capitals_and_nouns_keep_their_reading_near_towns(kb: ActorKB, text: str, country: str,
                                                                  sector: str) -> None:
    assert resolved(kb, text) == (country, sector)


def test_actors_a_country_or_territory_is_no_town(kb: ActorKB) -> None:
    assert resolved(kb, "Gaza")[1] is None
    assert resolved(kb, "Singapore")[1] != "CVL"


@pytest.mark.parametrize(("text", "country", "sector"), [
    ("Syrian goverment", "SYR", "GOV"), ("Kenyan millitants", "KEN", "REB"), ("the Iraqi parliment", "IRQ", "LEG"),
])
def test_actors_misspelt_agent_words_give_their_sector(kb: ActorKB, text: str, country: str, sector: str) -> None:
    assert resolved(kb, text) == (country, sector)


@pytest.mark.parametrize("word", ["produces", "believes", "monarchy", "residence", "premiere", "soldiers", "police"])
def test_actors_inflected_and_known_words_are_no_misspellings(kb: ActorKB, word: str) -> None:
    assert kb.matcher.misspelt.agent(word) is None


@pytest.mark.parametrize("text", ["John Sturgeon", "Maria Pleasant"])
def test_actors_a_surname_after_a_first_name_is_no_misspelling(kb: ActorKB, text: str) -> None:
    assert resolved(kb, text) == (None, None)


def test_actors_misspellings_need_a_long_word() -> None:
    found = MisspeltAgents({"soldier": "MIL", "peacekeeper": "MIL"}, frozenset())
    assert found.agent("soldir") is None  # under eight letters: too many words are one letter apart
    near = found.agent("peackeepers")
    assert near is not None and near[0] == "peacekeeper"


@pytest.mark.parametrize(("text", "country", "sector"), [
    ("Christian forces", None, "REB"), ("Sunni troops", None, "REB"),
    ("Lebanese Christian forces", "LBN", "MIL"),  # a state's forces stay its military
    ("Serb forces", "SRB", "MIL"),
])
def test_actors_a_faiths_forces_are_an_armed_group(kb: ActorKB, text: str, country: str | None, sector: str) -> None:
    assert resolved(kb, text) == (country, sector)


@pytest.mark.parametrize(("text", "country", "sector"), [
    ("Belarusian protesters", "BLR", "CVL"), ("demonstrators in Khartoum", "SDN", "CVL"),
    ("the Belarusian opposition", "BLR", "OPP"),
])
def test_actors_protesters_are_civilians(kb: ActorKB, text: str, country: str, sector: str) -> None:
    assert resolved(kb, text) == (country, sector)


@pytest.mark.parametrize(("text", "country"), [
    ("a roadside bomb", None), ("a car bomb in Mogadishu", "SOM"), ("an explosion in Kabul", "AFG"),
])
def test_actors_an_explosive_is_an_unidentified_armed_actor(kb: ActorKB, text: str, country: str | None) -> None:
    assert resolved(kb, text) == (country, "UAF")


def test_actors_dwellings_are_civilians(kb: ActorKB) -> None:
    assert resolved(kb, "residential areas of Mosul") == ("IRQ", "CVL")


@pytest.mark.parametrize(("text", "country", "sector"), [
    ("Movement for the Sovereignty of Casamance", "SEN", "REB"),
    ("Front for the Liberation of the Enclave of Cabinda", "AGO", "REB"),
    ("Movement for the Liberation of Kenya", "KEN", None),  # a movement for a state's liberation is not separatist
    ("the council of Ogoniland", "NGA", None),  # no aim of independence named
])
def test_actors_a_movement_for_a_regions_independence_is_separatist(kb: ActorKB, text: str, country: str,
                                                                    sector: str | None) -> None:
    assert resolved(kb, text) == (country, sector)


@pytest.mark.parametrize(("text", "country", "sector"), [
    ("Iranian state television", "IRN", "GOV"), ("official Syrian newspaper", "SYR", "GOV"),
    ("government-run radio", None, "GOV"), ("Chinese state media", "CHN", "GOV"),
    ("a Syrian newspaper", "SYR", "MED"),  # no owner said
    ("Syrian state news agency SANA", "SYR", "MED"),  # a named outlet is a news agency
    ("state journalists", None, "MED"),  # people, not the outlet
])
def test_actors_state_media_speak_for_the_government(kb: ActorKB, text: str, country: str | None,
                                                     sector: str) -> None:
    assert resolved(kb, text) == (country, sector)
