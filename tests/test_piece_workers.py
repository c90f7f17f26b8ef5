"""The pieces of a long text coded by two processes: the same events as one process, safe fall-backs."""

from __future__ import annotations

import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from pathlib import Path

import pytest

from eventcoder.errors import DataError
from eventcoder.ingest import parse_text_document, read_documents
from eventcoder.model import Document
from eventcoder.piece_workers import can_fork, code_pieces, processes_setting

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
PARENT = os.getpid()


def _pieces(count: int) -> list[Document]:
    return [parse_text_document(f"Piece {n}.", origin=f"<{n}>") for n in range(count)]


def _where(piece: Document) -> tuple[str, int]:
    return piece.text, os.getpid()


def _needs_fork() -> None:
    if not can_fork():
        pytest.skip(f"no fork here, or {threading.active_count()} threads running")


def test_piece_workers_share_the_pieces_and_keep_their_order() -> None:
    _needs_fork()
    pieces = _pieces(12)
    coded = code_pieces(_where, pieces, processes=2, min_pieces=2)
    assert [text for text, _ in coded] == [p.text for p in pieces]
    pids = {pid for _, pid in coded}
    assert PARENT in pids and len(pids) == 2  # the last piece here, the first in the helper
    assert coded[0][1] != PARENT and coded[-1][1] == PARENT
    assert threading.active_count() == 1  # the feeder threads ended


def test_piece_workers_one_process_or_few_pieces_stay_here() -> None:
    pieces = _pieces(4)
    assert {pid for _, pid in code_pieces(_where, pieces, processes=1, min_pieces=2)} == {PARENT}
    assert {pid for _, pid in code_pieces(_where, pieces, processes=2, min_pieces=5)} == {PARENT}


def _dies_in_a_helper(piece: Document) -> tuple[str, int]:
    if os.getpid() != PARENT:
        os._exit(3)
    return _where(piece)


def test_piece_workers_code_here_what_a_dead_helper_left() -> None:
    _needs_fork()
    pieces = _pieces(6)
    coded = code_pieces(_dies_in_a_helper, pieces, processes=2, min_pieces=2)
    assert coded == [(p.text, PARENT) for p in pieces]


def _fails_here(piece: Document) -> tuple[str, int]:
    if os.getpid() == PARENT:
        raise ValueError(f"cannot code {piece.text}")
    return _where(piece)


def test_piece_workers_an_error_here_ends_the_helpers() -> None:
    _needs_fork()
    with pytest.raises(ValueError, match="cannot code Piece 5"):
        code_pieces(_fails_here, _pieces(6), processes=2, min_pieces=2)
    assert multiprocessing.active_children() == []


def _pids_in_a_spawned_child() -> tuple[int, set[int]]:
    return os.getpid(), {pid for _, pid in code_pieces(_where, _pieces(8), processes=2, min_pieces=2)}


def test_piece_workers_fork_inside_a_spawned_coding_process() -> None:
    # the API codes in a spawned child (coding_process.ProcessCoder): its helpers are forked from there
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        child, pids = pool.submit(_pids_in_a_spawned_child).result(timeout=300)
    assert child in pids and len(pids) == 2 and PARENT not in pids


def test_piece_workers_setting_is_checked() -> None:
    assert processes_setting({}) == 2
    assert processes_setting({"EVENTCODER_PIECE_PROCESSES": " 1 "}) == 1
    for bad in ("0", "two", "-1", "99"):
        with pytest.raises(DataError, match="EVENTCODER_PIECE_PROCESSES"):
            processes_setting({"EVENTCODER_PIECE_PROCESSES": bad})


def test_piece_workers_pipeline_codes_the_same_events_in_two_processes(pipeline) -> None:  # type: ignore[no-untyped-def]
    from eventcoder.pipeline import Pipeline

    _needs_fork()
    texts = [d.text for d in read_documents([str(CORPUS)], on_error="raise")]
    document = parse_text_document("\n\n".join(texts), origin="<long>", published=date(2023, 5, 14))
    coded = {}
    for processes in (1, 2):
        piped = Pipeline(resolver=pipeline.resolver, parser=pipeline.parser, relevance=pipeline.relevance,
                         learned=False, piece_processes=processes)
        piped.piece_chars = max(len(t) for t in texts) + 10
        piped.parallel_pieces = 2
        coded[processes] = next(piped.code([document]))
    one, two = coded[1], coded[2]
    assert len(one.events) > 10
    assert [e.to_dict() for e in two.events] == [e.to_dict() for e in one.events]
    assert two.political == one.political
