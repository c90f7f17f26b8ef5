"""API security against a live server: token on every write, never logged; limits; SQL; CORS; file system."""

from __future__ import annotations

import ast
import logging
import sqlite3
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from eventcoder import api
from eventcoder.api import WriteBuckets, WriteLimit, create_app
from eventcoder.config import load_config
from eventcoder.store import locking
from live_server import TOKEN, live_server, no_events

SRC = Path(__file__).resolve().parent.parent / "src" / "eventcoder"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
BODY = {"text": "Russia called for a ceasefire.", "published": "2020-09-27"}


def _app(tmp_path: Path, **settings: Any) -> Any:
    limit = settings.pop("write_limit", None)
    config = load_config(env={}, db=str(tmp_path / "api.sqlite"), **{"token": TOKEN, **settings})
    return create_app(config, coder=no_events, write_limit=limit)


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    app = _app(tmp_path_factory.mktemp("security"), max_body_bytes=5_000, cors_origins="https://ok.example")
    with live_server(app) as url:
        yield url


@pytest.fixture(scope="module")
def client(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, timeout=10) as opened:
        yield opened


def _write_operations(client: httpx.Client) -> list[tuple[str, str]]:
    paths = client.get("/openapi.json").json()["paths"]
    return [(method, path) for path, operations in paths.items() for method in operations
            if method.lower() not in ("get", "head", "options")]


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer"}, {"Authorization": f"Token {TOKEN}"},
                                     {"Authorization": f"Bearer {TOKEN}x"}, {"Authorization": f"Bearer {TOKEN[:-1]}"},
                                     {"Authorization": f"Basic {TOKEN}"}, {"Authorization": TOKEN}])
def test_security_every_write_route_refuses_a_missing_or_wrong_token(client: httpx.Client,
                                                                     headers: dict[str, str]) -> None:
    operations = _write_operations(client)
    assert operations, "the API has no write route to check"
    for method, path in operations:
        answer = client.request(method, path, json=BODY, headers=headers)
        assert answer.status_code == 401, (method, path, answer.text)
        assert answer.headers["www-authenticate"] == "Bearer"


def test_security_every_write_route_declares_bearer_auth(client: httpx.Client) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for method, path in _write_operations(client):
        assert paths[path][method].get("security"), (method, path)


def test_security_empty_configured_token_refuses_every_write(tmp_path: Path) -> None:
    config = load_config(env={}, db=str(tmp_path / "api.sqlite"), token="")
    with live_server(create_app(config, coder=no_events)) as url:
        for headers in ({}, {"Authorization": "Bearer"}, {"Authorization": "Bearer x"}):
            assert httpx.post(f"{url}/documents", json=BODY, headers=headers).status_code == 401


def test_security_token_is_compared_in_constant_time(client: httpx.Client, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[bytes, bytes]] = []
    real = api.hmac.compare_digest

    def recording(a: bytes, b: bytes) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(api.hmac, "compare_digest", recording)
    assert client.post("/documents", json=BODY, headers={"Authorization": "Bearer guess"}).status_code == 401
    assert client.post("/documents", json=BODY, headers=AUTH).status_code == 201
    assert calls == [(b"guess", TOKEN.encode()), (TOKEN.encode(), TOKEN.encode())]


def test_security_token_never_logged_or_echoed(tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                               capfd: pytest.CaptureFixture[str]) -> None:
    caplog.set_level(logging.DEBUG)
    wrong = "wrong-" + TOKEN
    # log_config=None: uvicorn's loggers (access log included) propagate to pytest's capture
    with live_server(_app(tmp_path), log_config=None, log_level="debug", access_log=True) as url:
        answers = [
            httpx.post(f"{url}/documents", json=BODY, headers=AUTH),
            httpx.post(f"{url}/documents", json=BODY, headers={"Authorization": f"Bearer {wrong}"}),
            httpx.post(f"{url}/documents", json={"text": ""}, headers=AUTH),
            httpx.post(f"{url}/documents", content=b"{not json", headers=AUTH),
        ]
    assert [a.status_code for a in answers] == [201, 401, 422, 422]
    out, err = capfd.readouterr()
    logged = caplog.text + out + err
    assert "POST /documents" in logged, "the access log was not captured; the check below would prove nothing"
    for secret in (TOKEN, wrong):
        assert secret not in logged
        assert all(secret not in answer.text for answer in answers)


