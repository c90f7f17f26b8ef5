"""The API's coding queue (issue 18): writes queue, reads never wait, bounded, survives a restart; bodies made safe."""

from __future__ import annotations

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from eventcoder.api import WriteLimit, create_app
from eventcoder.config import load_config
from eventcoder.model import Document
from eventcoder.pipeline import CodedDocument
from live_server import TOKEN, live_server

AUTH = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
MANY = WriteLimit(per_minute=6000, burst=500)


def _config(tmp_path: Path, **settings: Any) -> Any:
    return load_config(env={}, db=str(tmp_path / "api.sqlite"), token=TOKEN, **settings)


def _body(n: int = 0, **fields: Any) -> str:
    return json.dumps({"text": f"Russia called for a ceasefire number {n}.", "published": "2020-09-27", **fields})


class Slow:
    """A coder that takes ``seconds`` per document (or waits for ``gate``) and remembers what it coded."""

    def __init__(self, seconds: float = 0.0, gate: threading.Event | None = None) -> None:
        self.seconds = seconds
        self.gate = gate
        self.seen: list[Document] = []

    def __call__(self, document: Document) -> CodedDocument:
        if self.gate is not None:
            self.gate.wait(30)
        time.sleep(self.seconds)
        self.seen.append(document)
        return CodedDocument(document, ())


def _wait_done(client: Any, job_id: str, seconds: float = 20.0) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job: dict[str, Any] = client.get(f"/jobs/{job_id}").json()
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} not done in {seconds} s")


def test_api_write_answers_202_with_a_job_to_poll_when_coding_takes_long(tmp_path: Path) -> None:
    app = create_app(_config(tmp_path, write_wait_s=0.1), coder=Slow(1.0))
    with TestClient(app) as client:
        answer = client.post("/documents", content=_body(), headers=AUTH)
        assert answer.status_code == 202, answer.text
        accepted = answer.json()
        assert accepted["status_url"] == f"/jobs/{accepted['job_id']}" == answer.headers["Location"]
        job = _wait_done(client, accepted["job_id"])
        assert job["status"] == "done" and job["result"]["doc_id"] == accepted["doc_id"]
        assert client.get("/jobs/" + "0" * 32).status_code == 404


def test_api_write_queue_is_bounded_503_with_retry_after(tmp_path: Path) -> None:
    gate = threading.Event()
    app = create_app(_config(tmp_path, write_wait_s=0, queue_size=2, queue_retry_after_s=7), coder=Slow(gate=gate),
                     write_limit=MANY)
    with TestClient(app) as client:
        codes = [client.post("/documents", content=_body(n), headers=AUTH).status_code for n in range(3)]
        full = client.post("/documents", content=_body(9), headers=AUTH)
        gate.set()
    assert codes[:2] == [202, 202]
    assert full.status_code == 503 and full.headers["Retry-After"] == "7"
    assert "queue is full" in full.json()["detail"]


def test_api_write_queue_survives_a_restart(tmp_path: Path) -> None:
    gate = threading.Event()  # the first server is "killed" while coding: its job never finishes there
    first = create_app(_config(tmp_path, write_wait_s=0), coder=Slow(gate=gate), write_limit=MANY)
    with TestClient(first) as client:
        ids = [client.post("/documents", content=_body(n), headers=AUTH).json()["job_id"] for n in range(3)]
    second_coder = Slow()
    second = create_app(_config(tmp_path, write_wait_s=0), coder=second_coder)
    with TestClient(second) as client:
        jobs = [_wait_done(client, job_id) for job_id in ids]
        assert [j["status"] for j in jobs] == ["done"] * 3
        assert client.get("/health").json()["status"] == "ok"
    gate.set()
    assert sorted(d.text for d in second_coder.seen) == sorted(
        f"Russia called for a ceasefire number {n}." for n in range(3))


def test_api_reads_are_answered_while_60_articles_are_coded(tmp_path: Path) -> None:
    """Before: each waiting POST held a thread of the shared pool, and GET /health waited up to 13.8 s."""
    app = create_app(_config(tmp_path), coder=Slow(0.15), write_limit=MANY)
    with live_server(app) as url, httpx.Client(base_url=url, timeout=60) as client, ThreadPoolExecutor(60) as pool:
        posts = [pool.submit(httpx.post, f"{url}/documents", content=_body(n), headers=AUTH, timeout=60)
                 for n in range(60)]
        time.sleep(0.5)
        waits = []
        for _ in range(20):
            start = time.perf_counter()
            assert client.get("/health").status_code == 200
            waits.append(time.perf_counter() - start)
            time.sleep(0.05)
        codes = [p.result().status_code for p in posts]
    assert set(codes) <= {201, 202} and len(codes) == 60
    assert max(waits) < 1.0, waits


@pytest.mark.parametrize("field", ["text", "publisher", "title", "url"])
def test_api_lone_surrogate_becomes_replacement_character(tmp_path: Path, field: str) -> None:
    coder = Slow()
    app = create_app(_config(tmp_path), coder=coder)
    body = json.loads(_body())
    body[field] = body.get(field, "") + "x\ud800y" if field == "text" else "x\ud800y"
    with TestClient(app) as client:
        answer = client.post("/documents", content=json.dumps(body), headers=AUTH)  # ASCII JSON: "\ud800"
    assert answer.status_code == 201, answer.text
    [document] = coder.seen
    assert "x\ufffdy" in getattr(document, field)


@pytest.mark.parametrize("body", ['{"text": "x", "published": "\\ud800"}', '{"text": 5, "title": "\\udfff"}',
                                  '{"text": "x", "\\ud800": 1, "keep_all": "\\ud800"}', '"\\ud800"'])
def test_api_lone_surrogate_in_an_invalid_body_is_422_not_500(tmp_path: Path, body: str) -> None:
    with TestClient(create_app(_config(tmp_path), coder=Slow())) as client:
        answer = client.post("/documents", content=body, headers=AUTH)
    assert answer.status_code == 422, answer.text
    assert "\\ud800" not in answer.text and "\\udfff" not in answer.text


def test_api_future_publication_date_is_422_unless_allowed(tmp_path: Path) -> None:
    coder = Slow()
    with TestClient(create_app(_config(tmp_path), coder=coder)) as client:
        refused = client.post("/documents", content=_body(published="2099-01-01"), headers=AUTH)
        dated_line = client.post("/documents", content=_body(1, published=None, text="date 2099-05-01 Russia said."),
                                 headers=AUTH)
        allowed = client.post("/documents", content=_body(2, published="2099-01-01", allow_future=True), headers=AUTH)
    assert refused.status_code == 422 and "2099-01-01 is in the future" in refused.json()["detail"]
    assert dated_line.status_code == 422 and "2099-05-01" in dated_line.json()["detail"]
    assert allowed.status_code == 201 and [d.published.isoformat() for d in coder.seen] == ["2099-01-01"]
