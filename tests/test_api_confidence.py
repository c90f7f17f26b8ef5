"""The API and confidence: POST /documents leaves unsure events out unless ``keep_all``; GET filters by it."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from eventcoder.api import create_app
from eventcoder.config import load_config
from eventcoder.model import ActorRef, Document, Event, Evidence
from eventcoder.pipeline import CodedDocument
from eventcoder.store import Store
from live_server import TOKEN, live_server

AUTH = {"Authorization": f"Bearer {TOKEN}"}
# sentence -> (event type, confidence): what the stand-in coder finds in a text
SCORES = {"Armenia shelled Ganja.": ("ASSAULT", 0.9), "Fans protested the referee.": ("PROTEST", 0.2),
          "Baku met Moscow.": ("CONSULT", 0.5)}


def scored_coder(document: Document) -> CodedDocument:
    """Code each known sentence of the text into one event with its fixed confidence; political is 0.7."""
    found = []
    for sentence, (kind, confidence) in SCORES.items():
        start = document.text.find(sentence)
        if start >= 0:
            found.append(Event(doc_id=document.id, event_type=kind, published=document.published,
                               confidence=confidence, actor=ActorRef("Armenia", "Armenia", "ARM", "GOV"),
                               evidence=Evidence(sentence, start, start + len(sentence), sentence.split()[1])))
    return CodedDocument(document, tuple(found), political=0.7)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    db = str(tmp_path_factory.mktemp("api-confidence") / "api.sqlite")
    with live_server(create_app(load_config(env={}, db=db, token=TOKEN), coder=scored_coder)) as url:
        yield url, db


@pytest.fixture(scope="module")
def client(server: tuple[str, str]) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server[0], timeout=10) as opened:
        yield opened


def _post(client: httpx.Client, text: str, **extra: Any) -> dict[str, Any]:
    answer = client.post("/documents", json={"text": text, "published": "2020-09-27", **extra}, headers=AUTH)
    assert answer.status_code == 201, answer.text
    body: dict[str, Any] = answer.json()
    return body


def _kinds(client: httpx.Client, **params: Any) -> set[str]:
    answer = client.get("/events", params=params)
    assert answer.status_code == 200, answer.text
    return {e["event_type"] for e in answer.json()["items"]}


def test_api_post_leaves_out_events_under_the_setting(client: httpx.Client, server: tuple[str, str]) -> None:
    coded = _post(client, "Armenia shelled Ganja. Fans protested the referee. Baku met Moscow.")
    assert coded["events"] == 2  # 0.9 and 0.5 (at the threshold) stored, 0.2 not
    store = Store.open(server[1])
    try:
        assert {r["event_type"]: r["confidence"] for r in store.records(coded["doc_id"])} == {
            "ASSAULT": 0.9, "CONSULT": 0.5}
        assert store.political(coded["doc_id"]) == 0.7
    finally:
        store.close()


def test_api_post_keep_all_stores_every_event_and_get_filters_them(client: httpx.Client) -> None:
    coded = _post(client, "Fans protested the referee. Baku met Moscow. Today.", keep_all=True)
    assert coded["events"] == 2 and len(coded["dataset_ids"]) == 2
    assert "PROTEST" not in _kinds(client)  # stored, but under the default filter (the setting, 0.5)
    assert _kinds(client, min_confidence=0) == {"ASSAULT", "PROTEST", "CONSULT"}
    assert _kinds(client, min_confidence=0.2) == {"ASSAULT", "PROTEST", "CONSULT"}
    assert _kinds(client, min_confidence=0.6) == {"ASSAULT"}
    assert client.get("/events", params={"min_confidence": 0}).json()["total"] == 3
    assert client.get("/events").json()["total"] == 2


def test_api_export_filters_by_confidence_and_carries_it(client: httpx.Client) -> None:
    _post(client, "Fans protested the referee.", keep_all=True)
    default = list(csv.DictReader(io.StringIO(client.get("/export", params={"format": "csv"}).text)))
    everything = list(csv.DictReader(io.StringIO(
        client.get("/export", params={"format": "csv", "min_confidence": "0"}).text)))
    assert {r["event_type"] for r in default} == {"ASSAULT", "CONSULT"}
    assert {r["event_type"]: r["confidence"] for r in everything} == {"ASSAULT": "0.9", "PROTEST": "0.2",
                                                                      "CONSULT": "0.5"}
    assert {r["political"] for r in everything} == {"0.7"}


@pytest.mark.parametrize("value", ["-0.1", "1.5", "high", "nan", "inf", ""])
@pytest.mark.parametrize("path", ["/events", "/export"])
def test_api_min_confidence_outside_0_to_1_gets_422(client: httpx.Client, path: str, value: str) -> None:
    answer = client.get(path, params={"min_confidence": value})
    assert answer.status_code == 422
    [problem] = answer.json()["detail"]
    assert problem["loc"][-1] == "min_confidence"


def test_api_keep_all_must_be_a_boolean(client: httpx.Client) -> None:
    answer = client.post("/documents", json={"text": "Baku met Moscow.", "keep_all": "sometimes"}, headers=AUTH)
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body", "keep_all"]


def test_api_openapi_documents_min_confidence_and_keep_all(client: httpx.Client) -> None:
    schema = client.get("/openapi.json").json()
    for path in ("/events", "/export"):
        [param] = [p for p in schema["paths"][path]["get"]["parameters"] if p["name"] == "min_confidence"]
        assert {k: param["schema"][k] for k in ("type", "minimum", "maximum", "default")} == {
            "type": "number", "minimum": 0.0, "maximum": 1.0, "default": 0.5}
    body = schema["components"]["schemas"]["DocumentIn"]["properties"]["keep_all"]
    assert (body["type"], body["default"]) == ("boolean", False)


def test_api_min_confidence_setting_moves_the_defaults(tmp_path: Path) -> None:
    db = str(tmp_path / "low.sqlite")
    config = load_config(env={"EVENTCODER_MIN_CONFIDENCE": "0.1"}, db=db, token=TOKEN)
    with live_server(create_app(config, coder=scored_coder)) as url, httpx.Client(base_url=url) as client:
        assert _post(client, "Armenia shelled Ganja. Fans protested the referee.")["events"] == 2
        assert _kinds(client) == {"ASSAULT", "PROTEST"}
        assert _kinds(client, min_confidence=0.5) == {"ASSAULT"}


def test_api_unscored_events_are_always_listed(tmp_path: Path) -> None:
    db = str(tmp_path / "unscored.sqlite")
    store = Store.open(db)
    document = Document(id="d", text="Baku met Moscow.", published=date(2020, 9, 27))
    store.save(document, [Event(doc_id="d", event_type="CONSULT", evidence=Evidence("Baku met Moscow.", 0, 16, "met"))])
    store.close()
    with live_server(create_app(load_config(env={}, db=db, token=TOKEN), coder=scored_coder)) as url:
        answer = httpx.get(f"{url}/events", params={"min_confidence": 1}).json()
    assert [(e["event_type"], e["confidence"]) for e in answer["items"]] == [("CONSULT", None)]