def test_security_body_limit_declared_and_streamed(client: httpx.Client) -> None:
    big = {"text": "x" * 6_000}
    assert client.post("/documents", json=big, headers=AUTH).status_code == 413

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit must hold on the bytes actually sent
        yield b'{"text": "'
        for _ in range(20):
            yield b"y" * 1_000
        yield b'"}'

    answer = client.post("/documents", content=chunks(), headers={**AUTH, "Content-Type": "application/json"})
    assert answer.status_code == 413
    assert "over 5000 bytes" in answer.json()["detail"]


def test_security_write_rate_limit_per_client(tmp_path: Path) -> None:
    with live_server(_app(tmp_path, write_limit=WriteLimit(per_minute=6, burst=3))) as url, \
            httpx.Client(base_url=url) as http:
        assert [http.post("/documents", json=BODY, headers=AUTH).status_code for _ in range(3)] == [201] * 3
        refused = http.post("/documents", json=BODY, headers=AUTH)
        assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
        # guessing the token is a write too: it is limited before the token is even looked at
        assert http.post("/documents", json=BODY, headers={"Authorization": "Bearer guess"}).status_code == 429
        assert all(http.get("/events").status_code == 200 for _ in range(10))  # reads are not limited


def test_security_write_buckets_refill_at_the_rate() -> None:
    buckets = WriteBuckets(WriteLimit(per_minute=60, burst=2))
    assert [buckets.take("a", now=0.0), buckets.take("a", now=0.0)] == [0.0, 0.0]
    assert buckets.take("a", now=0.0) == pytest.approx(1.0)
    assert buckets.take("b", now=0.0) == 0.0  # one client's flood does not block another
    assert buckets.take("a", now=1.0) == 0.0
    assert buckets.take("a", now=1.5) == pytest.approx(0.5)


@pytest.mark.parametrize("origin", ["https://evil.example", "null", "https://ok.example.evil.example"])
def test_security_cors_only_for_configured_origins(client: httpx.Client, origin: str) -> None:
    for method in ("GET", "POST"):
        answer = client.options("/documents", headers={"Origin": origin, "Access-Control-Request-Method": method})
        assert "access-control-allow-origin" not in answer.headers
    assert "access-control-allow-origin" not in client.get("/events", headers={"Origin": origin}).headers
    allowed = client.get("/events", headers={"Origin": "https://ok.example"})
    assert allowed.headers["access-control-allow-origin"] == "https://ok.example"
    assert "access-control-allow-credentials" not in allowed.headers


INJECTIONS = ["' OR '1'='1", "x'); DROP TABLE dataset_events; --", '" OR ""="', "1; SELECT * FROM documents",
              "%' OR 1=1 --", "\\'; --"]


@pytest.mark.parametrize("payload", INJECTIONS)
def test_security_sql_injection_strings_are_only_data(tmp_path: Path, payload: str) -> None:
    with live_server(_app(tmp_path, write_limit=WriteLimit(per_minute=600, burst=100))) as url, \
            httpx.Client(base_url=url) as http:
        assert http.post("/documents", json={**BODY, "publisher": payload, "title": payload},
                         headers=AUTH).status_code == 201
        before = http.get("/health").json()["events"]
        for name in ("actor", "country", "event_type", "status", "bbox", "date_from"):
            answer = http.get("/events", params={name: payload})
            assert answer.status_code in (200, 422), (name, answer.text)
            if answer.status_code == 200:
                assert answer.json()["total"] == 0
        assert http.get(f"/events/{payload}").status_code == 404
        assert http.get("/health").json()["events"] == before
    with sqlite3.connect(tmp_path / "api.sqlite") as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        [(publisher,)] = conn.execute("SELECT publisher FROM documents").fetchall()
    assert {"documents", "events", "dataset_events"} <= tables
    assert publisher == payload


def _sql_built_from_strings(tree: ast.AST) -> list[int]:
    """Return the lines where SQL text is built with an f-string, ``%``, ``+`` or ``.format``."""
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute | ast.Name)):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id
        if name not in ("text", "exec_driver_sql", "execute", "executescript", "executemany") or not node.args:
            continue
        first = node.args[0]
        built = isinstance(first, ast.JoinedStr) or (
            isinstance(first, ast.BinOp) and isinstance(first.op, ast.Mod | ast.Add)) or (
            isinstance(first, ast.Call) and isinstance(first.func, ast.Attribute) and first.func.attr == "format")
        if built:
            found.append(node.lineno)
    return found


