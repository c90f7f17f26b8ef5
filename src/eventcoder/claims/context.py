"""What the claims steps read from the document being linked (``linker.DocumentClaims`` provides it).

The steps (merge, reciprocal, speaker_side, confirmations) take this protocol rather than the linker's
class, so that the linker imports them and nothing imports the linker back.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Protocol

from spacy.tokens import Doc, Span

from eventcoder.claims.attribution import Attribution
from eventcoder.claims.cues import Cues
from eventcoder.claims.report import Claim
from eventcoder.model import ActorRef


class ClaimsContext(Protocol):
    """One parsed document as the claims steps see it: sentences, speech acts, resolved speakers."""

    cues: Cues
    doc: Doc
    sents: list[Span]

    def attributions(self, index: int) -> list[Attribution]:
        """Return the speech acts of sentence ``index``."""
        ...

    def resolved(self, index: int) -> list[list[Claim]]:
        """Return the claims of each speech act of sentence ``index``."""
        ...

    def speaker_actor(self, span: Span) -> ActorRef | None:
        """Resolve a phrase as a speaker or agent."""
        ...

    def parties(self, index: int) -> list[ActorRef]:
        """Return the story's two warring parties as seen from sentence ``index``."""
        ...

    def countries(self, ents: Iterable[Span], counts: Counter[str] | None = None) -> dict[str, ActorRef]:
        """Resolve place and group names to countries, keeping the first reference to each."""
        ...
