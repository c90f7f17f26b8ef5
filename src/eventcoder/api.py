"""The REST API (FastAPI): code and store documents, query and export the merged dataset.

Thin: each route parses, calls the store / pipeline / export functions, and returns.
Writes need the bearer token of the config; bodies over ``max_body_bytes`` get 413; CORS is closed
unless ``cors_origins`` names origins.
"""

# No `from __future__ import annotations`: FastAPI reads route annotations that name local values.
import hmac
import threading
from collections.abc import Callable, Sequence
from datetime import date
from functools import cached_property
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, HTTPException, Query
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from eventcoder import __version__
from eventcoder.config import Config
from eventcoder.errors import EventcoderError
from eventcoder.export import MEDIA_TYPES
from eventcoder.model import Document, Event
from eventcoder.store import SCHEMA_VERSION, EventFilter, Store, parse_bbox

Coder = Callable[[Document], Sequence[Event]]
Status = Literal["uncontested", "corroborated", "disputed"]
Format = Literal["jsonl", "csv", "parquet", "geojson"]
_NUMBER = r"\s*-?\d+(\.\d+)?\s*"
BBOX_PATTERN = rf"^{_NUMBER}(,{_NUMBER}){{3}}$"


class DocumentIn(BaseModel):
    """An article to code: its text and what is known about it."""

    text: str = Field(min_length=1, description="The article text.")
    published: date | None = Field(default=None, description="Publication date (resolves relative dates).")
    publisher: str | None = Field(default=None, max_length=200, description="Outlet, the default source.")
    title: str | None = Field(default=None, max_length=1000)
    url: str | None = Field(default=None, max_length=2000)


class Coded(BaseModel):
    """What storing a document did."""

    doc_id: str
    events: int
    dataset_ids: list[str]


class EventPage(BaseModel):
    """One page of dataset events."""

    total: int
    limit: int
    offset: int
    next_offset: int | None
    items: list[dict[str, Any]]


class Health(BaseModel):
    """Liveness and what the store holds."""

    status: Literal["ok"]
    version: str
    schema_version: int
    events: int


class Problem(BaseModel):
    """An error: what went wrong and what to do."""

    detail: Any


