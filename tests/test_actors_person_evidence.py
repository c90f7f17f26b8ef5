"""Person names match only on strong evidence: a surname alone, a fuzzy name, a first name that disagrees.

"Zorbel" and "Vellacourt" are invented names; the surnames are those of people the knowledge base knows.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from eventcoder.actors import ActorKB, load_kb
from eventcoder.actors.names import first_names_agree, key, skeleton_word


@pytest.fixture(scope="module")
def pipeline(pipeline):  # type: ignore[no-untyped-def]
    """The session pipeline with every event kept: these tests read the coder's rules, not the relevance threshold."""
    from eventcoder.pipeline import Pipeline

    return Pipeline(resolver=pipeline.resolver, parser=pipeline.parser, keep_all=True)


DAY_2005 = date(2005, 6, 1)  # Patricia Hewitt (GBR) is a minister; Ariel Sharon heads Israel's government
DAY_2020 = date(2020, 9, 27)  # Erdogan, Aliyev and Pashinyan head their states or governments


def _person(kb: ActorKB, text: str, when: date | None) -> tuple[str | None, str | None, str | None] | None:
    actor = kb.resolve(text, when)
    return (actor.country, actor.sector, actor.name) if actor else None


# Rule 1: a surname alone names a person only with a title, an earlier full name, or a leading office.

@pytest.mark.parametrize(("text", "when"), [
    ("Hewitt", DAY_2005),  # a minister, no head of government
    ("Clarkson", DAY_2005),
    ("Brando", DAY_2005),  # close to a minister's surname (Brandao)
    ("Mr Hewitt", DAY_2005),  # a form of address is no title
    ("Pashinyan", date(2016, 1, 1)),  # before he took office
    ("Paschinjan", date(2016, 1, 1)),
    ("Sharon", date(2010, 1, 1)),  # out of office by then
])
def test_actors_person_surname_alone_without_evidence_is_nobody(kb: ActorKB, text: str, when: date) -> None:
    assert kb.resolve(text, when) is None


@pytest.mark.parametrize(("text", "when", "expected"), [
    ("Erdogan", DAY_2020, ("TUR", "GOV", "Recep Tayyip Erdogan")),
    ("Pashinyan", DAY_2020, ("ARM", "GOV", "Nikol Pashinyan")),
    ("Paschinjan", DAY_2020, ("ARM", "GOV", "Nikol Pashinyan")),
    ("Aliyev", DAY_2020, ("AZE", "GOV", "Ilham Aliyev")),
    ("Harutjunjan", DAY_2020, ("AZE", "PRE", "Arayik Harutyunyan")),  # a de facto state's president
    ("Lawrow", DAY_2020, ("RUS", "GOV", "Sergey Lavrov")),  # the foreign minister speaks for the state
    ("Putin", None, ("RUS", "GOV", "Vladimir Putin")),  # no date: the office he still holds
    ("Sharon", DAY_2005, ("ISR", "GOV", "Ariel Sharon")),  # a converted name titled "Prime Minister" in an alias
])
def test_actors_person_surname_alone_of_a_leader_in_office_resolves(
        kb: ActorKB, text: str, when: date | None, expected: tuple[str, str, str]) -> None:
    assert _person(kb, text, when) == expected


@pytest.mark.parametrize(("text", "when", "expected"), [
    ("Minister Hewitt", DAY_2005, ("GBR", "GOV", "Patricia Hewitt")),
    ("President Erdogan", DAY_2020, ("TUR", "GOV", "Recep Tayyip Erdogan")),
    ("actor Brando", DAY_2005, (None, "ELI", None)),  # a title of no office names no minister
])
def test_actors_person_title_before_a_surname_is_evidence(
        kb: ActorKB, text: str, when: date, expected: tuple[str | None, str, str | None]) -> None:
    assert _person(kb, text, when) == expected


def test_actors_person_explain_marks_a_surname_alone(kb: ActorKB) -> None:
    resolution = kb.explain("Erdogan", DAY_2020)
    assert resolution.matched == ["'Erdogan' exact -> Recep Tayyip Erdogan (leader leader:Recep Tayyip Erdogan) "
                                  "(surname alone)"]


@pytest.mark.parametrize(("text", "earlier", "when", "expected"), [
    ("Hewitt", ["Patricia Hewitt"], DAY_2005, ("GBR", "GOV", "Patricia Hewitt")),
    ("Hewitt", ["Minister Hewitt"], DAY_2005, ("GBR", "GOV", "Patricia Hewitt")),  # title and surname
    ("Hewitt", ["Zorbel Hewitt", "Patricia Hewitt"], DAY_2005, ("GBR", "GOV", "Patricia Hewitt")),  # the latest
    ("Erdogan", ["Turkish President Recep Tayyip Erdogan"], DAY_2020, ("TUR", "GOV", "Recep Tayyip Erdogan")),
    ("Paschinjan", ["Nikol Pashinyan"], date(2016, 1, 1), ("ARM", None, "Nikol Pashinyan")),  # not yet in office
    ("Aliyev", ["Heydar Aliyev"], DAY_2020, ("AZE", "ELI", "Heydar Aliyev")),  # the Aliyev the story named
])
def test_actors_person_surname_names_whom_the_document_named(
        kb: ActorKB, text: str, earlier: list[str], when: date, expected: tuple[str, str | None, str]) -> None:
    actor = kb.resolve_in_document(text, when, earlier)
    assert actor is not None and (actor.country, actor.sector, actor.name) == expected


