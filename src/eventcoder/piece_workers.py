"""The pieces of a long text coded by two processes at once, with the same events as one process.

A text cut into pieces (``eventcoder.pieces``) is coded piece by piece, each piece on its own, so the
pieces can be shared out: this process codes them from the last one backwards while helper processes
code them from the first one onwards, one piece at a time, until none is left. The pieces come back in
their order, coded as this process would have coded them.

A helper is forked with every model already loaded: nothing is read again and the memory pages stay
shared until written. Three things keep the copies few: the objects alive at the fork are frozen out of
both processes' garbage collection while the helpers live (a full pass writes to every page that holds
one), this process gives its free heap back to the system before the fork, and both trim their heap after
each piece.

Helpers are used only where forking is safe: on a platform that has ``fork`` and from a process with one
thread (a thread holding a lock at the fork would leave the helper stuck); anywhere else, and whenever a
helper cannot be started or dies, the pieces are coded here, one after the other (the same events).
``EVENTCODER_PIECE_PROCESSES`` (or ``Pipeline.piece_processes``) sets how many processes code the pieces
(default 2, the cores of a small machine; ``1`` turns helpers off). A helper lives as long as one text.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import gc
import multiprocessing
import os
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from multiprocessing.connection import Connection
from typing import Generic, TypeVar

from tqdm import tqdm

from eventcoder.errors import DataError
from eventcoder.model import Document

PROCESSES_ENV = "EVENTCODER_PIECE_PROCESSES"
DEFAULT_PROCESSES = 2
MAX_PROCESSES = 16
MIN_PIECES = 3  # a text in fewer pieces is coded in one process (a fork and its page copies cost ~0.1 s)
JOIN_SECONDS = 5.0

T = TypeVar("T")

# tqdm's monitor thread outlives its progress bar, and helpers are forked only from a process of one thread:
# every bar eventcoder draws (code, watch, eval) goes without it.
tqdm.monitor_interval = 0


def processes_setting(env: Mapping[str, str] | None = None) -> int:
    """Return how many processes code the pieces of a long text: ``EVENTCODER_PIECE_PROCESSES`` or 2."""
    value = (os.environ if env is None else env).get(PROCESSES_ENV, "").strip()
    if not value:
        return DEFAULT_PROCESSES
    if not value.isdigit() or not 1 <= int(value) <= MAX_PROCESSES:
        raise DataError(f"{PROCESSES_ENV} must be a whole number from 1 to {MAX_PROCESSES}, got {value!r}")
    return int(value)


def can_fork() -> bool:
    """Tell whether helpers may be forked here: the platform has ``fork`` and this process runs one thread."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


class _Shared(Generic[T]):
    """The pieces still to code (helpers take the first, this process the last) and the ones coded."""

    def __init__(self, count: int) -> None:
        self.todo: deque[int] = deque(range(count))
        self.done: dict[int, T] = {}
        self.lock = threading.Lock()

    def first(self) -> int | None:
        with self.lock:
            return self.todo.popleft() if self.todo else None

    def last(self) -> int | None:
        with self.lock:
            return self.todo.pop() if self.todo else None

    def clear(self) -> None:
        with self.lock:
            self.todo.clear()

    def give_back(self, index: int) -> None:
        with self.lock:
            self.todo.appendleft(index)


