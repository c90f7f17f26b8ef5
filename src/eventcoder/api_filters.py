"""The API's event filters: query parameters shared by ``/events`` and ``/export`` (the web page's names).

``modality``, ``mode``, ``fatalities``, ``actor_contains`` and ``q`` are the web page's own filters, so that an
export gives what the page shows (the page's actor box is a substring: it sends ``actor_contains``;
``actor`` stays an exact code or name; its text search is ``q``).
"""

# No `from __future__ import annotations`: FastAPI reads the dependency's annotations.
from collections.abc import Callable
from datetime import date
from typing import Annotated, Literal

from fastapi import HTTPException, Query

from eventcoder.config import Config
from eventcoder.model import Modality
from eventcoder.store import EventFilter, parse_bbox

Status = Literal["uncontested", "corroborated", "disputed"]
Fatal = Literal["dead", "hurt"]
_NUMBER = r"\s*-?\d+(\.\d+)?\s*"
BBOX_PATTERN = rf"^{_NUMBER}(,{_NUMBER}){{3}}$"


def event_filters(config: Config) -> Callable[..., EventFilter]:
    """Return the FastAPI dependency that reads the filter parameters into an ``EventFilter`` (422 if wrong)."""

    def filters(
        date_from: Annotated[date | None, Query(description="Events on or after this day.")] = None,
        date_to: Annotated[date | None, Query(description="Events on or before this day.")] = None,
        event_type: Annotated[str | None, Query(pattern=r"^[A-Za-z]{2,16}$", description="PLOVER type.")] = None,
        country: Annotated[str | None, Query(pattern=r"^[A-Za-z]{2,8}$",
                                             description="Place, actor or recipient country code.")] = None,
        actor: Annotated[str | None, Query(min_length=1, max_length=200,
                                           description="Actor or recipient code or name (whole).")] = None,
        status: Annotated[Status | None, Query(description="Claim status.")] = None,
        bbox: Annotated[str | None, Query(json_schema_extra={"pattern": BBOX_PATTERN},
                                          description="min_lon,min_lat,max_lon,max_lat")] = None,
        min_confidence: Annotated[float, Query(
            ge=0.0, le=1.0, allow_inf_nan=False,
            description="Only events of at least this confidence, or never scored (0: every event stored).")
        ] = config.min_confidence,
        modality: Annotated[Modality | None, Query(description="Only events told so (default: every one).")] = None,
        mode: Annotated[str | None, Query(pattern=r"^[a-z][a-z-]{0,31}$", description="PLOVER mode.")] = None,
        fatalities: Annotated[Fatal | None, Query(
            description="dead: someone was killed; hurt: someone was killed or injured.")] = None,
        actor_contains: Annotated[str | None, Query(
            min_length=1, max_length=200,
            description="Part of the actor's or recipient's name, mention or country code (any case).")] = None,
        q: Annotated[str | None, Query(
            max_length=1000,
            description="Text search: every word (split on white space, any case) is part of the event's type, "
                        "mode, actor, recipient, place, publishers, sources, evidence sentences or titles.")] = None,
    ) -> EventFilter:
        box = None
        if bbox is not None:
            try:
                box = parse_bbox(bbox)
            except ValueError as exc:
                raise HTTPException(422, [{"loc": ["query", "bbox"], "msg": str(exc), "type": "value_error"}]) from exc
        if date_from is not None and date_to is not None and date_from > date_to:
            raise HTTPException(422, [{"loc": ["query", "date_to"], "msg": "date_to is before date_from",
                                       "type": "value_error"}])
        return EventFilter(date_from, date_to, event_type, country, actor, status, box, min_confidence,
                           modality=modality, mode=mode, fatalities=fatalities, actor_contains=actor_contains,
                           search=q)

    return filters