@pytest.mark.parametrize(("text", "earlier", "when"), [
    ("Hewitt", ["Zorbel Hewitt"], DAY_2005),  # a namesake the KB lacks
    ("Hewitt", ["Patricia Hewitt", "Zorbel Hewitt"], DAY_2005),
    ("Hewitt", ["Hewitt"], DAY_2005),  # a surname alone before is no full name
    ("Erdogan", ["Zorbel Erdogan"], DAY_2020),  # even a head of state's surname is the namesake's now
    ("Sharon", ["Sharon Vellacourt"], DAY_2005),  # the first name of someone the story named
])
def test_actors_person_surname_after_a_namesake_is_nobody(kb: ActorKB, text: str, earlier: list[str],
                                                          when: date) -> None:
    assert kb.resolve_in_document(text, when, earlier) is None


def test_actors_person_document_names_leave_single_mentions_alone(kb: ActorKB) -> None:
    assert kb.resolve_in_document("Hewitt", DAY_2005, ["Patricia Hewitt"]) is not None
    assert kb.resolve("Hewitt", DAY_2005) is None
    assert kb.resolve_in_document("Hewitt", DAY_2005, []) is None


# Rule 2: a fuzzy or transliterated surname needs the first name, when given, to agree.

@pytest.mark.parametrize(("first", "known", "agree"), [
    ("Sergej", "Sergey", True),  # transliteration
    ("Araik", "Arayik", True),
    ("Mohammed", "Muhammad", True),
    ("P", "Patricia", True),  # an initial
    ("FW", "Frederick", True),  # initials
    ("Jalal", "Jamal", False),
    ("Lleyton", "Patricia", False),
    ("Sharon", "Ariel", False),
    ("Zorbel", "Nikol", False),
])
def test_actors_person_first_names_agree(first: str, known: str, agree: bool) -> None:
    assert first_names_agree(skeleton_word(key(first)), skeleton_word(key(known))) is agree


@pytest.mark.parametrize(("text", "when", "name"), [
    ("Nikol Paschinjan", DAY_2020, "Nikol Pashinyan"),
    ("N. Paschinjan", DAY_2020, "Nikol Pashinyan"),
    ("Araik Harutjunjan", DAY_2020, "Arayik Harutyunyan"),
    ("Patricia Hewit", DAY_2005, "Patricia Hewitt"),  # a misspelt surname with the right first name
    ("P. Hewitt", DAY_2005, "Patricia Hewitt"),
])
def test_actors_person_fuzzy_name_with_agreeing_first_name_resolves(kb: ActorKB, text: str, when: date,
                                                                    name: str) -> None:
    actor = kb.resolve(text, when)
    assert actor is not None and actor.name == name


@pytest.mark.parametrize(("text", "when"), [
    ("Zorbel Paschinjan", DAY_2020),
    ("Zorbel Hewit", DAY_2005),
    ("Sharon Osbourne", DAY_2005),  # Ariel Sharon's surname is this name's first word
    ("Lleyton Hewitt", DAY_2005),
])
def test_actors_person_fuzzy_name_with_another_first_name_is_nobody(kb: ActorKB, text: str, when: date) -> None:
    assert kb.resolve(text, when) is None


# Rule 3: a first name that contradicts an exact surname match resolves to nothing, no country, no sector.

@pytest.mark.parametrize(("text", "when"), [
    ("Zorbel Erdogan", DAY_2020),
    ("Zorbel Pashinyan", DAY_2020),
    ("Zorbel Aliyev", DAY_2020),
    ("Zorbel Hewitt", DAY_2005),
])
def test_actors_person_exact_surname_with_another_first_name_is_nobody(kb: ActorKB, text: str, when: date) -> None:
    assert kb.resolve(text, when) is None


# In a document: the events stage passes the names read so far.

def _actors(pipeline: Any, text: str, when: date) -> list[tuple[str, str | None, str | None]]:
    coded = pipeline.code_text(text, published=when)
    return [(e.actor.text, e.actor.country, e.actor.kb_id) for e in coded.events if e.actor is not None]


def test_actors_person_document_full_name_lets_the_surname_act(pipeline: Any) -> None:
    text = "Patricia Hewitt met union leaders on Monday. Hewitt accused the unions of blackmail."
    full = load_kb().resolve("Patricia Hewitt", DAY_2005)  # the entry the full name found (a Wikidata id)
    assert full is not None and full.kb_id is not None
    assert ("Hewitt", "GBR", full.kb_id) in _actors(pipeline, text, DAY_2005)
    assert ("Hewitt", None, None) in _actors(pipeline, "Hewitt accused the unions of blackmail.", DAY_2005)


def test_actors_person_document_namesake_keeps_the_surname_from_a_leader(pipeline: Any) -> None:
    text = "Zorbel Erdogan accused the referee of cheating. Erdogan accused the club of lying."
    assert _actors(pipeline, text, DAY_2020) == [("Zorbel Erdogan", None, None), ("Erdogan", None, None)]
