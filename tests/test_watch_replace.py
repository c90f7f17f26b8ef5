"""Watch codes a file once complete, and a changed file replaces its earlier version (issue 18, defect 3)."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from conftest import CORPUS
from eventcoder.batch import code_paths
from eventcoder.ingest import IngestReport
from eventcoder.pipeline import CodedDocument
from eventcoder.store import Store
from eventcoder.watch import SeenState, folder_items, watch

OLD = time.time() - 3600  # a modification time well past any settle interval


def _write(path: Path, text: str, settled: bool = True) -> None:
    path.write_text(text, "utf-8")
    if settled:
        os.utime(path, (OLD, OLD))


def _store_content(db: Path) -> tuple[set[str], set[str]]:
    store = Store.open(str(db))
    try:
        records = list(store.records())
        return {r["doc_id"] for r in records}, {r["id"] for r in records}
    finally:
        store.close()


def _watch_pass(folder: Path, db: Path, state: Path, pipeline: Any, settle: float) -> None:
    store = Store.open(str(db))
    seen = SeenState(state)

    def sink(coded: CodedDocument) -> None:
        store.save(coded.document, coded.events, political=coded.political)

    try:
        watch([str(folder)], seen, pipeline, sink, once=True, settle=settle, forget=store.forget,
              log=lambda _line: None)
    finally:
        seen.close()
        store.close()


def test_watch_skips_a_file_still_being_written(tmp_path: Path) -> None:
    _write(tmp_path / "done.txt", "date 2020-01-01 Done.")
    _write(tmp_path / "writing.txt", "date 2020-01-01 Half", settled=False)
    report = IngestReport()
    items = list(folder_items(tmp_path, None, report, settle=5.0))
    assert [Path(i.source).name for i in items] == ["done.txt"]
    assert report.notices == [f"{tmp_path / 'writing.txt'}: modified under 5 s ago (may still be being written); "
                              "left for a later pass"]
    assert [Path(i.source).name for i in folder_items(tmp_path, None, IngestReport(), settle=0.0)] == [
        "done.txt", "writing.txt"]


def test_watch_and_batch_of_the_final_folder_give_the_same_store(pipeline, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Before: a half-written then completed file, and an edited one, left their old events beside the new."""
    texts = sorted(CORPUS.glob("*.txt"))
    folder = tmp_path / "inbox"
    folder.mkdir()
    db, state = tmp_path / "watch.sqlite", tmp_path / "watch.state"
    full = texts[0].read_text("utf-8")
    _write(folder / "a.txt", full[: len(full) // 2])  # caught half-written (the writer paused past the interval)
    _write(folder / "b.txt", texts[1].read_text("utf-8"))
    _write(folder / "c.txt", texts[2].read_text("utf-8"))
    _watch_pass(folder, db, state, pipeline, settle=5.0)
    _write(folder / "a.txt", full)  # completed
    _write(folder / "b.txt", texts[3].read_text("utf-8"))  # edited after coding: now another story
    _write(folder / "d.txt", texts[2].read_text("utf-8"), settled=False)  # a copy of c.txt, being written
    _watch_pass(folder, db, state, pipeline, settle=5.0)
    os.utime(folder / "d.txt", (OLD, OLD))
    _watch_pass(folder, db, state, pipeline, settle=5.0)

    batch_db = tmp_path / "batch.sqlite"
    result = code_paths([str(folder)], None, db=str(batch_db), pipeline=pipeline)
    assert not result.problems
    watched, batch = _store_content(db), _store_content(batch_db)
    assert watched == batch
    assert len(watched[0]) == 3  # a (full), b (new story), c (= d)


def test_watch_skips_an_item_dated_in_the_future_unless_allowed(pipeline, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "inbox"
    folder.mkdir()
    _write(folder / "far.txt", "date 2099-01-01 Russia called for a ceasefire in the region.")
    coded: list[str] = []
    for allow in (False, True):
        seen = SeenState(tmp_path / f"state{allow}")
        stats = watch([str(folder)], seen, pipeline, lambda c: coded.append(c.document.id), once=True,
                      allow_future=allow, log=lambda _line: None)
        seen.close()
        assert stats.coded == int(allow)
        assert [s for s in stats.skipped if "2099-01-01 is in the future" in s] == ([] if allow else [
            f"{folder / 'far.txt'}: publication date 2099-01-01 is in the future "
            "(check the date, or allow it with --allow-future)"])
