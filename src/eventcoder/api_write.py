"""The API's write path: ``POST /documents`` queues the article, ``GET /jobs/{id}`` says how it went.

A POST is checked at once (422 for what cannot be coded: an empty text, an impossible or future date),
then persisted in the coding queue (``eventcoder.jobs``) before it is answered. It waits at most
``write_wait_s`` (on the event loop, holding no thread) for its job: 201 with what storing did when
coding finished in that time, else 202 with the job id and ``status_url``. A full queue gives 503 with
``Retry-After``. Reads never wait for coding: one runner thread codes, through a child process
(``coding_process``) unless the app was given a coder.
"""

# No `from __future__ import annotations`: FastAPI reads route annotations.
import asyncio
import contextlib
import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from fastapi import FastAPI, HTTPException, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from eventcoder.config import Config
from eventcoder.errors import EventcoderError
from eventcoder.jobs import JobQueue, JobRunner, QueueFull, RetryLater
from eventcoder.model import Document
from eventcoder.store import StoreBusy

_SURROGATE = re.compile("[\ud800-\udfff]")
JobStatus = Literal["queued", "running", "done", "failed"]


class Accepted(BaseModel):
    """An article accepted into the coding queue (202): poll ``status_url`` for the outcome."""

    job_id: str
    status: JobStatus
    doc_id: str
    status_url: str


class JobState(BaseModel):
    """A queued article: its status, and what storing did once done (or why it failed)."""

    id: str
    status: JobStatus
    result: dict[str, Any] | None = None
    error: str | None = None
    created: str | None = None
    finished: str | None = None


def queue_path(config: Config) -> str:
    """Return the queue file: the ``queue_path`` setting, else beside an SQLite store (``<db>.queue``)."""
    if config.queue_path:
        return config.queue_path
    if "://" in config.db:
        return "eventcoder.queue"
    return f"{config.db}.queue"


def scrub(value: Any) -> Any:
    """Replace lone surrogates (unencodable in UTF-8) by U+FFFD in every string inside ``value``."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value) if _has_surrogate(value) else value
    if isinstance(value, dict):
        return {scrub(k): scrub(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [scrub(v) for v in value]
    return value


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


async def validation_problem(_request: Request, exc: Exception) -> JSONResponse:
    """Answer 422 for a body or query that fails validation, echoing input safely (never a 500)."""
    errors = exc.errors() if isinstance(exc, RequestValidationError) else [{"msg": str(exc)}]
    return JSONResponse({"detail": scrub(jsonable_encoder(errors, custom_encoder={bytes: _bytes_text}))},
                        status_code=422)


def _bytes_text(data: bytes) -> str:
    return data.decode("utf-8", "replace")


Prepare = Callable[[dict[str, Any]], tuple[Document, list[str]]]
Handle = Callable[[Document, dict[str, Any], list[str]], dict[str, Any]]


class Writes:
    """The queue and its runner for one app; ``handle`` codes and stores a document, returns the Coded dict."""

    def __init__(self, config: Config, prepare: Prepare, handle: Handle) -> None:
        self.config = config
        self.prepare = prepare
        Path(queue_path(config)).parent.mkdir(parents=True, exist_ok=True)
        self.queue = JobQueue(queue_path(config), config.queue_size)

        def run(payload: dict[str, Any]) -> dict[str, Any]:
            document, notices = prepare(payload)
            try:
                return handle(document, payload, notices)
            except StoreBusy as exc:
                raise RetryLater from exc

        self.runner = JobRunner(self.queue, run, on_end=self._ended)
        self._waiters: dict[str, tuple[asyncio.AbstractEventLoop, asyncio.Event]] = {}
        self._lock = threading.Lock()

    async def wait(self, job_id: str, seconds: float) -> dict[str, Any] | None:
        """Wait (on the event loop, holding no thread) at most ``seconds`` for a job to end; return its state."""
        ended = asyncio.Event()
        with self._lock:
            self._waiters[job_id] = (asyncio.get_running_loop(), ended)
        try:
            job = self.queue.get(job_id)  # it may have ended before we listened
            if job is not None and job["status"] in ("queued", "running") and seconds > 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(ended.wait(), seconds)
                job = self.queue.get(job_id)
            return job
        finally:
            with self._lock:
                self._waiters.pop(job_id, None)

    def _ended(self, job_id: str) -> None:
        with self._lock:
            waiter = self._waiters.get(job_id)
        if waiter is not None:
            waiter[0].call_soon_threadsafe(waiter[1].set)

    def close(self) -> None:
        self.runner.stop()
        self.queue.close()


def add_write_routes(app: FastAPI, config: Config, writes: Writes, dependencies: list[Any],
                     responses: dict[int | str, dict[str, Any]]) -> None:
    """Add ``POST /documents`` and ``GET /jobs/{job_id}`` to ``app``."""
    from eventcoder.api import Coded, DocumentIn  # the models live with the other routes' models

    @app.post("/documents", status_code=201, response_model=Coded, dependencies=dependencies,
              responses={**responses, 202: {"model": Accepted}})
    async def post_document(body: DocumentIn) -> Any:
        """Queue one article for coding; 201 with what storing did if that is done within ``write_wait_s``,
        else 202 with the job to poll.

        Events under the ``min_confidence`` setting are not stored unless ``keep_all`` is set. Publication
        dates more than a day ahead are refused (422) unless ``allow_future`` is set.
        """
        payload = body.model_dump(mode="json")
        try:
            document, _ = await run_in_threadpool(writes.prepare, payload)
            job_id = await run_in_threadpool(writes.queue.submit, payload)
        except QueueFull as exc:
            raise HTTPException(503, str(exc), headers={"Retry-After": str(config.queue_retry_after_s)}) from exc
        except EventcoderError as exc:
            raise HTTPException(422, str(exc)) from exc
        writes.runner.start()
        job = await writes.wait(job_id, config.write_wait_s)
        if job is not None and job["status"] == "done":
            return Coded(**job["result"])
        if job is not None and job["status"] == "failed":
            raise HTTPException(422, job["error"])
        accepted = Accepted(job_id=job_id, status=job["status"] if job else "queued", doc_id=document.id,
                            status_url=f"/jobs/{job_id}")
        return JSONResponse(accepted.model_dump(), status_code=202, headers={"Location": accepted.status_url})

    @app.get("/jobs/{job_id}", response_model=JobState, responses={404: {"model": responses[401]["model"]}})
    def get_job(job_id: str) -> JobState:
        """Say whether a queued article is queued, running, done (with what storing did) or failed (why)."""
        job = writes.queue.get(job_id) if len(job_id) == 32 else None
        if job is None:
            raise HTTPException(404, f"no job {job_id!r} (finished jobs are forgotten after a while)")
        return JobState(**job)
