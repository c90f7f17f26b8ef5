"""An analyst's checks on roles through the whole pipeline: weapons are no actors, state blockades are no protest,
taking part in an event is the event, victims of "die" are recipients, a called demonstration is not background.

Sentences are from conflicts other than the sample corpus; the real actor KB resolves them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from eventcoder.model import Event


@pytest.fixture(scope="module")
def pipeline(pipeline):  # type: ignore[no-untyped-def]
    """The session pipeline with every event kept: these tests read the coder's rules, not the relevance threshold."""
    from eventcoder.pipeline import Pipeline

    return Pipeline(resolver=pipeline.resolver, parser=pipeline.parser, keep_all=True)


PUBLISHED = date(2024, 5, 2)


def code(pipeline: Any, text: str) -> list[Event]:
    return list(pipeline.code_text(text, published=PUBLISHED).events)


def party(ref: Any) -> tuple[str | None, str | None, str | None] | None:
    return None if ref is None else (ref.text, ref.country, ref.sector)


def assaults(events: list[Event]) -> list[Event]:
    return [e for e in events if e.event_type == "ASSAULT"]


@pytest.mark.parametrize("text", [
    "A mortar shell hit a school in Mogadishu, killing three children.",
    "A missile struck an apartment block in Dnipro on Thursday.",
    "Two children were killed when a rocket hit their house in Sderot.",
    "One drone hit a power station near Kherson overnight.",
])
def test_events_analyst_weapon_is_never_the_actor(pipeline: Any, text: str) -> None:
    found = assaults(code(pipeline, text))
    assert found, "the attack itself must stay an event"
    for event in found:
        assert event.actor is None or event.actor.text.split()[-1].lower() not in {
            "shell", "missile", "rocket", "drone"}, event.actor


@pytest.mark.parametrize(("text", "actor"), [
    ("Iranian missiles struck an Israeli air base in the Negev.", ("Iranian", "IRN", "MIL")),
    ("Houthi drones hit a Saudi oil facility.", ("Houthi", "YEM", "REB")),
])
def test_events_analyst_weapon_gives_its_owner(pipeline: Any, text: str, actor: tuple[str, str, str]) -> None:
    [event] = assaults(code(pipeline, text))
    assert party(event.actor) == actor


@pytest.mark.parametrize(("text", "sector"), [
    ("Two children were killed when a rocket hit their house in Sderot.", "CVL"),
    ("Three farmers died when an artillery shell hit their tractor near Kharkiv.", "AGR"),
])
def test_events_analyst_property_target_takes_its_owners(pipeline: Any, text: str, sector: str) -> None:
    hit = [e for e in assaults(code(pipeline, text)) if e.evidence.trigger == "hit"]
    assert [(e.actor, e.recipient.sector if e.recipient else None) for e in hit] == [(None, sector)]


def test_events_analyst_own_subject_is_no_owner(pipeline: Any) -> None:
    [event] = code(pipeline, "Syria said it will withdraw its troops.")
    assert event.actor is not None and event.actor.country == "SYR"
    assert event.recipient is None or event.recipient.country is None


@pytest.mark.parametrize(("text", "victims"), [
    ("Three farmers died when an artillery shell hit their tractor near Kharkiv.", "Three farmers"),
    ("Five soldiers died in an ambush near Palmyra.", "Five soldiers"),
])
def test_events_analyst_who_dies_is_the_recipient(pipeline: Any, text: str, victims: str) -> None:
    died = [e for e in assaults(code(pipeline, text)) if e.evidence.trigger == "died"]
    assert [(e.actor, e.recipient.text if e.recipient else None) for e in died] == [(None, victims)]


@pytest.mark.parametrize(("text", "expected"), [
    ("Police blocked the bridge to stop the march.", "COERCE"),
    ("Soldiers blocked the main road into Jenin.", "COERCE"),
    ("Protesters blocked the main highway to the airport.", "PROTEST"),
])
def test_events_analyst_obstruction_type_follows_who_blocks(pipeline: Any, text: str, expected: str) -> None:
    [event] = code(pipeline, text)
    assert event.event_type == expected
    assert (event.mode == "obstruct") == (expected == "PROTEST")


@pytest.mark.parametrize(("text", "expected"), [
    ("Eritrean soldiers took part in the massacre in Axum, witnesses said.", ("ASSAULT", "ERI")),
    ("Iranian advisers participated in the offensive on Aleppo.", ("ASSAULT", "IRN")),
    ("Hezbollah played a key role in the battle for Qusayr.", ("ASSAULT", "LBN")),
    ("Turkey will take part in the peace talks in Geneva.", ("CONSULT", "TUR")),
    ("Thousands of students took part in the demonstration in Belgrade.", ("PROTEST", "SRB")),
])
def test_events_analyst_taking_part_is_the_event(pipeline: Any, text: str, expected: tuple[str, str]) -> None:
    events = code(pipeline, text)
    assert [(e.event_type, e.actor.country if e.actor else None) for e in events] == [expected]
    assert all(e.recipient is None or e.recipient.text != "part" for e in events)