def test_security_sql_is_never_built_from_strings() -> None:
    assert _sql_built_from_strings(ast.parse('conn.execute(f"SELECT {x}")\nsa.text("a" + b)')) == [1, 2]
    offenders = {str(path.relative_to(SRC)): lines for path in sorted(SRC.rglob("*.py"))
                 if (lines := _sql_built_from_strings(ast.parse(path.read_text(encoding="utf-8"))))}
    assert offenders == {}, f"SQL built from strings (use bound parameters): {offenders}"


TRAVERSALS = ["../../../../../../etc/passwd", "..%2F..%2F..%2F..%2Fetc%2Fpasswd", "%2Fetc%2Fpasswd",
              "....//....//etc/passwd", "..\\..\\windows\\win.ini", "passwd%00.json", "~root"]


@pytest.fixture
def file_opens() -> Iterator[list[str]]:
    """Record every file opened or listed by this process while the test runs (audit hooks)."""
    seen: list[str] = []
    active = threading.Event()
    active.set()

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if active.is_set() and event in ("open", "os.listdir", "os.scandir") and args:
            seen.append(str(args[0]))

    sys.addaudithook(hook)  # hooks cannot be removed: this one goes quiet after the test
    yield seen
    active.clear()


def test_security_no_path_parameter_reaches_the_file_system(client: httpx.Client, file_opens: list[str]) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    templated = [p for p in paths if "{" in p]
    assert sorted(templated) == ["/events/{event_id}", "/jobs/{job_id}"], "a new path parameter: add it to this check"
    file_opens.clear()
    for template in templated:
        for payload in TRAVERSALS:
            answer = client.get(template.split("{")[0] + payload)
            assert answer.status_code == 404, (payload, answer.status_code)
            assert "root:" not in answer.text
    assert not [name for name in file_opens if "passwd" in name or "win.ini" in name or "root" in name], file_opens


def test_security_locked_database_queues_the_write_not_a_raw_error(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(locking, "BUSY_TIMEOUT_MS", 50)
    monkeypatch.setattr(locking, "BUSY_ATTEMPTS", 2)
    monkeypatch.setattr(locking, "BUSY_BACKOFF_S", 0.01)
    app = _app(tmp_path)
    with live_server(app) as url, httpx.Client(base_url=url, headers=AUTH) as http:
        assert http.post("/documents", json=BODY).status_code == 201  # opens (creates) the store
        holder = sqlite3.connect(tmp_path / "api.sqlite", isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")
        try:
            answer = http.post("/documents", json={**BODY, "text": "Police arrested protesters in Minsk."})
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        # the article is kept in the coding queue (202) and stored once the lock is gone
        assert answer.status_code == 202 and "OperationalError" not in answer.text
        deadline = time.monotonic() + 20
        while (job := http.get(answer.json()["status_url"]).json())["status"] != "done":
            assert job["status"] != "failed" and time.monotonic() < deadline, job
            time.sleep(0.1)
        assert job["result"]["doc_id"] == answer.json()["doc_id"]


def test_security_api_cuts_a_huge_text_at_max_chars_and_says_so(tmp_path: Path) -> None:
    from eventcoder.ingest import MAX_CHARS

    sentence = "Armenia shelled Ganja on Sunday, the ministry said. "
    text = sentence * (MAX_CHARS // len(sentence) + 100)
    with live_server(_app(tmp_path, max_body_bytes=3 * MAX_CHARS)) as url:
        answer = httpx.post(f"{url}/documents", json={**BODY, "text": text}, headers=AUTH, timeout=60)
    assert answer.status_code == 201
    [notice] = answer.json()["notices"]
    assert "over MAX_CHARS=1,000,000; cut at a sentence boundary" in notice
    with sqlite3.connect(tmp_path / "api.sqlite") as conn:
        [(stored,)] = conn.execute("SELECT length(text) FROM documents").fetchall()
    assert MAX_CHARS // 2 < stored <= MAX_CHARS
