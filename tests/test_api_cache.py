"""GET /events pages kept per store version (api_cache.PageCache), against live servers on 127.0.0.1:
same bytes as the route makes, ETag / 304, a change of the store (by any process) seen at once."""

from __future__ import annotations

import asyncio
import gzip
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest

from dedup_corpus import load_corpus
from eventcoder.api import create_app
from eventcoder.api_cache import accepts_gzip, matches, query_key
from eventcoder.api_pages import Pages
from eventcoder.config import load_config
from eventcoder.model import Document, Event
from eventcoder.pipeline import CodedDocument
from eventcoder.store import EventFilter, Store
from live_server import live_server

DOCUMENTS, PAIRS = load_corpus()
LATER = sorted(DOCUMENTS)[-1]  # saved during the tests: the store changes
QUERIES: list[dict[str, Any]] = [{}, {"limit": 1}, {"limit": 3}, {"event_type": "ASSAULT", "limit": 2},
                                 {"country": "AZE", "min_confidence": 0}]


class CountingStore(Store):
    """A store that counts the pages it lists (so a test sees when the route ran) and may list slowly."""

    delay = 0.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pages = 0
        self._lock = threading.Lock()

    def dataset_texts(self, where: EventFilter | None = None, limit: int | None = None, offset: int = 0,
                      after: str | None = None) -> Iterator[tuple[str, str]]:
        with self._lock:
            self.pages += 1
        time.sleep(self.delay)
        return super().dataset_texts(where, limit, offset, after)


def events_of(doc_id: str) -> list[Event]:
    return [event for event, _ in PAIRS if event.doc_id == doc_id]


@pytest.fixture()
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "cache.sqlite")
    store = Store.open(path)
    for doc_id, document in DOCUMENTS.items():
        if doc_id != LATER:
            store.save(document, events_of(doc_id))
    store.close()
    return path


def fake_coder(document: Document) -> CodedDocument:
    """Code a corpus text into its hand-written events."""
    return CodedDocument(document, tuple(replace(event, doc_id=document.id) for event, _ in PAIRS
                                         if DOCUMENTS[event.doc_id].text == document.text))


def serve(db: str, cache_mb: int) -> tuple[Any, CountingStore]:
    store = CountingStore.open(db)
    config = load_config(env={}, db=db, token="t", response_cache_mb=cache_mb, write_wait_s=30)
    return live_server(create_app(config, coder=fake_coder, store=store)), store


def plain(answer: httpx.Response) -> bytes:
    """The JSON bytes of an answer, gunzipped by hand when the server gzipped them."""
    raw = answer.read()
    return gzip.decompress(raw) if answer.headers.get("content-encoding") == "gzip" else raw


def get(url: str, params: dict[str, Any] | None, headers: dict[str, str] | None = None, path: str = "/events"
        ) -> httpx.Response:
    """GET without httpx's own decoding, so that the test sees the bytes sent."""
    with httpx.Client(base_url=url, timeout=10) as client:
        request = client.build_request("GET", path, params=params, headers=headers or {})
        answer = client.send(request, stream=True)
        answer._content = b"".join(answer.iter_raw())
        return answer


def test_api_cache_sends_the_bytes_the_route_makes(db: str) -> None:
    kept, kept_store = serve(db, 32)
    uncached, _ = serve(db, 0)
    with kept as url, uncached as reference:
        for query in QUERIES:
            made = get(reference, query, {"Accept-Encoding": "identity"})
            assert made.status_code == 200
            for encoding in ("gzip", "identity", "gzip", "identity"):
                answer = get(url, query, {"Accept-Encoding": encoding})
                assert answer.status_code == 200 and plain(answer) == made.content
                assert answer.headers["etag"] == made.headers["etag"]
                assert answer.headers.get("content-encoding") == (
                    "gzip" if encoding == "gzip" and len(made.content) >= 2048 else None)
        assert kept_store.pages == len(QUERIES)  # each page made once, then sent as kept
        big = get(url, {"limit": 3}, {"Accept-Encoding": "gzip"})
        assert big.headers["content-encoding"] == "gzip" and int(big.headers["content-length"]) == len(big.content)


def test_api_cache_parameter_order_is_one_page(db: str) -> None:
    server, store = serve(db, 32)
    with server as url:
        first = get(url, {"event_type": "ASSAULT", "limit": 2})
        second = get(url, {"limit": 2, "event_type": "ASSAULT"})
        assert plain(first) == plain(second) and store.pages == 1
    assert query_key(b"limit=2&event_type=ASSAULT") == query_key(b"event_type=ASSAULT&limit=2")
    assert query_key(b"actor=a&actor=b") != query_key(b"actor=b&actor=a")  # the route takes the last one


