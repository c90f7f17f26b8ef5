"""Property tests on the API's query and path parameters against a live server: 200, 404 or 422, never 500."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dedup_corpus import load_corpus
from eventcoder.api import create_app
from eventcoder.config import load_config
from eventcoder.store import Store
from live_server import TOKEN, live_server, no_events

NAMES = ["date_from", "date_to", "event_type", "country", "actor", "status", "bbox", "limit", "offset", "format",
         "min_confidence"]
ODD = st.sampled_from(["", " ", "-1", "0", "1e309", "NaN", "inf", "2020-02-30", "2020-09-27", "9999-12-31",
                       "0001-01-01", "ASSAULT", "aze", "AZE", "disputed", "1,2,3,4", "-180,-90,180,90",
                       "nan,nan,nan,nan", "1e400,0,0,0", "' OR 1=1 --", "%00", "\x00", "\ud800", "😀" * 50,
                       "x" * 5000, "99999999999999999999999", "csv", "parquet", "../../etc/passwd"])
VALUES = ODD | st.text(max_size=40) | st.integers().map(str) | st.floats().map(str)
QUERIES = st.dictionaries(st.sampled_from(NAMES) | st.text(max_size=10), VALUES, max_size=5)
SETTINGS = settings(max_examples=80, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    db = str(tmp_path_factory.mktemp("fuzz-api") / "api.sqlite")
    store = Store.open(db)
    documents, pairs = load_corpus()
    for doc_id, document in documents.items():
        store.save(document, [event for event, _ in pairs if event.doc_id == doc_id])
    store.close()
    app = create_app(load_config(env={}, db=db, token=TOKEN), coder=no_events)
    with live_server(app) as url, httpx.Client(base_url=url, timeout=30) as opened:
        yield opened


def _safe(value: str) -> str:
    return value.encode("utf-8", "replace").decode("utf-8")  # a URL carries UTF-8: a lone surrogate cannot travel


def _check(answer: httpx.Response, allowed: tuple[int, ...]) -> Any:
    assert answer.status_code in allowed, (answer.request.url, answer.status_code, answer.text[:500])
    return answer


@SETTINGS
@given(query=QUERIES)
def test_fuzz_api_events_query_parameters(client: httpx.Client, query: dict[str, str]) -> None:
    params = {_safe(k): _safe(v) for k, v in query.items()}
    answer = _check(client.get("/events", params=params), (200, 422))
    body = answer.json()
    if answer.status_code == 200:
        assert body["total"] >= len(body["items"]) and len(body["items"]) <= body["limit"]
    else:
        assert body["detail"]


@SETTINGS
@given(query=QUERIES)
def test_fuzz_api_export_query_parameters(client: httpx.Client, query: dict[str, str]) -> None:
    params = {_safe(k): _safe(v) for k, v in query.items()}
    _check(client.get("/export", params=params), (200, 422))


@SETTINGS
@given(event_id=VALUES.filter(lambda v: v not in ("", ".", "..")))
def test_fuzz_api_event_path_parameter(client: httpx.Client, event_id: str) -> None:
    _check(client.get("/events/" + quote(_safe(event_id), safe="")), (404, 422))
