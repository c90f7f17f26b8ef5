"""The pieces of a long text coded by two processes: the same events as one process, safe fall-backs."""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable
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


def _in_a_fresh_process(check: Callable[[], None]) -> None:
    """Run ``check`` here when helpers may be forked here, else in a spawned process of one thread (a test
    session runs server and watcher threads, and helpers are forked only from a process of one thread)."""
    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("no fork on this platform: long texts are coded by one process")
    if can_fork():
        check()
        return
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        pool.submit(check).result(timeout=600)


def test_piece_workers_share_the_pieces_and_keep_their_order() -> None:
    _in_a_fresh_process(_share_the_pieces_and_keep_their_order)


def _share_the_pieces_and_keep_their_order() -> None:
    parent = os.getpid()
    pieces = _pieces(12)
    coded = code_pieces(_where, pieces, processes=2, min_pieces=2)
    assert [text for text, _ in coded] == [p.text for p in pieces]
    pids = {pid for _, pid in coded}
    assert parent in pids and len(pids) == 2  # the last piece here, the first in the helper
    assert coded[0][1] != parent and coded[-1][1] == parent
    assert threading.active_count() == 1  # the feeder threads ended


def test_piece_workers_one_process_or_few_pieces_stay_here() -> None:
    pieces = _pieces(4)
    assert {pid for _, pid in code_pieces(_where, pieces, processes=1, min_pieces=2)} == {PARENT}
    assert {pid for _, pid in code_pieces(_where, pieces, processes=2, min_pieces=5)} == {PARENT}


_CODER = [0]  # the pid of the process that codes the pieces (set before the helpers are forked)


def _dies_in_a_helper(piece: Document) -> tuple[str, int]:
    if os.getpid() != _CODER[0]:
        os._exit(3)
    return _where(piece)


def test_piece_workers_code_here_what_a_dead_helper_left() -> None:
    _in_a_fresh_process(_code_here_what_a_dead_helper_left)


def _code_here_what_a_dead_helper_left() -> None:
    _CODER[0] = os.getpid()
    pieces = _pieces(6)
    coded = code_pieces(_dies_in_a_helper, pieces, processes=2, min_pieces=2)
    assert coded == [(p.text, os.getpid()) for p in pieces]


def _fails_here(piece: Document) -> tuple[str, int]:
    if os.getpid() == _CODER[0]:
        raise ValueError(f"cannot code {piece.text}")
    return _where(piece)


def test_piece_workers_an_error_here_ends_the_helpers() -> None:
    _in_a_fresh_process(_an_error_here_ends_the_helpers)


def _an_error_here_ends_the_helpers() -> None:
    _CODER[0] = os.getpid()
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


def test_piece_workers_pipeline_codes_the_same_events_in_two_processes() -> None:
    _in_a_fresh_process(_pipeline_codes_the_same_events_in_two_processes)


def _pipeline_codes_the_same_events_in_two_processes() -> None:
    from eventcoder.pipeline import Pipeline

    pipeline = Pipeline(learned=False)
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


def _threads_after_coding_with_a_progress_bar(folder: str) -> int:
    import io

    from eventcoder.batch import code_paths
    from reliability_batch import LightPipeline

    code_paths([folder], io.StringIO(), progress=True, pipeline=LightPipeline())
    return threading.active_count()


def test_piece_workers_a_progress_bar_leaves_no_thread_that_would_stop_them(tmp_path: Path) -> None:
    # tqdm's monitor thread outlived its bar: `eventcoder code` on a terminal then coded long texts in one process
    (tmp_path / "a.txt").write_text("date 2020-09-27\nTroops shelled the town.\n", encoding="utf-8")
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        assert pool.submit(_threads_after_coding_with_a_progress_bar, str(tmp_path)).result(timeout=300) == 1
