"""Claims stage: who says each event happened, which denials dispute it, repeated reports merged.

``ClaimLinker(resolver)(parsed, events)`` fills ``sources``, ``claim_status`` and ``disputed_by``,
writes a reciprocal accusation ("Both sides blamed each other") once per direction, and gives an
actorless passive act in a speaker's account ("Three enemy tanks were hit") the speaker's side;
``format_claims(events)`` prints them for people (``eventcoder claims PATH``). The cues it reads
(speech verbs, "according to", channels, denials, reciprocity, hostile words) live in
``data/claims/cues.yaml``.
"""

from __future__ import annotations

from eventcoder.claims.attribution import Attribution, Mention, find_attributions
from eventcoder.claims.cues import Cues, load_cues, parse_cues
from eventcoder.claims.format import format_claims
from eventcoder.claims.linker import ClaimLinker

__all__ = [
    "Attribution", "ClaimLinker", "Cues", "Mention", "find_attributions", "format_claims", "load_cues", "parse_cues",
]
