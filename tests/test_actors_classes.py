"""Classes of actor mentions: misspelt demonyms, bodies without a country, areas, peoples, administrations."""

from __future__ import annotations

import pytest

from actor_cases import resolved
from eventcoder.actors import ActorKB, sources
from eventcoder.errors import DataError


@pytest.mark.parametrize(("text", "country"), [
    ("Ghanians", "GHA"), ("Ugandians", "UGA"), ("Kenyians", "KEN"), ("Ethiopains", "ETH"), ("Nigerains", "NGA"),
])
def test_actors_misspelt_plural_demonyms_name_the_people(kb: ActorKB, text: str, country: str) -> None:
    assert resolved(kb, text) == (country, "CVL")


def test_actors_misspelt_capitals_keep_their_metonym(kb: ActorKB) -> None:
    assert resolved(kb, "Khatmandu") == ("NPL", "GOV")  # the capital, not a converted spelling without a sector


@pytest.mark.parametrize(("text", "country", "sector"), [
    ("peacekeepers", None, "MIL"),  # whose: the story says (the events stage reads it there)
    ("Russian peacekeepers", "RUS", "MIL"),
    ("Association of African Jurists", "NGO", "JUD"),
    ("Third World Water Forum", "NGO", None),
    ("the Ceasefire Monitoring Committee", "NGO", None),
    ("Kenyan Medical Association", "KEN", "HLH"),
])
def test_actors_bodies_without_a_country_are_non_governmental(kb: ActorKB, text: str, country: str | None,
                                                              sector: str | None) -> None:
    assert resolved(kb, text) == (country, sector)


@pytest.mark.parametrize(("text", "country"), [
    ("separatists in Casamance", "SEN"), ("Kabylie protesters", "DZA"), ("militants in the Niger Delta", "NGA"),
    ("Movement for the Survival of the Ogoni People", "NGA"), ("gunmen in Ambazonia", "CMR"),
])
def test_actors_areas_are_places_of_their_state(kb: ActorKB, text: str, country: str) -> None:
    assert resolved(kb, text)[0] == country


@pytest.mark.parametrize(("text", "country", "sector"), [
    ("Yoruba leaders", "NGA", "ELI"),  # a people's leaders are elites, not the government
    ("Palestinian leaders", "PSE", "GOV"),  # a country's leaders govern
    ("Yoruba", "NGA", "CVL"),
    ("Chechens", "RUS", "CVL"),
    ("Karen rebels", "MMR", "REB"),
    ("Rohingya refugees", "MMR", "REF"),
    ("Hazara civilians", "AFG", "CVL"),
])
def test_actors_peoples_of_one_state_are_its_people(kb: ActorKB, text: str, country: str, sector: str) -> None:
    assert resolved(kb, text) == (country, sector)


@pytest.mark.parametrize(("text", "country"), [("Karen Bass", "USA"), ("Karen Smith", None), ("Karen Pence", None)])
def test_actors_a_people_in_a_first_name_is_no_country(kb: ActorKB, text: str, country: str | None) -> None:
    assert resolved(kb, text)[0] == country


@pytest.mark.parametrize("text", ["Bush administration", "Clinton administration", "Obama administration"])
def test_actors_a_leaders_administration_is_the_government(kb: ActorKB, text: str) -> None:
    assert resolved(kb, text, None) == ("USA", "GOV")


@pytest.mark.parametrize(("text", "sector"), [
    ("hostage-takers", "CRM"), ("Palestinian administrators", "GOV"), ("Israeli peace movement", "OPP"),
])
def test_actors_role_nouns_give_the_sector(kb: ActorKB, text: str, sector: str) -> None:
    assert resolved(kb, text)[1] == sector


def test_actors_bad_body_is_a_data_error(monkeypatch: pytest.MonkeyPatch) -> None:
    real = sources.read_text

    def broken(name: str) -> str:
        text = real(name)
        return text.replace("\nbodies:\n", "\nbodies:\n  nobody: IGO\n") if name == "agents.yaml" else text

    monkeypatch.setattr(sources, "read_text", broken)
    with pytest.raises(DataError, match=r"agents\.yaml body 'nobody'"):
        sources.read_lexicon()


def test_actors_bad_area_is_a_data_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from eventcoder.actors import regions

    monkeypatch.setattr(regions, "_yaml", lambda name: {"areas": {"Nigeria": ["Biafra"]}})
    with pytest.raises(DataError, match=r"areas\.yaml 'Nigeria'"):
        list(regions.read_areas())


@pytest.mark.parametrize(("text", "country"), [
    ("Moroccan Islamic Combatant Group", "MAR"), ("Yemen Islamic Jihad", "YEM"), ("Cambodian Freedom Fighters", "KHM"),
])
def test_actors_groups_coded_int_act_in_the_country_they_are_named_after(kb: ActorKB, text: str, country: str) -> None:
    assert resolved(kb, text) == (country, "REB")


def test_actors_a_province_in_a_groups_name_gives_no_country(kb: ActorKB) -> None:
    assert resolved(kb, "Mara Salvatruchas")[0] != "TZA"  # Mara is a Tanzanian region; the gang is not Tanzanian
