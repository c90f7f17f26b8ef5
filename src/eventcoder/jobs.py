"""The API's coding queue: accepted articles persisted in SQLite, coded one at a time off the request path.

``POST /documents`` writes the article here (committed before it answers 202) and returns; a single
``JobRunner`` thread takes the oldest queued job, codes and stores it, and records the result that
``GET /jobs/{id}`` reports. The queue is bounded (``QueueFull`` past ``capacity`` jobs waiting: 503) and
survives a restart. Several server processes (``serve --workers N``) may share the file: a job is taken in
one transaction by one of them and marked with its owner (process id and a token of the open queue); a
job left ``running`` by an owner that is gone (its process died, or it closed the queue mid-job) is queued
again when any process next looks for work, and never one whose owner still runs. Finished jobs are kept
for ``KEEP_FINISHED`` newer ones, then forgotten.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from eventcoder.errors import EventcoderError

KEEP_FINISHED = 10_000
STATES = ("queued", "running", "done", "failed")
log = logging.getLogger("eventcoder.jobs")
_OPEN: set[str] = set()  # owner tokens of the queues open in this process


class QueueFull(EventcoderError):
    """The queue holds ``capacity`` jobs not yet coded; the client should try again later."""


class RetryLater(Exception):
    """Raised by a handler when the job may succeed later (the store was busy)."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


class JobQueue:
    """Jobs in an SQLite file: ``submit`` (bounded), ``take`` the oldest, ``finish`` or ``fail`` it, ``get`` one."""

    def __init__(self, path: str | Path, capacity: int) -> None:
        self.path = str(path)
        self.capacity = capacity
        self._lock = threading.Lock()
        self._closed = False
        self._conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=30)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=FULL")  # an accepted article is on disk before the 202
        self._conn.execute("CREATE TABLE IF NOT EXISTS jobs (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE,"
                           " state TEXT, payload TEXT, result TEXT, error TEXT, created TEXT, finished TEXT)")
        self._conn.execute("CREATE INDEX IF NOT EXISTS jobs_state ON jobs (state, seq)")
        if "owner" not in {row[1] for row in self._conn.execute("PRAGMA table_info(jobs)")}:
            self._conn.execute("ALTER TABLE jobs ADD COLUMN owner TEXT")  # a queue file of an earlier version
        self.owner = f"{os.getpid()}:{uuid.uuid4().hex}"
        _OPEN.add(self.owner)
        with self._lock:
            self._reclaim()  # a killed run's job

    def submit(self, payload: dict[str, Any]) -> str:
        """Persist a job; return its id; raise ``QueueFull`` when ``capacity`` jobs are waiting."""
        job_id = uuid.uuid4().hex
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                if self._waiting() >= self.capacity:
                    raise QueueFull(f"the coding queue is full ({self.capacity} articles waiting); try again later")
                self._conn.execute("INSERT INTO jobs (id, state, payload, created) VALUES (?, 'queued', ?, ?)",
                                   (job_id, json.dumps(payload), _now()))
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")
        return job_id

    def take(self) -> tuple[str, dict[str, Any]] | None:
        """Mark the oldest queued job running and return (id, payload), or None when none waits (or closed)."""
        with self._lock:
            if self._closed:
                return None
            self._conn.execute("BEGIN IMMEDIATE")  # several server processes may share the queue file
            self._reclaim()
            row = self._conn.execute("SELECT id, payload FROM jobs WHERE state = 'queued' ORDER BY seq LIMIT 1"
                                     ).fetchone()
            if row is not None:
                self._conn.execute("UPDATE jobs SET state = 'running', owner = ? WHERE id = ?", (self.owner, row[0]))
            self._conn.execute("COMMIT")
        if row is None:
            return None
        payload: dict[str, Any] = json.loads(row[1])
        return row[0], payload

    def finish(self, job_id: str, result: dict[str, Any]) -> None:
        self._end(job_id, "done", json.dumps(result), None)

    def fail(self, job_id: str, message: str) -> None:
        self._end(job_id, "failed", None, message)

    def requeue(self, job_id: str) -> None:
        """Put a running job back (it will be taken again after the jobs queued before it)."""
        with self._lock:
            if self._closed:
                return
            self._conn.execute("UPDATE jobs SET state = 'queued', owner = NULL WHERE id = ?", (job_id,))

    def get(self, job_id: str) -> dict[str, Any] | None:
        """Return a job's id, status, result and error (``None`` for an unknown or forgotten id)."""
        with self._lock:
            row = self._conn.execute("SELECT state, result, error, created, finished FROM jobs WHERE id = ?",
                                     (job_id,)).fetchone()
        if row is None:
            return None
        return {"id": job_id, "status": row[0], "result": json.loads(row[1]) if row[1] else None,
                "error": row[2], "created": row[3], "finished": row[4]}

    def _reclaim(self) -> None:
        """Queue again the running jobs whose owner is gone (see the module docstring)."""
        orphans = [(job_id,) for job_id, owner in self._conn.execute(
            "SELECT id, owner FROM jobs WHERE state = 'running'").fetchall() if _gone(owner)]
        self._conn.executemany("UPDATE jobs SET state = 'queued', owner = NULL WHERE id = ?", orphans)

    def waiting(self) -> int:
        """Return how many jobs are queued or running."""
        with self._lock:
            return self._waiting()

    def _waiting(self) -> int:
        count: int = self._conn.execute("SELECT COUNT(*) FROM jobs WHERE state IN ('queued', 'running')").fetchone()[0]
        return count

    def _end(self, job_id: str, state: str, result: str | None, error: str | None) -> None:
        with self._lock:
            if self._closed:
                return  # the server stopped while this job was coded: it stays "running", re-queued at start
            self._conn.execute("UPDATE jobs SET state = ?, payload = NULL, result = ?, error = ?, finished = ? "
                               "WHERE id = ?", (state, result, error, _now(), job_id))
            self._conn.execute("DELETE FROM jobs WHERE state IN ('done', 'failed') AND seq <= "
                               "(SELECT seq FROM jobs WHERE state IN ('done', 'failed') ORDER BY seq DESC "
                               "LIMIT 1 OFFSET ?)", (KEEP_FINISHED,))

    def close(self) -> None:
        with self._lock:
            self._closed = True
            _OPEN.discard(self.owner)  # a job it left running is now anyone's
            self._conn.close()