def code_pieces(code: Callable[[Document], T], pieces: Sequence[Document], processes: int,
                min_pieces: int = MIN_PIECES) -> list[T]:
    """Return ``code(piece)`` for every piece, in order, coded by ``processes`` processes where it is safe
    and there are at least ``min_pieces`` pieces.

    ``code`` must give the same answer for a piece in any process and in any order of the pieces (it codes
    each piece on its own); the answers must pickle.
    """
    helpers = min(processes, len(pieces)) - 1
    if helpers < 1 or len(pieces) < max(min_pieces, 2) or not can_fork():
        return [code(piece) for piece in pieces]
    shared: _Shared[T] = _Shared(len(pieces))
    code = _trimming(code)
    trim_heap()  # the helper's first writes then take fresh pages, not copies of this process' free ones
    gc.freeze()  # kept out of both processes' collections until the helpers are gone
    try:
        started = _start_helpers(code, pieces, helpers)
    except BaseException:
        gc.unfreeze()
        raise
    feeders = [threading.Thread(target=_feed, args=(conn, shared), name="eventcoder-piece-feeder", daemon=True)
               for _, conn in started]
    for feeder in feeders:
        feeder.start()
    try:
        while (index := shared.last()) is not None:
            shared.done[index] = code(pieces[index])
        for feeder in feeders:
            feeder.join()
        while (index := shared.last()) is not None:  # given back by a helper that died
            shared.done[index] = code(pieces[index])
    except BaseException:  # an error or Ctrl-C here: no piece is handed out any more, the helpers are ended
        shared.clear()
        for process, _ in started:
            process.kill()
        raise
    finally:
        _stop(started)
        gc.unfreeze()
    return [shared.done[i] for i in range(len(pieces))]


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    name = ctypes.util.find_library("c")
    try:
        trim: Callable[[int], int] = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError, TypeError):  # no C library found, or not glibc
        return None
    return trim


def trim_heap() -> None:
    """Give the C heap's free memory back to the system (glibc ``malloc_trim``; nothing elsewhere)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def _trimming(code: Callable[[Document], T]) -> Callable[[Document], T]:
    """Return ``code`` that trims the heap after each piece: two processes each keeping the free memory
    of their largest piece's parse would hold it twice."""

    def trimmed(piece: Document) -> T:
        try:
            return code(piece)
        finally:
            trim_heap()

    return trimmed


def _start_helpers(code: Callable[[Document], T], pieces: Sequence[Document],
                   count: int) -> list[tuple[multiprocessing.process.BaseProcess, Connection]]:
    """Fork up to ``count`` helpers (none started is no error: this process codes everything)."""
    context = multiprocessing.get_context("fork")
    started: list[tuple[multiprocessing.process.BaseProcess, Connection]] = []
    with _quiet_tokenizers():
        for _ in range(count):
            ours, theirs = context.Pipe()
            process = context.Process(target=_helper, args=(code, pieces, theirs, ours),
                                      name="eventcoder-pieces", daemon=True)
            try:
                process.start()
            except (OSError, AssertionError):  # no memory or process left, or a daemonic parent: code here
                ours.close()
                theirs.close()
                break
            theirs.close()
            started.append((process, ours))
    return started


def _helper(code: Callable[[Document], T], pieces: Sequence[Document], conn: Connection, other: Connection) -> None:
    """In the helper: code the pieces asked for until told to stop or the parent's end of the pipe closes."""
    other.close()  # so that the parent's death reads as end of file here
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it ends the helpers
    while True:
        try:
            index = conn.recv()
        except (EOFError, OSError):
            return
        if index is None:
            return
        try:
            conn.send(code(pieces[index]))
        except Exception:  # the parent codes this piece again and meets the error itself
            return


def _feed(conn: Connection, shared: _Shared[T]) -> None:
    """In this process, one thread per helper: hand it the first piece left until none is; a piece it
    could not code (it died) goes back to the pieces left."""
    while (index := shared.first()) is not None:
        try:
            conn.send(index)
            shared.done[index] = conn.recv()
        except Exception:  # a helper that died (end of file) or an answer that would not unpickle
            shared.give_back(index)
            return


def _stop(started: list[tuple[multiprocessing.process.BaseProcess, Connection]]) -> None:
    for _, conn in started:
        with suppress(OSError):
            conn.send(None)
        conn.close()
    for process, _ in started:
        process.join(JOIN_SECONDS)
        if process.is_alive():
            process.kill()
            process.join()


@contextmanager
def _quiet_tokenizers() -> Iterator[None]:
    """Fork with ``TOKENIZERS_PARALLELISM`` set: the helper then tokenises on its one thread without warning
    that its parent's tokenizer threads are gone (the same tokens either way)."""
    name = "TOKENIZERS_PARALLELISM"
    before = os.environ.get(name)
    os.environ[name] = "false"
    try:
        yield
    finally:
        if before is None:
            del os.environ[name]
        else:
            os.environ[name] = before
