"""The event coder on sentences: types, modes, roles, compound and reciprocal actors, modality, fatalities.

These use a tiny in-memory resolver (tests/events_support.py) so that they test the coder alone.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from eventcoder.events import EventCoder
from eventcoder.model import Document, Event
from eventcoder.nlp import ParsedDoc
from events_support import TinyResolver

PUBLISHED = date(2020, 9, 27)


@pytest.fixture(scope="session")
def nlp() -> Any:
    from eventcoder.nlp import build_nlp

    return build_nlp()


@pytest.fixture(scope="session")
def coder() -> EventCoder:
    return EventCoder(TinyResolver())


@pytest.fixture(scope="session")
def code(nlp: Any, coder: EventCoder) -> Any:
    def run(text: str, published: date | None = PUBLISHED, publisher: str | None = "AFP") -> list[Event]:
        document = Document(id="doc-1", text=text, published=published, publisher=publisher)
        return coder(ParsedDoc(document, nlp(text)))

    return run


def summary(event: Event) -> tuple[str, str | None, str | None, str | None, str]:
    return (event.event_type, event.mode, event.actor.country if event.actor else None,
            event.recipient.country if event.recipient else None, event.modality)


@pytest.mark.parametrize(("text", "expected"), [
    ("Russia called for an immediate ceasefire.", [("REQUEST", "yield", "RUS", None, "asserted")]),
    ("Israel shelled Gaza.", [("ASSAULT", "heavy-weapons", "ISR", "PSE", "asserted")]),
    ("Israel did not attack Iran.", [("ASSAULT", None, "ISR", "IRN", "negated")]),
    ("Israel could attack Iran.", [("ASSAULT", None, "ISR", "IRN", "hypothetical")]),
    ("If talks fail, Israel will attack Iran.", [("ASSAULT", None, "ISR", "IRN", "hypothetical")]),
    ("Israel will attack Iran.", [("ASSAULT", None, "ISR", "IRN", "future")]),
    ("Israel plans to attack Iran.", [("ASSAULT", None, "ISR", "IRN", "future")]),
    ("Iran threatened to attack Israel.", [("THREATEN", None, "IRN", "ISR", "asserted")]),
    ("Armenia imposed martial law.", [("COERCE", "martial-law", "ARM", None, "asserted")]),
    ("Armenia announced general mobilization.", [("MOBILIZE", "troops", "ARM", None, "asserted")]),
    ("Baku denied the reports.", [("REJECT", None, "AZE", None, "asserted")]),
    ("Armenia accused Azerbaijan of shelling civilians.", [("ACCUSE", "disapprove", "ARM", "AZE", "asserted")]),
    ("The protesters staged a hunger strike.", [("PROTEST", "hunger", None, None, "asserted")]),
    ("Russia said Armenia must withdraw its troops.", [("REQUEST", "yield", "RUS", "ARM", "asserted")]),
    ("Russia said it will withdraw its troops.", [("AGREE", None, "RUS", None, "asserted")]),
    ("Hamas said it would attack Israel.", [("THREATEN", "violence", "PSE", "ISR", "asserted")]),
    ("Iran rejected a Chinese offer to host talks.", [("REJECT", "meet", "IRN", None, "asserted")]),
])
def test_events_coder_types_roles_and_modality(code: Any, text: str, expected: list[tuple[Any, ...]]) -> None:
    assert [summary(e) for e in code(text)] == expected


@pytest.mark.parametrize(("text", "event_type", "mode"), [
    ("Police fired tear gas at the protesters.", "ASSAULT", "crowd-control"),
    ("Gunmen shot two policemen.", "ASSAULT", "firearms"),
    ("A court in Baku convicted the journalist.", "SANCTION", "convict"),
    ("Russia deployed missiles near the border.", "MOBILIZE", "weapons"),
    ("Protesters vandalized the embassy.", "PROTEST", "vandalize"),
    ("Hackers launched a cyberattack on the ministry.", "COERCE", "cyber"),
    ("The two presidents held a phone call.", "CONSULT", "phone"),
    ("Israel launched air strikes on Gaza.", "ASSAULT", "aerial"),
    ("Iran released the sailors.", "RETREAT", "release"),
    ("The minister resigned.", "RETREAT", "resign"),
    ("The rebels declared a ceasefire.", "RETREAT", "ceasefire"),
    ("Washington imposed sanctions on Iran.", "SANCTION", None),
    ("Thousands of workers went on strike.", "PROTEST", "strike"),
])
def test_events_coder_modes(code: Any, text: str, event_type: str, mode: str | None) -> None:
    assert [(e.event_type, e.mode) for e in code(text)][:1] == [(event_type, mode)]


@pytest.mark.parametrize("text", [
    "Armenia relies on Russia as a protective power.",
    "The region, which is controlled by Armenia, is part of Azerbaijan.",
    "A ceasefire has existed in the region since 1994, but it has been repeatedly broken.",
    "The spokeswoman said the situation was calm.",
    "Both sides said the fighting was a counter-offensive.",
    "The United States announced similar measures against Iran.",
])
def test_events_coder_states_and_speech_are_not_events(code: Any, text: str) -> None:
    assert code(text) == []


def test_events_coder_compound_actors_give_one_event_per_pair(code: Any) -> None:
    events = code("Armenia and Azerbaijan attacked Iran and Israel.")
    assert sorted((e.actor.country, e.recipient.country) for e in events if e.actor and e.recipient) == [
        ("ARM", "IRN"), ("ARM", "ISR"), ("AZE", "IRN"), ("AZE", "ISR")]


def test_events_coder_hyphenated_word_is_one_participant(code: Any) -> None:
    events = code("The police force monitors websites and e-mails.")
    recipients = {e.recipient.text for e in events if e.recipient}
    assert "websites" in recipients
    assert not recipients & {"e", "-", "mails"}


def test_events_coder_reciprocal_between_gives_both_directions(code: Any) -> None:
    events = code("Heavy fighting broke out between Azerbaijan and Armenia.")
    assert {(e.event_type, e.actor.country, e.recipient.country) for e in events if e.actor and e.recipient} == {
        ("ASSAULT", "AZE", "ARM"), ("ASSAULT", "ARM", "AZE")}
    assert all(e.evidence.trigger == "fighting" for e in events)


def test_events_coder_passive_voice_puts_the_subject_as_recipient(code: Any) -> None:
    [event] = code("The capital Stepanakert had been shelled.")
    assert event.event_type == "ASSAULT" and event.actor is None
    assert event.recipient is not None and "Stepanakert" in event.recipient.text


def test_events_coder_passive_agent_is_the_actor(code: Any) -> None:
    [event] = code("Gaza was bombed by Israel.")
    assert (event.actor.country if event.actor else None, event.recipient.country if event.recipient else None) == (
        "ISR", "PSE")


def test_events_coder_keeps_unresolved_mention_text(code: Any) -> None:
    [event] = code("Numerous houses in villages were destroyed.")
    assert (event.event_type, event.mode) == ("ASSAULT", "destroy")
    assert event.recipient is not None and (event.recipient.text, event.recipient.country) == ("Numerous houses", None)


@pytest.mark.parametrize(("text", "dead", "injured"), [
    ("Israeli forces shelled Gaza, killing 6 civilians.", 6, None),
    ("Three soldiers were killed.", 3, None),
    ("Civilians were also killed in the fighting.", None, None),
    ("Police wounded 12 protesters.", None, 12),
    ("At least 12 people were killed.", 12, None),
    ("Troops shelled the town, killing 6 civilians and wounding 12 others.", 6, 12),
    ("Dozens of people were killed.", None, None),
])
def test_events_coder_fatalities(code: Any, text: str, dead: int | None, injured: int | None) -> None:
    [event] = code(text)
    assert event.event_type == "ASSAULT"
    assert (event.fatalities.dead, event.fatalities.injured) == (dead, injured)
    assert event.fatalities.text is not None


def test_events_coder_compound_victims_keep_their_own_counts(code: Any) -> None:
    events = code("Rebels killed twenty-five soldiers and 1,200 civilians.")
    assert sorted((e.recipient.text if e.recipient else "", e.fatalities.dead) for e in events) == [
        ("1,200 civilians", 1200), ("twenty-five soldiers", 25)]


def test_events_coder_casualty_clause_joins_its_event(code: Any) -> None:
    [event] = code("Israeli forces shelled Gaza, killing 6 civilians.")
    assert event.evidence.trigger == "shelled"
    assert event.fatalities.text == "killing 6 civilians"


@pytest.mark.parametrize(("text", "modality"), [
    ("In July there was heavy fighting between Armenia and Azerbaijan.", "historical"),
    ("In 2016 Azerbaijan attacked Armenia.", "historical"),
    ("Azerbaijan attacked Armenia on Sunday.", "asserted"),
    ("Following the collapse of the Soviet Union, Armenia attacked Azerbaijan.", "historical"),
])
def test_events_coder_historical_cues(code: Any, text: str, modality: str) -> None:
    events = code(text)
    assert events and {e.modality for e in events} == {modality}


def test_events_coder_month_cue_needs_a_publication_date(code: Any) -> None:
    events = code("In July there was heavy fighting between Armenia and Azerbaijan.", published=None)
    assert {e.modality for e in events} == {"asserted"}


def test_events_coder_record_fields(code: Any) -> None:
    text = "The weather was cold. Meanwhile, Russia called for an immediate ceasefire in the region."
    [event] = code(text)
    assert (event.doc_id, event.published, event.publisher) == ("doc-1", PUBLISHED, "AFP")
    assert (event.cameo_root, event.quad_class, event.contexts) == ("02", "verbal-conflict", ("military",))
    assert text[event.evidence.start:event.evidence.end] == event.evidence.sentence
    assert event.evidence.sentence.startswith("Meanwhile")
    assert event.evidence.trigger_start is not None
    assert text[event.evidence.trigger_start:].startswith(event.evidence.trigger) and event.evidence.trigger == "called"
    assert (event.sources, event.claim_status, event.disputed_by) == ((), "uncontested", ())
    assert event.actor is not None and event.actor.text == "Russia"


def test_events_coder_news_agency_is_never_an_actor(code: Any) -> None:
    events = code("According to AFP, the rebels attacked Armenia.")
    assert [e.actor.text if e.actor else None for e in events] == ["the rebels"]


def test_events_coder_pipe_keeps_order(nlp: Any, coder: EventCoder) -> None:
    texts = ["Israel shelled Gaza.", "Armenia relies on Russia.", "Russia urged Armenia to withdraw."]
    docs = [ParsedDoc(Document(id=str(i), text=t, published=None), nlp(t)) for i, t in enumerate(texts)]
    assert [[e.event_type for e in events] for events in coder.pipe(docs)] == [["ASSAULT"], [], ["REQUEST"]]


def test_events_coder_resolves_each_mention_once_per_document(nlp: Any) -> None:
    resolver = TinyResolver()
    coder = EventCoder(resolver)
    text = "Israel shelled Gaza. Israel bombed Gaza again."
    coder(ParsedDoc(Document(id="d", text=text, published=None), nlp(text)))
    assert resolver.calls.count("Israel") == 1


def test_events_coder_killed_and_wounded_is_one_event(code: Any) -> None:
    [event] = code("Three civilians were killed and nine wounded.")
    assert (event.fatalities.dead, event.fatalities.injured) == (3, 9)


def test_events_coder_casualties_take_the_mode_of_their_cause(code: Any) -> None:
    [event] = code("At least 14 civilians were killed in shelling in the city.")
    assert (event.event_type, event.mode, event.fatalities.dead) == ("ASSAULT", "heavy-weapons", 14)


def test_events_coder_instrument_is_not_the_recipient(code: Any) -> None:
    [event] = code("Israeli police fired tear gas at the protesters.")
    assert event.mode == "crowd-control"
    assert event.recipient is not None and event.recipient.text == "the protesters"


def test_events_coder_invariants_on_the_sample_corpus(nlp: Any, coder: EventCoder) -> None:
    from pathlib import Path

    from eventcoder.ingest import read_documents
    from eventcoder.model import MODALITIES

    corpus = Path(__file__).resolve().parent.parent / "corpus"
    documents = list(read_documents([str(corpus)], on_error="raise"))
    assert len(documents) >= 6
    total = 0
    for document in documents:
        for event in coder(ParsedDoc(document, nlp(document.text))):
            total += 1
            evidence = event.evidence
            assert document.text[evidence.start:evidence.end] == evidence.sentence
            assert evidence.trigger_start is not None and evidence.start <= evidence.trigger_start < evidence.end
            assert event.modality in MODALITIES and event.quad_class and event.cameo_root
            assert event.actor is None or event.actor.text.strip()
            assert event.recipient is None or event.recipient.text.strip()
    assert total > 40


@pytest.mark.parametrize(("text", "types"), [
    ("The critic praised the film.", []),
    ("Russia praised Armenia.", ["SUPPORT"]),
])
def test_events_coder_dictionary_verbs_need_a_known_participant(code: Any, text: str, types: list[str]) -> None:
    assert [e.event_type for e in code(text)] == types


@pytest.mark.parametrize(("text", "expected"), [
    # a date is never the target: "at Israel", not "on Monday"
    ("Hamas fired rockets at Israel on Monday.", [("ASSAULT", "PSE", "ISR")]),
    # the owner of a rejected proposal, of an event noun, is the recipient
    ("Iran rejected the Israeli proposal.", [("REJECT", "IRN", "ISR")]),
    # who must act in a demand, who is to be acted on in a threat
    ("Russia demanded that Armenia withdraw its troops.", [("REQUEST", "RUS", "ARM")]),
    ("Iran threatened to expel the Israeli ambassador.", [("THREATEN", "IRN", "ISR")]),
    # an object that names no actor gives way to what it is about
    ("Russia expressed solidarity with Armenia.", [("SUPPORT", "RUS", "ARM")]),
    # an event noun counted by money or a group noun is still carried by the verb
    ("Japan announced 50 million dollars in aid for Gaza.", [("AID", "JPN", "PSE")]),
    ("China hosted a new round of talks between Armenia and Azerbaijan.",
     [("CONSULT", "CHN", "ARM"), ("CONSULT", "CHN", "AZE")]),
    # the tokenizer splits hyphenated nouns
    ("The protesters staged a sit-in.", [("PROTEST", None, None)]),
    # a phrasal verb's own sense wins over the Phoenix patterns of its head verb
    ("Pashinyan stepped down on Monday.", [("RETREAT", "ARM", None)]),
    # a demand made while acting is an event of its own; the reason given ("for buying") is not
    ("Israeli protesters blocked a highway in Tel Aviv demanding a deal.", [("PROTEST", None, None),
                                                                             ("REQUEST", None, None)]),
    ("The United States sanctioned China for buying Iranian oil.", [("SANCTION", "USA", "CHN")]),
    # a curated pattern outranks the Phoenix ones: warplanes are mobilised, not given
    ("Russia sent warplanes to the border.", [("MOBILIZE", "RUS", None)]),
    ("Israel shared intelligence with the United States.", [("COOPERATE", "ISR", "USA")]),
    # what was sent by a warning's subject is what the warning is about, not a new event
    ("Russia warned Japan that sending troops to Armenia would lead to war.", [("THREATEN", "RUS", "JPN")]),
])
def test_events_coder_generalises_roles_and_triggers(code: Any, text: str,
                                                     expected: list[tuple[str, str | None, str | None]]) -> None:
    found = [(e.event_type, e.actor.country if e.actor else None, e.recipient.country if e.recipient else None)
             for e in code(text)]
    assert found == expected


@pytest.mark.parametrize(("text", "actor", "sector"), [
    ("Three civilians were killed in an Israeli drone strike on a car.", "ISR", None),
    ("Two civilians were wounded in Azerbaijani fire on the village.", "AZE", None),
    ("Two militants died during a police raid on Friday.", None, "COP"),
    ("Two civilians were killed in a bombing claimed by Hamas.", "PSE", "REB"),
])
def test_events_coder_agent_inside_the_instrument(code: Any, text: str, actor: str | None, sector: str | None) -> None:
    [event] = [e for e in code(text) if e.event_type == "ASSAULT"]
    assert event.actor is not None
    assert event.actor.country == actor
    if sector is not None:
        assert event.actor.sector == sector


def test_events_coder_unknown_perpetrator_stays_empty(code: Any) -> None:
    [event] = [e for e in code("Three civilians were killed in a strike on a car.") if e.event_type == "ASSAULT"]
    assert event.actor is None


@pytest.mark.parametrize("text", [
    "Citizens of Japan voted to elect a new parliament on Sunday.",
    "Armenians voted in a parliamentary election on Sunday.",
    "The parliament approved a pensions bill on Friday.",
    "Lawmakers adopted a bill criminalising same-sex relations.",
])
def test_events_coder_elections_and_bare_laws_are_no_events(code: Any, text: str) -> None:
    assert code(text) == []


def test_events_coder_a_law_that_names_an_actor_stays_an_event(code: Any) -> None:
    events = code("The parliament approved a law recognising the victories of Nikol Pashinyan's party.")
    assert [e.event_type for e in events] == ["CONCEDE"]


@pytest.mark.parametrize(("text", "negated"), [
    ("Japan ruled out sending troops to Armenia.", "MOBILIZE"),
    ("Japan declined to send troops to Armenia.", "MOBILIZE"),
    ("Japan refused to send troops to Armenia.", "MOBILIZE"),
])
def test_events_coder_decisions_not_to_act_are_negated(code: Any, text: str, negated: str) -> None:
    events = code(text)
    assert events  # the refusal, or the act negated
    assert not [e for e in events if e.event_type == negated and e.modality != "negated"]


@pytest.mark.parametrize("text", [
    "Washington ordered a freeze on all foreign aid.",
    "Japan froze budget support to Armenia.",
    "Washington cut its funding for Armenia.",
])
def test_events_coder_aid_freezes_are_sanctions(code: Any, text: str) -> None:
    assert [(e.event_type, e.mode) for e in code(text)] == [("SANCTION", "discontinue")]


def test_events_coder_sponsor_is_not_the_country(code: Any) -> None:
    [event] = [e for e in code("Israel struck a camp of an Iran-backed militia.") if e.event_type == "ASSAULT"]
    assert event.recipient is not None and event.recipient.country is None


def test_events_coder_victims_near_an_embassy_are_not_its_country(code: Any) -> None:
    [event] = [e for e in code("A blast killed five civilians near the Israeli embassy.") if e.event_type == "ASSAULT"]
    assert event.recipient is not None and event.recipient.country is None


def test_events_coder_talks_between_parties_are_with_them(code: Any) -> None:
    events = [e for e in code("Japan mediated talks between Armenia and Azerbaijan.") if e.event_type == "CONSULT"]
    assert {(e.actor.country if e.actor else None, e.recipient.country if e.recipient else None)
            for e in events} == {("JPN", "ARM"), ("JPN", "AZE")}


def test_events_coder_those_engaged_in_fighting_are_the_actors(code: Any) -> None:
    events = [e for e in code("Armenian soldiers were engaged in fighting against Azerbaijan.") if e.actor is not None]
    assert events and all(e.actor is not None and e.actor.country == "ARM" for e in events)


def test_events_coder_taking_control_of_a_town_is_seizing_it(code: Any) -> None:
    events = code("Pro-Armenian rebels took control of the town of Lachin.")
    assert [(e.event_type, e.mode) for e in events] == [("COERCE", "seize")]


def test_events_coder_a_common_noun_agent_must_name_a_kind_of_actor(code: Any) -> None:
    # "roadside" resolves to nothing here; "police" is a kind of actor
    [event] = [e for e in code("Three civilians were killed in a roadside bombing.") if e.event_type == "ASSAULT"]
    assert event.actor is None


def test_events_coder_victims_are_not_of_the_attackers_country(code: Any) -> None:
    events = code("Three civilians were killed and two others injured during Israeli airstrikes.")
    assert all(e.recipient is None or e.recipient.country != "ISR" for e in events)


@pytest.mark.parametrize(("text", "modality"), [
    ("Azerbaijan closed the border in 2016 after Armenia attacked its posts.", "historical"),
    ("Azerbaijan closed the border in March 2014 after Armenian troops shelled its villages.", "historical"),
    ("Azerbaijan closed the border on Sunday after Armenia attacked its posts.", "asserted"),
])
def test_events_coder_clause_after_a_dated_one_takes_its_date(code: Any, text: str, modality: str) -> None:
    attacks = [e for e in code(text) if e.event_type == "ASSAULT"]
    assert attacks and {e.modality for e in attacks} == {modality}


def test_events_coder_headline_event_told_again_in_the_story_counts_once(code: Any) -> None:
    events = code("Armenia attacks Azerbaijani posts\n\nArmenian forces attacked Azerbaijani border posts on Sunday, "
                  "the ministry said.")
    assert [(e.event_type, e.evidence.trigger) for e in events] == [("ASSAULT", "attacked")]


def test_events_coder_headline_event_the_story_does_not_retell_stays(code: Any) -> None:
    events = code("Armenian troops shell Azerbaijani villages\n\nThe foreign ministers met in Moscow on Sunday.")
    assert "ASSAULT" in {e.event_type for e in events}


@pytest.mark.parametrize(("text", "threat"), [
    ("Thousands of jobs in Japan are at risk from cheap imports, China has warned.", False),
    ("China warns on cost of tariffs", False),
    ("Iran warned that any incursion would be met with force.", True),
    ("China warned Japan that the islands must not be armed.", True),
    ("Iran warned of retaliation.", True),
    ("Israeli officers said residents of Gaza had been warned to leave.", True),
])
def test_events_coder_a_gloomy_forecast_is_no_threat(code: Any, text: str, threat: bool) -> None:
    assert ("THREATEN" in {e.event_type for e in code(text)}) is threat


def test_events_coder_unable_to_act_is_negated(code: Any) -> None:
    events = code("Armenian troops were unable to attack the town.")
    assert events and {e.modality for e in events} == {"negated"}


@pytest.mark.parametrize(("text", "actor", "recipient"), [
    ("Baku said Armenian rebels were responsible for the killings.", "AZE", "ARM"),
    ("Baku said Armenian rebels were behind the shooting.", "AZE", "ARM"),
    ("Yerevan pointed the finger at Azerbaijani troops.", "ARM", "AZE"),
    ("Moscow, which blamed the deaths on Armenian rebels, said its troops target only fighters.", "RUS", None),
])
def test_events_blame_phrasings_are_accusations(code: Any, text: str, actor: str, recipient: str | None) -> None:
    accusations = [e for e in code(text) if e.event_type == "ACCUSE"]
    assert accusations, text
    # the blamer of "said X were behind" is found by the claims stage (the speaker)
    assert accusations[0].actor is None or accusations[0].actor.country == actor
    if recipient is not None:
        assert any(e.recipient is not None and e.recipient.country == recipient for e in accusations)


def test_events_an_attack_an_accusation_tells_as_fact_is_coded(code: Any) -> None:
    events = code("Israel blamed Hamas for a rocket strike that killed 12 children in Sderot.")
    assert sorted(e.event_type for e in events) == ["ACCUSE", "ASSAULT"]


@pytest.mark.parametrize("text", [
    "Israel accused Hamas of firing rockets at Sderot.",
    "Israel blamed Hamas for the rocket strike on Sderot.",
    "Moscow accused Armenian rebels of shelling a village in a night raid.",
])
def test_events_what_an_accusation_blames_is_not_an_event(code: Any, text: str) -> None:
    assert "ASSAULT" not in [e.event_type for e in code(text) if e.modality == "asserted"], text


@pytest.mark.parametrize("text", [
    "Israel said it killed Asaad Sharia, leader of the Brigades which was responsible for the abductions of hostages.",
    "Hamas, which was behind the attack on Sderot, called for talks.",
])
def test_events_a_blame_describing_someone_is_no_accusation(code: Any, text: str) -> None:
    assert "ACCUSE" not in [e.event_type for e in code(text)], text
