"""Run the real ``eventcoder`` CLI with a light, deterministic coding stage set (a test-only plugin).

The crash and concurrency tests start this as a subprocess and kill it with SIGKILL; the coding
stages under development are not needed to prove that the batch and the store lose nothing.

    python tests/reliability_batch.py [--resume] code CORPUS --db DB -o OUT

``--resume`` is passed on as ``eventcoder code --resume``.
``RELIABILITY_DELAY_S`` (seconds a document) slows coding down so a kill lands mid-run.
"""

from __future__ import annotations

import os
import re
import sys
import time
from datetime import date
from functools import cached_property
from typing import Any

import spacy

from eventcoder import batch
from eventcoder.model import ActorRef, Event, Evidence, Location
from eventcoder.nlp import ParsedDoc, Parser
from eventcoder.pipeline import Pipeline

TRIGGERS = {"shelled": "ASSAULT", "attacked": "ASSAULT", "protested": "PROTEST", "met": "CONSULT"}
COUNTRIES = {"armenia": "ARM", "azerbaijan": "AZE", "russia": "RUS", "turkey": "TUR", "france": "FRA"}
PLACES = {"ganja": ("Ganja", 40.68, 46.36, "AZE"), "stepanakert": ("Stepanakert", 39.82, 46.75, "AZE"),
          "yerevan": ("Yerevan", 40.18, 44.51, "ARM")}
WORD = re.compile(r"[A-Za-z]+")


class KeywordCoder:
    """One event a trigger word; actor and recipient the first and last country named in its sentence."""

    def __call__(self, parsed: ParsedDoc) -> list[Event]:
        delay = float(os.environ.get("RELIABILITY_DELAY_S", "0"))
        if delay:
            time.sleep(delay)
        document = parsed.document
        found: list[Event] = []
        for sentence in parsed.doc.sents:
            words = [w.lower() for w in WORD.findall(sentence.text)]
            named = [w for w in words if w in COUNTRIES]
            place = next((PLACES[w] for w in words if w in PLACES), None)
            for token in sentence:
                event_type = TRIGGERS.get(token.lower_)
                if event_type is None:
                    continue
                found.append(Event(
                    doc_id=document.id, event_type=event_type, published=document.published,
                    publisher=document.publisher,
                    evidence=Evidence(sentence.text, sentence.start_char, sentence.end_char, token.text, token.idx),
                    actor=_actor(named[0]) if named else None,
                    recipient=_actor(named[-1]) if len(named) > 1 else None,
                    date=document.published, date_precision="day" if document.published else None,
                    location=Location(place[0], place[1], place[2], place[3], None, None, "city") if place else None,
                ))
        return found


def _actor(word: str) -> ActorRef:
    return ActorRef(word.title(), word.title(), COUNTRIES[word], "GOV")


class LightPipeline(Pipeline):
    """The real Pipeline with a blank English sentence splitter and the keyword coder (no relevance model)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
        super().__init__(resolver=object(), stages=[], parser=Parser(nlp), relevance=False)  # type: ignore[arg-type]

    @cached_property
    def event_coder(self) -> KeywordCoder:  # type: ignore[override]
        return KeywordCoder()


def corpus_text(number: int) -> str:
    """Return the ``number``-th article of a synthetic corpus whose events merge across articles."""
    day = date(2020, 9, 20 + number % 7)
    pairs = [("Armenia", "Azerbaijan", "Ganja"), ("Azerbaijan", "Armenia", "Stepanakert"),
             ("Russia", "Turkey", "Yerevan"), ("France", "Russia", "Yerevan")]
    actor, target, place = pairs[number % len(pairs)]
    return (f"date {day.isoformat()}\n"
            f"Report {number}. {actor} shelled {target} near {place} on that day, officials said. "
            f"Crowds protested in {place} against {actor} afterwards.\n\n"
            f"Envoys of {target} and {actor} met in Moscow, report {number % 5} says.\n")


def main(argv: list[str]) -> None:
    batch.Pipeline = LightPipeline  # type: ignore[misc]
    if argv and argv[0] == "--resume":  # the CLI's own flag, given after the command
        argv = [*argv[1:], "--resume"]
    from eventcoder.cli import main as cli

    cli(argv)


if __name__ == "__main__":
    main(sys.argv[1:])