def test_events_analyst_denied_participation_is_disputed(pipeline: Any) -> None:
    events = code(pipeline, "The president denied that Belarusian troops were taking part in the fighting.")
    [fighting] = assaults(events)
    assert fighting.actor is not None and fighting.actor.country == "BLR"
    assert fighting.claim_status == "disputed"


@pytest.mark.parametrize(("text", "modality"), [
    ("The opposition had organised the rally in Tbilisi.", "asserted"),
    ("The opposition leader had called the demonstrations and urged supporters to march.", "asserted"),
    ("Baku had imposed martial law.", "historical"),
])
def test_events_analyst_past_perfect_call_leaves_the_event_current(pipeline: Any, text: str, modality: str) -> None:
    first = code(pipeline, text)[0]
    assert first.event_type in {"PROTEST", "COERCE"}
    assert first.modality == modality


@pytest.mark.parametrize(("text", "actor"), [
    ("Hamas said it had fired the rockets at Ashkelon. Two women were killed when a rocket hit their home.", "PSE"),
    ("Hezbollah fired dozens of rockets at Kiryat Shmona. One rocket struck a school.", "LBN"),
])
def test_events_analyst_weapon_takes_who_fired_it(pipeline: Any, text: str, actor: str) -> None:
    later = [e for e in assaults(code(pipeline, text)) if e.evidence.trigger in {"hit", "struck"}]
    assert [e.actor.country if e.actor else None for e in later] == [actor]


def test_events_analyst_shot_down_weapon_names_no_launcher(pipeline: Any) -> None:
    text = "Air defences shot down eleven drones over Belgorod. One drone hit a fuel depot."
    [hit] = [e for e in assaults(code(pipeline, text)) if e.evidence.trigger == "hit"]
    assert hit.actor is None


@pytest.mark.parametrize(("text", "recipient"), [
    ("Police fired tear gas at thousands of students who gathered outside parliament.",
     ("EDU", "thousands of students")),
    ("Soldiers opened fire on hundreds of protesters in Mandalay.", ("CVL", "hundreds of protesters")),  # PLOVER CVLOPP
])
def test_events_analyst_counted_crowd_is_the_target(pipeline: Any, text: str, recipient: tuple[str, str]) -> None:
    [event] = assaults(code(pipeline, text))
    assert event.recipient is not None
    assert (event.recipient.sector, event.recipient.text) == recipient


@pytest.mark.parametrize(("text", "expected"), [
    ("Police dispersed farmers who marched on the ministry in Delhi on Tuesday.", "PROTEST"),
    ("Gunmen who attacked a police post in Tillaberi on Sunday killed four officers.", "ASSAULT"),
])
def test_events_analyst_dated_relative_clause_is_an_event(pipeline: Any, text: str, expected: str) -> None:
    types = [e.event_type for e in code(pipeline, text)]
    assert types.count(expected) >= (2 if expected == "ASSAULT" else 1), types


def test_events_analyst_undated_relative_clause_stays_background(pipeline: Any) -> None:
    types = [e.event_type for e in code(pipeline, "The militants who had taken them hostage released the workers.")]
    assert types == ["RETREAT"]


def test_events_analyst_pronoun_of_a_sibling_clause(pipeline: Any) -> None:
    text = ("Prime Minister Abiy Ahmed has denied that Eritrean troops are fighting in Tigray, and on Monday he "
            "again rejected the reports, state media reported.")
    rejects = [e for e in code(pipeline, text) if e.event_type == "REJECT"]
    assert rejects and all(e.actor is not None and e.actor.country == "ETH" for e in rejects)


@pytest.mark.parametrize(("text", "recipient"), [
    ("Russian air defences shot down eleven Ukrainian drones over the Kursk region.", "UKR"),
    ("Ukrainian forces destroyed three Russian tanks near Bakhmut.", "RUS"),
])
def test_events_analyst_downed_weapon_is_the_target(pipeline: Any, text: str, recipient: str) -> None:
    [event] = assaults(code(pipeline, text))
    assert event.recipient is not None and event.recipient.country == recipient
    assert event.recipient.text.split()[-1] in {"drones", "tanks"}


@pytest.mark.parametrize(("text", "country"), [
    ("Ethiopia's army launched an offensive on Sunday, state media said. The army denied that it had shelled "
     "civilians.", "ETH"),
    ("The Israeli Defence Ministry said on Sunday that it would respond. The ministry accused Hezbollah of firing "
     "rockets.", "ISR"),
])
def test_events_analyst_definite_description_takes_the_earlier_mention(pipeline: Any, text: str,
                                                                         country: str) -> None:
    later = [e for e in code(pipeline, text) if e.event_type in {"REJECT", "ACCUSE"}]
    assert later and all(e.actor is not None and e.actor.country == country for e in later)


def test_events_analyst_definite_description_without_antecedent_stays_unknown(pipeline: Any) -> None:
    [event] = [e for e in code(pipeline, "The army denied the reports.") if e.event_type == "REJECT"]
    assert event.actor is not None and event.actor.country is None