def _gone(owner: str | None) -> bool:
    """Tell whether a running job's owner can no longer finish it: its queue closed or its process ended."""
    if not owner or ":" not in owner:
        return True
    pid_text = owner.split(":", 1)[0]
    if not pid_text.isdigit():
        return True
    pid = int(pid_text)
    if pid == os.getpid():
        return owner not in _OPEN
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # it exists, run by another user
    return False


Handler = Callable[[dict[str, Any]], dict[str, Any]]


class JobRunner:
    """One thread that codes queued jobs in order with ``handle`` (payload -> result)."""

    def __init__(self, queue: JobQueue, handle: Handler, retry_after: float = 1.0,
                 on_end: Callable[[str], None] | None = None) -> None:
        self.queue = queue
        self.handle = handle
        self.on_end = on_end  # told each job id that ended (done or failed)
        self.retry_after = retry_after
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()

    def start(self) -> None:
        """Start the thread (once); later calls only wake it."""
        with self._start_lock:
            if self._thread is None or not self._thread.is_alive():
                self._stop.clear()
                self._thread = threading.Thread(target=self._run, name="eventcoder-jobs", daemon=True)
                self._thread.start()
        self._wake.set()

    def stop(self, timeout: float = 2.0) -> None:
        """Stop; a job still being coded after ``timeout`` is left "running" (queued again at the next start)."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            job = self.queue.take()
            if job is None:
                self._wake.wait(1.0)
                self._wake.clear()
                continue
            job_id, payload = job
            try:
                self.queue.finish(job_id, self.handle(payload))
            except RetryLater:
                self.queue.requeue(job_id)
                self._stop.wait(self.retry_after)
            except EventcoderError as exc:
                self.queue.fail(job_id, str(exc))
            except Exception:  # one bad article must not stop the queue
                log.exception("job %s could not be coded", job_id)
                self.queue.fail(job_id, "internal error while coding; see the server log")
            if self.on_end is not None:
                self.on_end(job_id)

