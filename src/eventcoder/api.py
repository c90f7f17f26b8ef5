"""The REST API (FastAPI): code and store documents, query and export the merged dataset.

Thin: each route parses, calls the store / pipeline / export functions, and returns.
Writes need the bearer token of the config; bodies over ``max_body_bytes`` get 413; CORS is closed
unless ``cors_origins`` names origins; writes (answered or refused) are rate-limited per client
address (429). Articles are coded through a bounded, persisted queue (``api_write``, ``jobs``): a full
queue gives 503 with ``Retry-After``; a database kept locked by another writer only delays the job.
SECURITY.md says what is promised.
"""

# No `from __future__ import annotations`: FastAPI reads route annotations that name local values.
import hmac
import math
import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from fastapi import Depends, FastAPI, HTTPException, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, PlainTextResponse, StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field, model_validator
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from eventcoder import __version__
from eventcoder.api_cache import PageCache
from eventcoder.api_filters import BBOX_PATTERN, event_filters
from eventcoder.api_pages import Pages
from eventcoder.config import Config
from eventcoder.export import MEDIA_TYPES
from eventcoder.model import Document
from eventcoder.store import SCHEMA_VERSION, EventFilter, Store, parse_bbox

if TYPE_CHECKING:
    from eventcoder.pipeline import CodedDocument

# Codes one document into every event it finds, however unsure (the route leaves out those under the threshold)
Coder = Callable[[Document], "CodedDocument"]
Format = Literal["jsonl", "csv", "parquet", "geojson"]
WEB = Path(str(resources.files("eventcoder").joinpath("web")))  # the page, built by `make web`


class DocumentIn(BaseModel):
    """An article to code: its text and what is known about it."""

    text: str = Field(min_length=1, description="The article text.")
    published: date | None = Field(default=None, description="Publication date (resolves relative dates).")
    publisher: str | None = Field(default=None, max_length=200, description="Outlet, the default source.")
    title: str | None = Field(default=None, max_length=1000)
    url: str | None = Field(default=None, max_length=2000)
    keep_all: bool = Field(default=False, description="Store every event whatever its confidence (by default, "
                                                      "events under the min_confidence setting are not stored).")
    allow_future: bool = Field(default=False, description="Accept a publication date more than a day ahead "
                                                          "(by default: 422).")

    @model_validator(mode="before")
    @classmethod
    def _replace_lone_surrogates(cls, data: Any) -> Any:
        """Lone surrogates ("\\ud800" in JSON) cannot be stored or echoed: they become U+FFFD, as in the CLI."""
        from eventcoder.api_write import scrub

        return scrub(data)


class Coded(BaseModel):
    """What storing a document did."""

    doc_id: str
    events: int
    dataset_ids: list[str]
    notices: list[str] = Field(default_factory=list, description="What was done to the text, e.g. cut at MAX_CHARS.")


CURSOR = r"^(9999|\d{4}-\d{2}-\d{2})_[0-9a-f]{40}$"


class EventPage(BaseModel):
    """One page of dataset events; ``next_cursor`` asks for the next one without scanning (keyset paging)."""

    total: int
    limit: int
    offset: int
    next_offset: int | None
    items: list[dict[str, Any]]
    next_cursor: str | None = None


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
                raise _TooLarge(self.limit)
            return message

        try:
            await self.app(scope, counted, send)
        except _TooLarge:
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = JSONResponse({"detail": _too_large(self.limit)}, status_code=413)
        await response(scope, receive, send)