def test_api_cache_etag_gives_304_until_the_store_changes(db: str) -> None:
    server, store = serve(db, 32)
    uncached, _ = serve(db, 0)
    with server as url, uncached as reference:
        first = get(url, {})  # every dataset event of the corpus: a save changes this page
        etag = first.headers["etag"]
        assert etag.startswith('W/"') and first.headers["cache-control"] == "no-cache"
        again = get(url, {}, {"If-None-Match": etag})
        assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
        assert get(url, {}, {"If-None-Match": '"other", ' + etag.removeprefix("W/")}).status_code == 304
        assert get(url, {}, {"If-None-Match": '"other"'}).status_code == 200
        assert get(url, {"limit": 1}, {"If-None-Match": etag}).status_code == 200  # another page, another ETag
        assert store.pages == 2
        writer = Store.open(db)  # a save by another process (another worker, the CLI)
        writer.save(DOCUMENTS[LATER], events_of(LATER))
        writer.close()
        changed = get(url, {}, {"If-None-Match": etag})
        assert changed.status_code == 200 and changed.headers["etag"] != etag and store.pages == 3
        assert plain(changed) == plain(get(reference, {})) != plain(first)
        assert get(url, {}, {"If-None-Match": changed.headers["etag"]}).status_code == 304 and store.pages == 3


def test_api_cache_a_change_through_one_worker_reaches_the_other(db: str) -> None:
    one, _ = serve(db, 32)
    other, _ = serve(db, 32)
    with one as url_one, other as url_other:
        before = [plain(get(url, {})) for url in (url_one, url_other)]
        assert before[0] == before[1]
        with httpx.Client(base_url=url_one, headers={"Authorization": "Bearer t"}, timeout=20) as client:
            document = DOCUMENTS[LATER]
            body = {"text": document.text, "published": document.published.isoformat(),
                    "publisher": document.publisher}
            assert client.post("/documents", json=body).status_code == 201
        after = [plain(get(url, {})) for url in (url_one, url_other)]
        assert after[0] == after[1] != before[0]


def test_api_cache_keeps_no_error(db: str) -> None:
    server, store = serve(db, 32)
    with server as url:
        for _ in range(2):
            assert get(url, {"cursor": "2020-10-04_xyz"}).status_code == 422
            assert get(url, {"limit": 0}).status_code == 422
        assert get(url, {"limit": 2}).status_code == 200 and store.pages == 1


def test_api_cache_same_page_asked_at_once_is_made_once(db: str) -> None:
    server, store = serve(db, 32)
    store.delay = 0.3

    async def ask(url: str) -> list[bytes]:
        async with httpx.AsyncClient(base_url=url, timeout=20) as client:
            answers = await asyncio.gather(*(client.get("/events", params={"limit": 2}) for _ in range(12)))
        assert all(answer.status_code == 200 for answer in answers)
        return [answer.content for answer in answers]

    with server as url:
        bodies = asyncio.run(ask(url))
    assert len(set(bodies)) == 1 and store.pages == 1


ASKED = ["", "limit=1", "offset=2&limit=3", "event_type=assault", "country=aze&min_confidence=0", "status=disputed",
         "actor=Azerbaijan", "actor_contains=arm", "bbox=-180,-90,180,90", "modality=asserted", "fatalities=dead",
         "date_from=2020-09-28&date_to=2020-10-04", "limit=1&limit=2", "foo=bar&limit=2", "limit=%2B3",
         "mode=x", "min_confidence=0.5&limit=2&offset=1"]
REFUSED = ["limit=0", "limit=abc", "limit=", "cursor=2020-10-04_xyz", "date_from=2020-10-04&date_to=2020-09-28",
           "bbox=1,2,3", "bbox=10,0,5,1", "status=nope", "min_confidence=nan", "offset=-1", "limit=501",
           "event_type=A1", "fatalities=all", "modality=x"]


def test_api_cache_pages_made_from_the_query_are_the_routes(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # PageCache makes pages straight from the query string (api_pages): the same bytes as the route's, and a
    # query the route refuses is answered by the route, with its error
    config = load_config(env={}, db=db, token="t", response_cache_mb=0)
    monkeypatch.setattr(Pages, "bind", lambda *_: None)  # this app's pages all come from the route
    by_route = create_app(config, coder=fake_coder, store=Store.open(db))
    monkeypatch.undo()
    by_query = create_app(config, coder=fake_coder, store=Store.open(db))
    with live_server(by_route) as reference, live_server(by_query) as url:
        first = json.loads(plain(get(reference, {"limit": 2})))
        asked = [*ASKED, f"limit=2&cursor={first['next_cursor']}", f"cursor={first['next_cursor']}&event_type=ASSAULT"]
        for query in asked + REFUSED:
            expected, answer = (get(base, None, path=f"/events?{query}") for base in (reference, url))
            assert (answer.status_code, plain(answer)) == (expected.status_code, plain(expected)), query
            assert (expected.status_code == 200) == (query not in REFUSED), query


def test_api_cache_header_rules() -> None:
    assert accepts_gzip(b"gzip, deflate, br") and accepts_gzip(b"br;q=1.0, gzip;q=0.8") and accepts_gzip(b"*")
    assert not accepts_gzip(b"gzip;q=0") and not accepts_gzip(b"identity") and not accepts_gzip(b"")
    assert matches(b'W/"abc"', b'W/"abc"') and matches(b'"abc"', b'W/"abc"') and matches(b"*", b'W/"x"')
    assert not matches(b'W/"abd"', b'W/"abc"')
