"""How ``eventcoder serve`` runs uvicorn against hostile clients (SECURITY.md).

- Header timeout: a client must finish its request headers within ``header_timeout_s`` of its first
  byte (or of connecting); half-sent and silent connections are closed.
- Idle timeout: a keep-alive connection with no request is closed after ``idle_timeout_s``, unless the
  client's next request has reached the socket and waits to be read (a busy event loop runs the timer before
  reading it): closing then would reset the connection under a request the client rightly sent.
- Connection cap: at most ``max_connections`` open at once (and never more than the descriptor limit
  allows, with room for the database and logs). A connection past the cap closes the connection idle the
  longest (no request in flight, none waiting to be read), so idle clients cannot lock out working ones;
  when none is idle, the new connection is closed.
- ``X-Forwarded-For`` / ``-Proto`` are believed only from the addresses in ``trusted_proxies``.
- The access log never shows query strings; repeated log lines (accept errors when descriptors run out)
  are rate-limited per message, with a count of those left out.
- ``serve(config, workers=N)`` runs N processes on one port, each building its app from the config.
"""

from __future__ import annotations

import array
import asyncio
import fcntl
import json
import logging
import os
import resource
import termios
import time
from dataclasses import asdict
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

from eventcoder.config import Config

FD_HEADROOM = 64  # descriptors kept for the database, the queue, logs and the listening socket
LOGGERS = ("uvicorn.error", "asyncio", "eventcoder.jobs")  # rate-limited (the access log is one line a request)


class GuardedH11(H11Protocol):
    """uvicorn's h11 protocol with a header deadline and a connection cap that evicts idle connections."""

    header_timeout = 10.0
    max_connections = 200

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._deadline: asyncio.TimerHandle | None = None
        self._last_active = time.monotonic()
        if len(self.connections) > self.max_connections:
            self._make_room()
        self._arm()

    def data_received(self, data: bytes) -> None:
        if not self._busy():
            self._arm()
        super().data_received(data)
        if self._busy():
            self._disarm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def on_response_complete(self) -> None:
        self._last_active = time.monotonic()
        super().on_response_complete()

    def timeout_keep_alive_handler(self) -> None:
        if not self._unread():  # else the request that came in is read next: no close under it
            super().timeout_keep_alive_handler()

    def _busy(self) -> bool:
        """Say whether a request (headers complete) is being answered."""
        return self.cycle is not None and not self.cycle.response_complete

    def _unread(self) -> bool:
        """Say whether the client sent bytes that this end has not read yet (FIONREAD on the socket)."""
        sock = self.transport.get_extra_info("socket")
        if sock is None:
            return False
        count = array.array("i", [0])
        try:
            fcntl.ioctl(sock.fileno(), termios.FIONREAD, count)
        except OSError:
            return False
        return count[0] > 0

    def _arm(self) -> None:
        if getattr(self, "_deadline", None) is None:
            self._deadline = self.loop.call_later(self.header_timeout, self._expire)

    def _disarm(self) -> None:
        if getattr(self, "_deadline", None) is not None:
            self._deadline.cancel()  # type: ignore[union-attr]
            self._deadline = None

    def _expire(self) -> None:
        self._deadline = None
        if not self._busy() and not self.transport.is_closing():
            self.transport.close()

    def _make_room(self) -> None:
        idle = [c for c in self.connections if c is not self and isinstance(c, GuardedH11) and not c._busy()
                and not c.transport.is_closing() and not c._unread()]
        if not idle:
            self.transport.close()
            return
        min(idle, key=lambda c: c._last_active).transport.close()


def connection_cap(config: Config) -> int:
    """Return the connection cap: the setting, lowered to fit the process's descriptor limit."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return config.max_connections
    return max(1, min(config.max_connections, soft - FD_HEADROOM))


def protocol_for(config: Config) -> type[GuardedH11]:
    """Return the protocol class with this config's limits."""
    attributes = {"header_timeout": config.header_timeout_s, "max_connections": connection_cap(config)}
    return type("ConfiguredH11", (GuardedH11,), attributes)


def uvicorn_options(config: Config) -> dict[str, Any]:
    """Return the uvicorn.Config options that apply the hardening settings."""
    trusted = list(config.trusted_proxies)
    return {"http": protocol_for(config), "loop": "asyncio", "timeout_keep_alive": config.idle_timeout_s,
            "proxy_headers": bool(trusted), "forwarded_allow_ips": trusted or None, "backlog": 2048}


class RedactQuery(logging.Filter):
    """Drop the query string from uvicorn's access-log lines (a token or search there is nobody's business)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str) and "?" in args[2]:
            record.args = (*args[:2], args[2].split("?", 1)[0] + "?[redacted]", *args[3:])
        return True


class RateLimited(logging.Filter):
    """Let through at most ``burst`` records of one message per ``window`` seconds; then say how many were not."""

    def __init__(self, burst: int = 5, window: float = 10.0) -> None:
        super().__init__()
        self.burst = burst
        self.window = window
        self._seen: dict[tuple[str, str], tuple[float, int, int]] = {}  # key -> (window start, shown, dropped)

    def filter(self, record: logging.LogRecord) -> bool:
        key = (record.name, str(record.msg))
        now = time.monotonic()
        start, shown, dropped = self._seen.get(key, (now, 0, 0))
        if now - start >= self.window:
            if dropped:
                record.msg = f"{record.msg} [{dropped} similar line(s) left out in the last {self.window:g} s]"
            start, shown, dropped = now, 0, 0
        if shown >= self.burst:
            self._seen[key] = (start, shown, dropped + 1)
            return False
        if len(self._seen) > 1000:
            self._seen.clear()
        self._seen[key] = (start, shown + 1, dropped)
        return True


def harden_logging() -> None:
    """Put the query redaction and the rate limit on the server's loggers (once)."""
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, RedactQuery) for f in access.filters):
        access.addFilter(RedactQuery())
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RateLimited) for f in logger.filters):
            logger.addFilter(RateLimited())


WORKER_CONFIG = "EVENTCODER_WORKER_CONFIG"  # the config a ``serve --workers`` parent hands its worker processes


def worker_app() -> Any:
    """Build the app in one of ``serve --workers N``'s processes, from the config its parent handed down."""
    from eventcoder.api import create_app

    raw: dict[str, Any] = json.loads(os.environ[WORKER_CONFIG])
    settings: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in raw.items()}  # JSON lists
    config = Config(**settings)
    harden_logging()  # each worker process has its own loggers
    # the protocol class reaches the workers by name (a configured subclass cannot be pickled): set its limits here
    GuardedH11.header_timeout = config.header_timeout_s
    GuardedH11.max_connections = connection_cap(config)
    return create_app(config)


def serve(config: Config, workers: int = 1) -> None:
    """Run the API with uvicorn on the config's host and port until interrupted, in ``workers`` processes."""
    import uvicorn

    from eventcoder.api import create_app
    from eventcoder.store import Store

    options: dict[str, Any] = {"host": config.host, "port": config.port, "log_level": "info",
                               **uvicorn_options(config)}
    if workers <= 1:
        server = uvicorn.Server(uvicorn.Config(create_app(config), **options))
        harden_logging()  # after uvicorn.Config, which sets up the loggers
        server.run()
        return
    Store.open(config.db).close()  # create or migrate the store once, before the workers open it together
    os.environ[WORKER_CONFIG] = json.dumps(asdict(config))
    uvicorn.run("eventcoder.serving:worker_app", factory=True, workers=workers, **{**options, "http": GuardedH11})
