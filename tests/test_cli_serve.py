"""`eventcoder serve` as a real process: it listens, answers /health, and refuses writes without a token."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from live_server import free_port, wait_for_health


def test_cli_serve_answers_health_and_guards_writes(tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("EVENTCODER_")}
    server = subprocess.Popen(
        [sys.executable, "-m", "eventcoder.cli", "serve", "--db", str(tmp_path / "s.sqlite"), "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    try:
        base = f"http://127.0.0.1:{port}"
        health = wait_for_health(base, server, 60)
        if health is None:
            assert server.poll() is None, server.stdout.read().decode() if server.stdout else ""
            pytest.fail("server did not start within 60 s")
        assert health.status_code == 200
        assert health.json()["events"] == 0
        refused = httpx.post(f"{base}/documents", json={"text": "Troops shelled the town.", "date": "2020-09-27"})
        assert refused.status_code == 401
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_cli_serve_workers_share_one_port(tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("EVENTCODER_")}
    server = subprocess.Popen(
        [sys.executable, "-m", "eventcoder.cli", "serve", "--db", str(tmp_path / "w.sqlite"), "--port", str(port),
         "--workers", "2"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        base = f"http://127.0.0.1:{port}"
        health = wait_for_health(base, server, 90)
        if health is None:
            assert server.poll() is None, "the server exited"
            pytest.fail("server did not start within 90 s")
        assert health.status_code == 200
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
        assert len(children) >= 2  # uvicorn's supervisor and its worker processes
        assert all(httpx.get(f"{base}/events", timeout=10).json()["total"] == 0 for _ in range(6))
    finally:
        server.terminate()
        server.wait(timeout=30)
