"""Pages of ``GET /events``: the page's JSON, and the same page made straight from a query string.

``Pages.body`` writes a page from the stored records as they are (they are the items' JSON already).
``Pages.make`` answers a query string the way the route does, for ``PageCache`` (api_cache.py): its
parameters are checked by one pydantic model built from the route's own parameter declarations (the
filter dependency's and the route's, with the same constraints), then the filter dependency itself is
called. FastAPI's parameter handling for the 15 parameters costs more than the query and the page together;
this costs a few µs. A query that the model or the dependency refuses is not answered here (``None``):
the route answers it, with its own error.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable
from typing import Annotated, Any, get_args, get_origin

from fastapi import HTTPException, params
from pydantic import BaseModel, ValidationError, create_model

from eventcoder.store import EventFilter, Store


def _query_fields(function: Callable[..., Any]) -> dict[str, Any]:
    """Return the query parameters of a route or dependency as pydantic fields (those that are not Depends)."""
    fields: dict[str, Any] = {}
    for name, parameter in inspect.signature(function).parameters.items():
        annotation = parameter.annotation
        if get_origin(annotation) is Annotated and any(isinstance(m, params.Depends) for m in get_args(annotation)):
            continue
        default = ... if parameter.default is inspect.Parameter.empty else parameter.default
        fields[name] = (annotation, default)
    return fields


class Pages:
    """Write pages of dataset events; after ``bind``, also straight from a query string (module doc)."""

    def __init__(self, store: Callable[[], Store], count: Callable[[EventFilter], int], page_size: int) -> None:
        self.store = store
        self.count = count
        self.page_size = page_size
        self._model: type[BaseModel] | None = None
        self._filters: Callable[..., EventFilter] | None = None
        self._filter_names: tuple[str, ...] = ()

    def body(self, where: EventFilter, limit: int | None, offset: int, cursor: str | None) -> bytes:
        """Return the JSON of one page (an ``EventPage``), the stored records written without parsing them again."""
        size = limit or self.page_size
        total = self.count(where)
        rows = list(self.store().dataset_texts(where, limit=size, offset=offset, after=cursor))
        more = len(rows) == size and (cursor is not None or offset + size < total)
        head = {"total": total, "limit": size, "offset": offset,
                "next_offset": offset + size if cursor is None and offset + size < total else None,
                "next_cursor": rows[-1][1] if more else None}
        return (json.dumps(head)[:-1] + ', "items": [' + ",".join(text for text, _ in rows) + "]}").encode()

    def bind(self, filters: Callable[..., EventFilter], route: Callable[..., Any]) -> None:
        """Read the parameters of the filter dependency and of the route (``limit``, ``offset``, ``cursor``)."""
        filter_fields = _query_fields(filters)
        self._model = create_model("EventsQuery", **filter_fields, **_query_fields(route))
        self._filters = filters
        self._filter_names = tuple(filter_fields)

    def make(self, pairs: list[tuple[str, str]]) -> bytes | None:
        """Return the page a query string asks for, or ``None`` when it is refused (the route then answers)."""
        if self._model is None or self._filters is None:
            return None
        try:
            query = self._model.model_validate(dict(pairs))  # a repeated name: the last value, as the route takes
            values = {name: getattr(query, name) for name in type(query).model_fields}
            where = self._filters(**{name: values[name] for name in self._filter_names})
        except (ValidationError, HTTPException):
            return None
        return self.body(where, values["limit"], values["offset"], values["cursor"])
