"""Concurrent writers: take the write lock up front, retry lock conflicts with backoff, then say so."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from eventcoder.errors import StoreError

BUSY_TIMEOUT_MS = 10_000  # SQLite waits this long for another writer's lock before answering "locked"
BUSY_ATTEMPTS = 4  # then a write is tried again this many times in all, backing off, before StoreBusy
BUSY_BACKOFF_S = 0.2  # first pause between attempts; doubles each time, with jitter
# PostgreSQL SQLSTATEs worth a retry: serialization failure, deadlock detected, lock not available
_RETRY_SQLSTATES = frozenset({"40001", "40P01", "55P03"})
_T = TypeVar("_T")


class StoreBusy(StoreError):
    """Another writer kept the database locked through every retry; trying again later may succeed."""


def is_busy(exc: BaseException) -> bool:
    """Say whether a database error is a lock or serialization conflict that a retry may get past."""
    if not isinstance(exc, DBAPIError):
        return False
    sqlstate = getattr(exc.orig, "sqlstate", None)
    if sqlstate is not None:
        return sqlstate in _RETRY_SQLSTATES
    message = str(exc.orig).lower()
    return "database is locked" in message or "database is busy" in message or "database table is locked" in message


def retry_busy(work: Callable[[], _T], what: str, attempts: int | None = None) -> _T:
    """Run ``work`` (one whole transaction), again after a lock conflict, at most ``attempts`` times in all."""
    attempts = attempts or BUSY_ATTEMPTS
    for attempt in range(1, attempts + 1):
        try:
            return work()
        except DBAPIError as exc:
            if not is_busy(exc):
                raise
            if attempt == attempts:
                raise StoreBusy(f"{what}: the database stayed locked by another writer through {attempts} attempts; "
                                "try again in a moment") from exc
            time.sleep(BUSY_BACKOFF_S * 2 ** (attempt - 1) * random.uniform(0.5, 1.5))  # jitter parts colliding writers
    raise AssertionError("unreachable: the loop returns or raises")


def write_lock(conn: sa.Connection) -> None:
    """Take the database's write lock at the start of a transaction, so writers queue instead of conflicting."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(7201)"))
    elif conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Put a new SQLite connection in WAL mode (synchronous NORMAL) with foreign keys on."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # the busy timeout is set at connect (``timeout``): this may wait
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")  # WAL: a commit is durable at the next checkpoint, never corrupt
    cursor.close()
