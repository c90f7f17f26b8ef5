"""Print claims for people: per event, who claims it and who disputes it."""

from __future__ import annotations

import textwrap

from eventcoder.model import ActorRef, Event, Source

SENTENCE_WIDTH = 100


def format_claims(events: list[Event]) -> str:
    """Return a readable account of each event's sources and disputes, one block per event.

    Example block::

        14. ASSAULT (heavy-weapons)  Yerevan [ARM GOV] -> helicopters [AZE MIL]  (disputed)
           "Yerevan shot down helicopters and combat drones."
           claimed by: the spokeswoman for the Armenian Defense Ministry [ARM MIL] (said, continued)
           disputed by: REJECT 44faa041 by Baku [AZE GOV]
           id 9f2900f2
    """
    if not events:
        return "(no events)"
    by_id = {event.id: event for event in events}
    blocks = []
    for number, event in enumerate(events, 1):
        head = f"{number}. {event.event_type}"
        if event.mode:
            head += f" ({event.mode})"
        head += f"  {_actor(event.actor)} -> {_actor(event.recipient)}  ({event.claim_status}"
        if event.modality != "asserted":
            head += f", {event.modality}"
        head += ")"
        lines = [head, f'   "{textwrap.shorten(event.evidence.sentence, SENTENCE_WIDTH, placeholder=" ...")}"']
        claimed = "; ".join(_source(s) for s in event.sources) or "nobody named"
        lines.append(f"   claimed by: {claimed}")
        for denial_id in event.disputed_by:
            denial = by_id.get(denial_id)
            who = f"by {_actor(denial.actor)}" if denial is not None else "(not in this list)"
            lines.append(f"   disputed by: REJECT {denial_id[:8]} {who}")
        lines.append(f"   id {event.id[:8]}")
        blocks.append("\n".join(lines))
    return "\n".join(blocks)


def _actor(actor: ActorRef | None) -> str:
    if actor is None:
        return "?"
    codes = " ".join(code for code in (actor.country, actor.sector) if code)
    return f"{actor.text} [{codes}]" if codes else actor.text


def _source(source: Source) -> str:
    text = _actor(source.actor) if source.actor is not None else source.text
    return f"{text} ({source.cue})" if source.cue else text