class BodyLimit:
    """ASGI middleware: answer 413 to request bodies over ``limit`` bytes, declared or streamed."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await self._refuse(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise _TooLarge
            return message

        try:
            await self.app(scope, counted, send)
        except _TooLarge:
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = JSONResponse({"detail": f"request body over {self.limit} bytes; send a shorter document"},
                                status_code=413)
        await response(scope, receive, send)


class _TooLarge(Exception):
    """A streamed body passed the limit."""


class Service:
    """The store and coder behind the routes; both open on first use."""

    def __init__(self, config: Config, coder: Coder | None, store: Store | None) -> None:
        self.config = config
        self._coder = coder
        self._store = store
        self.coding = threading.Lock()  # one pipeline, not thread-safe: code one document at a time

    @cached_property
    def store(self) -> Store:
        return self._store or Store.open(self.config.db)

    @cached_property
    def coder(self) -> Coder:
        if self._coder is not None:
            return self._coder
        from eventcoder.pipeline import Pipeline

        pipeline = Pipeline()
        return lambda document: next(pipeline.code([document])).events


def create_app(config: Config, coder: Coder | None = None, store: Store | None = None) -> FastAPI:
    """Build the API app for a config (``coder`` and ``store`` may be given, e.g. by tests)."""
    service = Service(config, coder, store)
    app = FastAPI(title="eventcoder", version=__version__,
                  description="Political events (PLOVER) coded from news articles, merged across outlets.")
    app.add_middleware(BodyLimit, limit=config.max_body_bytes)
    if config.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=list(config.cors_origins), allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "Content-Type"])
    bearer = HTTPBearer(auto_error=False, description="The token of EVENTCODER_TOKEN or the config file.")

    def authorised(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> None:
        token = config.token.encode()
        given = credentials.credentials.encode() if credentials is not None else b""
        if not token or not hmac.compare_digest(given, token):
            raise HTTPException(401, "a valid bearer token is required to write (Authorization: Bearer ...)",
                                headers={"WWW-Authenticate": "Bearer"})

    def filters(
        date_from: Annotated[date | None, Query(description="Events on or after this day.")] = None,
        date_to: Annotated[date | None, Query(description="Events on or before this day.")] = None,
        event_type: Annotated[str | None, Query(pattern=r"^[A-Za-z]{2,16}$", description="PLOVER type.")] = None,
        country: Annotated[str | None, Query(pattern=r"^[A-Za-z]{2,8}$",
                                             description="Place, actor or recipient country code.")] = None,
        actor: Annotated[str | None, Query(min_length=1, max_length=200,
                                           description="Actor or recipient code or name.")] = None,
        status: Annotated[Status | None, Query(description="Claim status.")] = None,
        bbox: Annotated[str | None, Query(json_schema_extra={"pattern": BBOX_PATTERN},
                                          description="min_lon,min_lat,max_lon,max_lat")] = None,
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
        return EventFilter(date_from, date_to, event_type, country, actor, status, box)

    errors: dict[int | str, dict[str, Any]] = {401: {"model": Problem}, 413: {"model": Problem}}

    @app.post("/documents", status_code=201, response_model=Coded, responses=errors,
              dependencies=[Depends(authorised)])
    def post_document(body: DocumentIn) -> Coded:
        """Code one article, merge its events into the dataset, and say which dataset events it joined."""
        from eventcoder.ingest import parse_text_document

        try:
            document = parse_text_document(body.text, origin="<api>", published=body.published,
                                           publisher=body.publisher, url=body.url, title=body.title)
            with service.coding:
                found = list(service.coder(document))
            service.store.save(document, found)
        except EventcoderError as exc:
            raise HTTPException(422, str(exc)) from exc
        return Coded(doc_id=document.id, events=len({e.id for e in found}),
                     dataset_ids=service.store.dataset_ids(document.id))

    @app.get("/events", response_model=EventPage)
    def list_events(
        where: Annotated[EventFilter, Depends(filters)],
        limit: Annotated[int | None, Query(ge=1, le=config.max_page_size)] = None,
        offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
    ) -> EventPage:
        """List dataset events (merged across articles), filtered, a page at a time."""
        size = limit or config.page_size
        total = service.store.count(where)
        items = list(service.store.dataset(where, limit=size, offset=offset))
        return EventPage(total=total, limit=size, offset=offset,
                         next_offset=offset + size if offset + size < total else None, items=items)

    @app.get("/events/{event_id}", response_model=dict[str, Any], responses={404: {"model": Problem}})
    def get_event(event_id: str) -> dict[str, Any]:
        """Return one dataset event with every report, source and evidence span."""
        record = service.store.dataset_event(event_id)
        if record is None:
            raise HTTPException(404, f"no dataset event {event_id!r}")
        return record

    @app.get("/export", response_class=StreamingResponse,
             responses={200: {"content": {media: {} for media in MEDIA_TYPES.values()}}})
    def export_events(where: Annotated[EventFilter, Depends(filters)],
                      format: Annotated[Format, Query(description="Output format.")] = "jsonl",
                      ) -> StreamingResponse:
        """Export the filtered dataset as JSONL, CSV, Parquet or GeoJSON."""
        from eventcoder.export import export_chunks

        suffix = {"jsonl": "jsonl", "csv": "csv", "parquet": "parquet", "geojson": "geojson"}[format]
        return StreamingResponse(export_chunks(service.store, format, where), media_type=MEDIA_TYPES[format],
                                 headers={"Content-Disposition": f'attachment; filename="events.{suffix}"'})

    @app.get("/health", response_model=Health)
    def health() -> Health:
        """Say the service is up and how many dataset events the store holds."""
        return Health(status="ok", version=__version__, schema_version=SCHEMA_VERSION,
                      events=service.store.count())

    return app


def serve(config: Config) -> None:
    """Run the API with uvicorn on the config's host and port until interrupted."""
    import uvicorn

    uvicorn.run(create_app(config), host=config.host, port=config.port, log_level="info")
