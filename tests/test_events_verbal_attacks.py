"""Verbal attacks are criticism: "attacked Labour's pledges" is ACCUSE, "attacked a bus" stays ASSAULT.

The event coder runs alone (no relevance stage, no later stages) on the session pipeline's parser and actor KB.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from eventcoder.errors import DataError
from eventcoder.events import datafiles
from eventcoder.events.lexicon import load_lexicon
from eventcoder.model import Document, Event

PUBLISHED = date(2023, 6, 14)


def code(pipeline: Any, text: str) -> list[Event]:
    parsed = pipeline.parser(Document(id="verbal-attack", text=text, published=PUBLISHED))
    return list(pipeline.event_coder(parsed))


def by_trigger(events: list[Event], trigger: str) -> list[tuple[str, str | None, str | None]]:
    return [(e.event_type, e.actor.country if e.actor else None, e.recipient.country if e.recipient else None)
            for e in events if e.evidence.trigger == trigger]


@pytest.mark.parametrize(("text", "trigger", "expected"), [
    # Aimed at a statement, decision or policy: criticism of whose it is.
    ("The Kremlin slammed Washington's decision to expel Russian diplomats.", "slammed", ("ACCUSE", "RUS", "USA")),
    ("Iran's foreign minister blasted the American sanctions policy.", "blasted", ("ACCUSE", "IRN", "USA")),
    ("Iraq's prime minister attacked Iran's remarks on the border.", "attacked", ("ACCUSE", "IRQ", "IRN")),
    ("Japan's prime minister assailed China's maritime claims.", "assailed", ("ACCUSE", "JPN", "CHN")),
    ("Egypt's foreign minister slammed Ethiopia's plan to fill the dam.", "slammed", ("ACCUSE", "EGY", "ETH")),
    # The object of the phrasal verb: "hit out at", "rounded on".
    ("Germany's chancellor hit out at Poland's judicial reforms.", "hit out", ("ACCUSE", "DEU", "POL")),
    ("Canada's foreign minister rounded on Beijing's handling of the trade dispute.", "rounded",
     ("ACCUSE", "CAN", "CHN")),
    # The passive: the statement is the subject, the critic comes with "by".
    ("The French president's pension reform was savaged by German commentators.", "savaged",
     ("ACCUSE", "DEU", "FRA")),
    # Said with an accusation: the person attacked is the recipient, the accusation no second event.
    ("Serbia's president attacked Kosovo's prime minister, accusing him of provoking violence in the north.",
     "attacked", ("ACCUSE", "SRB", "XKX")),
    ("Hungary's prime minister hammered Ukraine's president, accusing him of discriminating against Hungarians.",
     "hammered", ("ACCUSE", "HUN", "UKR")),
    # A verb that is no violence criticises with what is said with it, or over a policy.
    ("Poland's president slammed the German chancellor, saying he had ignored Warsaw's warnings.", "slammed",
     ("ACCUSE", "POL", "DEU")),
    ("China's foreign ministry slammed the United States over its export controls.", "slammed",
     ("ACCUSE", "CHN", "USA")),
    # Violence stays violence, "blast" the noun included.
    ("Pakistani troops attacked Indian positions in Kashmir.", "attacked", ("ASSAULT", "PAK", "IND")),
    ("Turkish jets attacked Kurdish militant camps in northern Iraq.", "attacked", ("ASSAULT", "TUR", "IRQ")),
    ("Rebels attacked an army post in northern Mali.", "attacked", ("ASSAULT", None, "MLI")),
    ("Russian troops attacked the town of Bakhmut.", "attacked", ("ASSAULT", "RUS", None)),
    ("Gunmen attacked a bus carrying pilgrims in Pakistan.", "attacked", ("ASSAULT", "PAK", None)),
    ("A blast killed five soldiers in Kabul on Monday.", "killed", ("ASSAULT", None, "AFG")),
    ("A car bomb blasted a police station in Baghdad.", "blasted", ("ASSAULT", None, None)),
    # Violence with a motive or a claim stays violence.
    # (the checkpoint takes the country of the place it stands in: issue 21)
    ("Gunmen attacked a checkpoint in Kashmir, saying they were avenging their leader.", "attacked",
     ("ASSAULT", None, "IND")),
])
def test_events_verbal_attack_is_accuse_physical_attack_is_assault(
        pipeline: Any, text: str, trigger: str, expected: tuple[str, str | None, str | None]) -> None:
    assert by_trigger(code(pipeline, text), trigger) == [expected]


@pytest.mark.parametrize("text", [
    "Serbia's president attacked Kosovo's prime minister, accusing him of provoking violence in the north.",
    "The Kremlin slammed Washington's decision to expel Russian diplomats.",
])
def test_events_verbal_attack_is_one_event(pipeline: Any, text: str) -> None:
    assert [e.event_type for e in code(pipeline, text)] == ["ACCUSE"]


def test_events_verbal_attack_recipient_is_whose_statement_it_is(pipeline: Any) -> None:
    [event] = code(pipeline, "Germany's chancellor hit out at Poland's judicial reforms.")
    assert event.recipient is not None and event.recipient.text.startswith("Poland")
    assert (event.cameo_root, event.quad_class, event.mode) == ("11", "verbal-conflict", "disapprove")


def test_events_verbal_attack_without_an_owner_has_no_recipient(pipeline: Any) -> None:
    [event] = code(pipeline, "Germany's chancellor hit out at the plan.")
    assert (event.event_type, event.recipient) == ("ACCUSE", None)


def test_events_verbal_attack_lexicon_entries_parse() -> None:
    cues = load_lexicon().criticism
    assert cues.sense.event_type == "ACCUSE" and cues.sense.curated
    assert {"attack", "slam", "blast", "hit out", "round on"} <= cues.verbs
    assert {"pledge", "policy", "budget", "ruling", "decision"} <= cues.objects
    assert all(word == word.strip().lower() and word for word in cues.verbs | cues.objects | cues.participles)
    assert not cues.objects & load_lexicon().instruments  # a weapon is never a statement


def test_events_verbal_attack_lexicon_needs_a_sense(monkeypatch: pytest.MonkeyPatch) -> None:
    original = datafiles.read_text

    def broken(name: str) -> str:
        text = original(name)
        return text.replace('sense: {code: "111"}', "sense: null") if name == "triggers.yaml" else text

    monkeypatch.setattr(datafiles, "read_text", broken)
    load_lexicon.cache_clear()
    try:
        with pytest.raises(DataError, match=r"criticism\.sense"):
            load_lexicon()
    finally:
        monkeypatch.undo()
        load_lexicon.cache_clear()
