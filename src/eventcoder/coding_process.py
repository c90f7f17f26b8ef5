"""A coder that runs the pipeline in a child process, so that coding never holds the server's interpreter.

The API server codes queued articles through it: its own threads keep answering reads at full speed
while a long article is parsed. The child loads the models on its first document; if it dies it is
started again for the next one.
"""

from __future__ import annotations

import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import lru_cache
from typing import TYPE_CHECKING

from eventcoder.errors import EventcoderError
from eventcoder.model import Document

if TYPE_CHECKING:
    from eventcoder.pipeline import CodedDocument, Pipeline


@lru_cache(maxsize=1)
def _pipeline() -> Pipeline:
    from eventcoder.pipeline import Pipeline

    return Pipeline(keep_all=True)  # the route applies the threshold, so one pipeline serves keep_all too


def _code(document: Document) -> CodedDocument:
    return next(_pipeline().code([document]))


class ProcessCoder:
    """Call it with a document to code it in the child process (one at a time)."""

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def __call__(self, document: Document) -> CodedDocument:
        with self._lock:
            for attempt in (1, 2):
                if self._pool is None:
                    self._pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
                try:
                    return self._pool.submit(_code, document).result()
                except BrokenProcessPool as exc:
                    self._pool = None
                    if attempt == 2:
                        raise EventcoderError("the coding process died twice on this article") from exc
            raise AssertionError("unreachable")

    def close(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = None
