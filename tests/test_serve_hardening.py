"""`eventcoder serve` against hostile clients (issue 18): idle and half-sent connections under a descriptor
limit, a spoofed X-Forwarded-For, tokens in query strings, and the log's size. Loopback only, bounded."""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from eventcoder.serving import RateLimited, RedactQuery
from live_server import TOKEN, free_port, wait_for_health

LAUNCH = ("import resource, sys; resource.setrlimit(resource.RLIMIT_NOFILE, (256, 256)); "
          "from eventcoder.cli import main; sys.argv[0] = 'eventcoder'; main()")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """`eventcoder serve` in a process limited to 256 descriptors, its log in a file."""
    folder = tmp_path_factory.mktemp("serve")
    port = free_port()
    log = folder / "server.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("EVENTCODER_")}
    env.update(EVENTCODER_TOKEN=TOKEN, EVENTCODER_WRITE_BURST="1", EVENTCODER_WRITE_RATE_PER_MINUTE="1",
               EVENTCODER_HEADER_TIMEOUT_S="30", PYTHONPATH=os.pathsep.join(sys.path))
    with log.open("wb") as out:
        process = subprocess.Popen([sys.executable, "-c", LAUNCH, "serve", "--db", str(folder / "s.sqlite"),
                                    "--port", str(port)], stdout=out, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}"
    if wait_for_health(base, process, 90) is None:
        assert process.poll() is None, log.read_text("utf-8", "replace")
        pytest.fail("server did not start within 90 s")
    try:
        yield base, log
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_serve_answers_normal_clients_while_300_idle_connections_hold_on(server: tuple[str, Path]) -> None:
    base, log = server
    port = int(base.rsplit(":", 1)[1])
    idle: list[socket.socket] = []
    try:
        for n in range(300):  # before: once descriptors ran out every new client failed, and the log grew by MB/s
            sock = socket.socket()
            sock.setblocking(False)
            sock.connect_ex(("127.0.0.1", port))
            if n % 3 == 0:
                time.sleep(0.001)
                with contextlib.suppress(OSError):
                    sock.send(b"GET /health HTTP/1.1\r\nHost: x\r\n")  # half-sent: headers never end
            idle.append(sock)
        time.sleep(1.0)
        for _ in range(5):
            start = time.monotonic()
            answer = httpx.get(f"{base}/health", timeout=2)
            assert answer.status_code == 200
            assert time.monotonic() - start < 2
    finally:
        for sock in idle:
            sock.close()
    time.sleep(0.5)
    assert log.stat().st_size < 1_000_000


def test_serve_ignores_a_spoofed_forwarded_for(server: tuple[str, Path]) -> None:
    base, _ = server
    headers = {"Authorization": f"Bearer {TOKEN}"}
    answers = [httpx.post(f"{base}/documents", json={"text": "", "published": "2020-09-27"},
                          headers={**headers, "X-Forwarded-For": f"10.0.0.{n}"}, timeout=10) for n in range(3)]
    # a burst of one write per address: the spoofed addresses are not believed, so the second write is refused
    assert [a.status_code for a in answers][1:] == [429, 429]


def test_serve_access_log_shows_no_query_string(server: tuple[str, Path]) -> None:
    base, log = server
    httpx.get(f"{base}/events", params={"token": "s3cr3t-in-query", "limit": 1}, timeout=10)
    time.sleep(0.5)
    text = log.read_text("utf-8", "replace")
    assert "s3cr3t-in-query" not in text
    assert "GET /events?[redacted]" in text
    assert "10.0.0." not in text  # the spoofed addresses are not logged either


def test_serve_log_filter_rate_limits_a_repeated_message() -> None:
    limit = RateLimited(burst=5, window=60)
    records = [logging.LogRecord("asyncio", logging.ERROR, "x", 1, "socket.accept() out of system resource",
                                 None, None) for _ in range(1000)]
    assert sum(limit.filter(r) for r in records) == 5


def test_serve_log_filter_redacts_the_query() -> None:
    record = logging.LogRecord("uvicorn.access", logging.INFO, "x", 1, '%s - "%s %s HTTP/%s" %d',
                               ("1.2.3.4:5", "GET", "/events?token=abc", "1.1", 200), None)
    assert RedactQuery().filter(record) and "abc" not in record.getMessage()
