"""A live uvicorn server on 127.0.0.1 in a thread, for the API, web, security, fuzz and concurrency tests."""

from __future__ import annotations

import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI

from eventcoder.model import Document
from eventcoder.pipeline import CodedDocument

TOKEN = "tok-3f9c2d7e1b8a4c6d"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_health(base: str, process: subprocess.Popen[Any], seconds: float) -> httpx.Response | None:
    """Poll ``base``/health until a server started as ``process`` answers; None when it exits or time runs out."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            return httpx.get(f"{base}/health", timeout=2)
        except httpx.TransportError:
            if process.poll() is not None or time.monotonic() > deadline:
                return None
            time.sleep(0.3)


def no_events(document: Document) -> CodedDocument:
    """Code nothing: for tests about the API's gate, not its events."""
    return CodedDocument(document, ())


@contextmanager
def live_server(app: FastAPI, **options: Any) -> Iterator[str]:
    """Serve ``app`` on a free port until the block ends; yield its base URL."""
    port = free_port()
    options.setdefault("log_level", "warning")
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, **options))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