class _TooLarge(HTTPException):
    """A streamed body passed the limit (an HTTPException, so FastAPI's body reader lets it through)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, _too_large(limit))


def _too_large(limit: int) -> str:
    return f"request body over {limit} bytes; send a shorter document"


@dataclass(frozen=True)
class WriteLimit:
    """How many writes one client address may make: ``burst`` at once, then ``per_minute`` (a token bucket)."""

    per_minute: float = 120.0
    burst: int = 60


class WriteBuckets:
    """Token buckets per client address; ``take`` says how long to wait, 0 when the write may go ahead."""

    MAX_CLIENTS = 10_000  # past this many addresses, full buckets are forgotten (they hold no state)

    def __init__(self, limit: WriteLimit) -> None:
        self.limit = limit
        self._buckets: dict[str, tuple[float, float]] = {}  # address -> (tokens, when counted)
        self._lock = threading.Lock()

    def take(self, client: str, now: float | None = None) -> float:
        """Spend one write for ``client``; return 0, or the seconds until one is available."""
        now = time.monotonic() if now is None else now
        rate = self.limit.per_minute / 60
        with self._lock:
            tokens, then = self._buckets.get(client, (float(self.limit.burst), now))
            tokens = min(float(self.limit.burst), tokens + (now - then) * rate)
            if len(self._buckets) > self.MAX_CLIENTS:
                self._forget_full(now, rate)
            if tokens >= 1:
                self._buckets[client] = (tokens - 1, now)
                return 0.0
            self._buckets[client] = (tokens, now)
            return (1 - tokens) / rate if rate > 0 else math.inf

    def _forget_full(self, now: float, rate: float) -> None:
        full = [key for key, (tokens, then) in self._buckets.items()
                if tokens + (now - then) * rate >= self.limit.burst]
        for key in full:
            del self._buckets[key]


class Service:
    """The store and coder behind the routes; both open on first use."""

    def __init__(self, config: Config, coder: Coder | None, store: Store | None) -> None:
        self.config = config
        self._coder = coder
        self._store = store
        self.coding = threading.Lock()  # one pipeline, not thread-safe: code one document at a time
        self._counts: dict[tuple[EventFilter, int], int] = {}
        self._counts_lock = threading.Lock()

    def count(self, where: EventFilter) -> int:
        """Count the filtered dataset events, remembered until the store changes (a COUNT scans the filter's
        rows; 200 clients paging would repeat it for every page)."""
        key = (where, self.store.version())
        with self._counts_lock:
            if key in self._counts:
                return self._counts[key]
        value = self.store.count(where)
        with self._counts_lock:
            if len(self._counts) >= 256:
                self._counts.clear()
            self._counts[key] = value
        return value

    @cached_property
    def store(self) -> Store:
        return self._store or Store.open(self.config.db)

    @cached_property
    def read_version(self) -> Callable[[], int]:  # for the event loop's thread only
        return self.store.version_reader()

    @cached_property
    def coder(self) -> Coder:
        if self._coder is not None:
            return self._coder
        from eventcoder.coding_process import ProcessCoder

        return ProcessCoder()  # in a child process: coding never slows the reads served here

    def prepare(self, payload: dict[str, Any]) -> tuple[Document, list[str]]:
        """Make the document of a POST body (raise ``EventcoderError`` for one that cannot be coded)."""
        from eventcoder.ingest import parse_text_document
        from eventcoder.ingest.future import future_problem

        notices: list[str] = []
        published = date.fromisoformat(payload["published"]) if payload.get("published") else None
        document = parse_text_document(payload["text"], origin="<api>", published=published,
                                       publisher=payload.get("publisher"), url=payload.get("url"),
                                       title=payload.get("title"), notices=notices)
        problem = None if payload.get("allow_future") else future_problem(document.published, "published")
        if problem is not None:
            raise problem
        return document, notices

    def code_and_store(self, document: Document, payload: dict[str, Any], notices: list[str]) -> dict[str, Any]:
        """Code a document, store its events (those over ``min_confidence`` unless ``keep_all``), say what it did."""
        from eventcoder.pipeline import confident

        with self.coding:
            coded = self.coder(document)
        found = confident(coded.events, None if payload.get("keep_all") else self.config.min_confidence)
        self.store.save(document, found, political=coded.political)
        return Coded(doc_id=document.id, events=len({e.id for e in found}),
                     dataset_ids=self.store.dataset_ids(document.id), notices=notices).model_dump()


def create_app(config: Config, coder: Coder | None = None, store: Store | None = None,
               write_limit: WriteLimit | None = None) -> FastAPI:
    """Build the API app for a config (``coder``, ``store`` and the write rate limit may be given, e.g. by tests)."""
    from eventcoder.api_write import Writes, add_write_routes, validation_problem

    service = Service(config, coder, store)
    writes = Writes(config, service.prepare, service.code_and_store)
    buckets = WriteBuckets(write_limit or WriteLimit(float(config.write_rate_per_minute), config.write_burst))

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        writes.runner.start()  # jobs left by a stopped server are coded first
        yield
        writes.close()
        close = getattr(service.__dict__.get("coder"), "close", None)  # the coding process, if one was started
        if callable(close):
            close()

    app = FastAPI(title="eventcoder", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="Political events (PLOVER) coded from news articles, merged across outlets.")
    app.add_exception_handler(RequestValidationError, validation_problem)

    @app.get("/docs", include_in_schema=False, response_class=HTMLResponse)
    def api_docs() -> HTMLResponse:
        """The API docs page, bundled (no CDN: it works offline); it reads /openapi.json."""
        page = resources.files("eventcoder").joinpath("data/apidocs/index.html").read_text(encoding="utf-8")
        return HTMLResponse(page, headers={"Cache-Control": "no-cache"})
    app.add_middleware(BodyLimit, limit=config.max_body_bytes)
    # level 5 compresses nearly as well as the default 9 for a fraction of the CPU; /events pages are gzipped
    # once and kept per store version, with ETag / 304, by PageCache (api_cache.py: outside GZip, inside CORS)
    app.add_middleware(GZipMiddleware, minimum_size=2048, compresslevel=5)
    pages = Pages(lambda: service.store, service.count, config.page_size)
    app.add_middleware(PageCache, version=lambda: service.read_version(), max_bytes=config.response_cache_mb << 20,
                       make=pages.make)
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

    def rate_limited(request: Request) -> None:
        wait = buckets.take(request.client.host if request.client is not None else "")
        if wait > 0:
            seconds = str(math.ceil(wait)) if math.isfinite(wait) else "3600"
            raise HTTPException(429, f"too many writes from this address; try again in {seconds} s",
                                headers={"Retry-After": seconds})

    filters = event_filters(config)

    errors: dict[int | str, dict[str, Any]] = {401: {"model": Problem}, 413: {"model": Problem},
                                               429: {"model": Problem}, 503: {"model": Problem}}

    add_write_routes(app, config, writes, [Depends(rate_limited), Depends(authorised)], errors)

    @app.get("/events", response_model=EventPage)
    def list_events(
        where: Annotated[EventFilter, Depends(filters)],
        limit: Annotated[int | None, Query(ge=1, le=config.max_page_size)] = None,
        offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
        cursor: Annotated[str | None, Query(max_length=60, pattern=CURSOR,
                                            description="next_cursor of the page before (instead of offset)")] = None,
    ) -> Response:
        """List dataset events (merged across articles), filtered, a page at a time (by offset or cursor)."""
        return Response(pages.body(where, limit, offset, cursor), media_type="application/json")

    pages.bind(filters, list_events)  # PageCache makes pages straight from these parameters (api_pages.py)

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

    @app.get("/places/labels", response_model=list[dict[str, Any]])
    def place_labels(bbox: Annotated[str, Query(json_schema_extra={"pattern": BBOX_PATTERN},
                                                description="min_lon,min_lat,max_lon,max_lat")],
                     zoom: Annotated[float, Query(ge=0, le=20, allow_inf_nan=False)]) -> list[dict[str, Any]]:
        """Names for the page's base map in a view: countries, admin1 regions, cities by population (gazetteer)."""
        from eventcoder.places.labels import labels

        try:
            box = parse_bbox(bbox)
        except ValueError as exc:
            raise HTTPException(422, [{"loc": ["query", "bbox"], "msg": str(exc), "type": "value_error"}]) from exc
        return [label.to_dict() for label in labels(box, zoom)]

    @app.get("/places/countries", response_model=dict[str, str])
    def place_countries() -> dict[str, str]:
        """ISO-3 country code -> name (gazetteer), for the names the page writes next to codes."""
        from eventcoder.places.labels import country_names

        return country_names()

    @app.get("/health", response_model=Health)
    def health() -> Health:
        """Say the service is up and how many dataset events the store holds."""
        return Health(status="ok", version=__version__, schema_version=SCHEMA_VERSION,
                      events=service.store.count())

    @app.get("/", include_in_schema=False, response_model=None)
    def index() -> FileResponse | PlainTextResponse:
        """Serve the web page (map, timeline, table, claims) over this API."""
        page = WEB / "index.html"
        if not page.is_file():
            return PlainTextResponse("the web page is not built: run `make web` (needs npm), then reload", 503)
        return FileResponse(page, headers={"Cache-Control": "no-cache"})

    if WEB.is_dir():
        app.mount("/static", StaticFiles(directory=WEB), name="static")
    return app
