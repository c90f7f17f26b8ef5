"""Keep-alive connections of `eventcoder serve` are not closed under a request (issue 15: a few clients of the
load bench got a reset or a closed connection between two requests)."""

from __future__ import annotations

import asyncio
import socket
import time

import httpx
import uvicorn
from uvicorn.server import ServerState

from eventcoder.config import load_config
from eventcoder.serving import GuardedH11


async def _app(scope: object, receive: object, send: object) -> None:
    """An ASGI app that is never called here."""


async def _timeout_closes(request_waiting: bool) -> bool:
    """Run the keep-alive timeout on a served connection (a real loopback socket); say whether it closed it."""
    loop = asyncio.get_running_loop()
    config = uvicorn.Config(app=_app, timeout_keep_alive=5)
    config.load()
    with socket.create_server(("127.0.0.1", 0)) as listener:
        client = socket.create_connection(listener.getsockname())
        accepted, _ = listener.accept()
        transport, protocol = await loop.connect_accepted_socket(
            lambda: GuardedH11(config, ServerState(), {}, loop), accepted)
        try:
            if request_waiting:  # the client's next request is in the socket; the loop has not read it yet
                client.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
                time.sleep(0.05)
            protocol.timeout_keep_alive_handler()  # no await before: the loop cannot read it first
            return transport.is_closing()
        finally:
            transport.close()
            client.close()


def test_serve_keep_alive_timeout_spares_a_request_waiting_to_be_read() -> None:
    # before: the timer, run by a busy loop before it read the request, closed the socket under it (a reset)
    assert asyncio.run(_timeout_closes(request_waiting=True)) is False
    assert asyncio.run(_timeout_closes(request_waiting=False)) is True


def test_serve_idle_timeout_outlasts_client_connection_pools() -> None:
    # A client reusing a pooled connection just as the server closes it gets an error (HTTP/1.1 cannot avoid
    # the race): the server must keep idle connections longer than clients keep them. httpx keeps them 5 s,
    # which was the server's idle timeout too; browsers keep theirs longer and retry such a request.
    assert load_config(env={}).idle_timeout_s > 2 * (httpx.Limits().keepalive_expiry or 0)
