"""The actor KB built from actors-sources: officeholders by date, organisation classes, parties, UN/EU gold."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from eventcoder.actors import ActorKB, country_matches, load_kb
from eventcoder.actors.officeholders import clean_name, name_forms, read_officeholders, read_sector_rules
from eventcoder.actors.organisations import _distinctive, read_parties
from eventcoder.errors import DataError


@pytest.fixture(scope="session")
def kb() -> ActorKB:
    return load_kb()


def _resolved(kb: ActorKB, text: str, when: date | None) -> tuple[str | None, str | None]:
    actor = kb.resolve(text, when)
    return (actor.country, actor.sector) if actor else (None, None)


@pytest.mark.parametrize(("label", "sector"), [
    ("member of the Sejm of the Republic of Poland", "LEG"),
    ("Knesset member", "LEG"),
    ("Minister of Foreign Affairs", "GOV"),
    ("Prime Minister", "GOV"),
    ("Chief of the General Staff", "MIL"),
    ("Director of the Foreign Intelligence Service", "SPY"),
    ("Speaker of the National Assembly", "LEG"),
    ("Judge of the Constitutional Court", "JUD"),
])
def test_actors_sector_comes_from_the_position_label(label: str, sector: str) -> None:
    assert read_sector_rules().sector(label) == sector


def test_actors_names_are_cleaned_and_iberian_names_shortened() -> None:
    assert clean_name("Jan Kowalski (politician)") == "Jan Kowalski"
    assert clean_name("Никитин, Василий") is None
    assert clean_name("Madonna") is None
    assert "Andres Lopez" in name_forms("Andres Manuel Lopez Obrador", "MEX")
    assert name_forms("Andres Manuel Lopez Obrador", "FRA") == []


@pytest.mark.parametrize(("text", "when", "country", "sector"), [
    ("Peter Szijjarto", date(2019, 11, 14), "HUN", "GOV"),  # a minister no curated file lists
    ("Sanna Marin", date(2021, 9, 10), "FIN", "GOV"),
    ("French President Jacques Chirac", date(2003, 3, 1), "FRA", "GOV"),  # not Andorra's co-prince
    ("President Laurent Gbago", date(2004, 11, 6), "CIV", "GOV"),  # misspelt, first name agrees
    ("the Sejm", date(2020, 10, 22), "POL", "LEG"),
    ("the SBU", date(2022, 6, 7), "UKR", "SPY"),
    ("Russia's Black Sea Fleet", date(2022, 4, 14), "RUS", "MIL"),
    ("the Carabinieri", date(2019, 7, 26), "ITA", "COP"),
    ("Romania's PSD", date(2019, 5, 26), "ROU", "PTY"),
])
def test_actors_sources_and_classes_resolve(kb: ActorKB, text: str, when: date, country: str, sector: str) -> None:
    assert _resolved(kb, text, when) == (country, sector)


@pytest.mark.parametrize("text", ["Sharon Osbourne", "Jeremy Clarkson"])
def test_actors_celebrity_names_never_become_governments(kb: ActorKB, text: str) -> None:
    assert _resolved(kb, text, date(2021, 3, 10)) == (None, None)


def test_actors_ambiguous_party_acronym_needs_its_country(kb: ActorKB) -> None:
    assert _resolved(kb, "PSD", date(2019, 5, 26))[0] is None
    assert _resolved(kb, "Spain's PP", date(2019, 11, 10)) == ("ESP", "PTY")


def test_actors_explanation_names_source_and_spell(kb: ActorKB) -> None:
    resolution = kb.explain("Peter Szijjarto", date(2019, 11, 14))
    assert resolution.entry is not None and resolution.entry.kb_id.startswith("official:Q")
    assert any("Minister" in role and "HUN" in role for role in resolution.entry.roles)


def test_actors_parties_keep_only_distinctive_names() -> None:
    assert _distinctive("Fidesz") and _distinctive("AKP") and _distinctive("Law and Justice")
    assert not _distinctive("Conservatives") and not _distinctive("Nation Party") and not _distinctive("F")


def test_actors_sources_missing_say_which_folder(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=str(tmp_path)):
        read_officeholders(tmp_path)
    with pytest.raises(DataError, match=str(tmp_path)):
        read_parties(tmp_path)


@pytest.mark.parametrize(("predicted", "gold", "right"), [
    ("IGO", "UNO", True), ("IGO", "EUR", True), ("NGO", "EUR", True), ("FRA", "EUR", False), (None, "UNO", False),
])
def test_actors_eval_counts_un_and_eu_gold_as_organisations(predicted: str | None, gold: str, right: bool) -> None:
    assert country_matches(predicted, gold) is right
