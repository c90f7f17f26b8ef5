"""Nothing lost, nothing doubled: batches killed with SIGKILL and restarted; API and batch writing at once.

Every batch here is a real ``eventcoder code`` subprocess (tests/reliability_batch.py: the CLI with a
light keyword coder), on SQLite and on a throwaway PostgreSQL server.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from eventcoder.api import WriteLimit, create_app
from eventcoder.config import load_config
from eventcoder.store import Store, database_url
from live_server import TOKEN, live_server
from pg import fresh_database
from reliability_batch import LightPipeline, corpus_text

HELPER = Path(__file__).resolve().parent / "reliability_batch.py"
N_DOCUMENTS = 36
N_POSTED = 24  # documents posted to the API while a batch writes
DELAY_S = "0.05"  # per document: a run takes ~2 s, so the kills below land mid-run


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    for number in range(N_DOCUMENTS):
        (folder / f"article-{number:03d}.txt").write_text(corpus_text(number), encoding="utf-8")
    return folder


def _target(backend: str, tmp_path: Path, name: str, request: pytest.FixtureRequest) -> str:
    if backend == "sqlite":
        return str(tmp_path / f"{name}.sqlite")
    return fresh_database(request.getfixturevalue("postgres_url"), f"rel_{name}_{os.getpid()}")


def _batch(corpus: Path, db: str, out: Path, resume: bool = False, delay: str = "0") -> subprocess.Popen[bytes]:
    args = [sys.executable, str(HELPER), *(["--resume"] if resume else []), "code", str(corpus), "--db", db,
            "-o", str(out), "-q"]
    return subprocess.Popen(args, env={**os.environ, "RELIABILITY_DELAY_S": delay},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _finish(process: subprocess.Popen[bytes]) -> None:
    _, err = process.communicate(timeout=120)
    assert process.returncode == 0, err.decode(errors="replace")


def _stored_documents(db: str) -> int:
    engine = sa.create_engine(database_url(db))
    try:
        with engine.connect() as conn:
            if not sa.inspect(conn).has_table("documents"):
                return 0
            return int(conn.execute(sa.text("SELECT count(*) FROM documents")).scalar_one())
    finally:
        engine.dispose()


def _kill_after(process: subprocess.Popen[bytes], db: str, stored: int) -> int:
    """SIGKILL the batch once ``stored`` documents are in; return how many were stored when it died."""
    deadline = time.monotonic() + 60
    while _stored_documents(db) < stored:
        assert process.poll() is None, "the batch ended before it could be killed"
        assert time.monotonic() < deadline, "the batch stored nothing for a minute"
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=30)
    assert process.returncode == -signal.SIGKILL
    return _stored_documents(db)


def _contents(db: str) -> dict[str, Any]:
    store = Store.open(db)
    try:
        return {"documents": store.summary().documents, "records": list(store.records()),
                "dataset": list(store.dataset())}
    finally:
        store.close()


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def uninterrupted(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("uninterrupted")
    db, out = str(folder / "events.sqlite"), folder / "events.jsonl"
    _finish(_batch(corpus, db, out))
    contents = _contents(db)
    assert contents["documents"] == N_DOCUMENTS
    assert len(contents["dataset"]) < len(contents["records"]), "the corpus must merge reports across articles"
    return {**contents, "lines": _lines(out)}


@pytest.fixture(scope="module")
def one_writer(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The store one batch makes of the corpus and the documents the API will be sent, all in one folder."""
    folder = tmp_path_factory.mktemp("one-writer")
    (folder / "in").mkdir()
    for number in range(N_DOCUMENTS + N_POSTED):
        (folder / "in" / f"article-{number:03d}.txt").write_text(corpus_text(number), encoding="utf-8")
    _finish(_batch(folder / "in", str(folder / "events.sqlite"), folder / "events.jsonl"))
    return _contents(str(folder / "events.sqlite"))


@pytest.mark.parametrize("resume", [False, True], ids=["recode", "resume"])
@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_reliability_batch_killed_then_rerun_equals_an_uninterrupted_run(
        backend: str, resume: bool, corpus: Path, uninterrupted: dict[str, Any], tmp_path: Path,
        request: pytest.FixtureRequest) -> None:
    db = _target(backend, tmp_path, f"killed_{int(resume)}", request)
    out = tmp_path / "events.jsonl"
    stored = [_kill_after(_batch(corpus, db, out, resume, delay=DELAY_S), db, stored=5)]
    if resume:  # a resumed run killed in turn: the next one resumes from what both stored
        stored.append(_kill_after(_batch(corpus, db, out, resume, delay=DELAY_S), db, stored=stored[0] + 8))
    assert stored[0] >= 5 and stored == sorted(set(stored)) and stored[-1] < N_DOCUMENTS, "a kill was not mid-run"
    _finish(_batch(corpus, db, out, resume))
    contents = _contents(db)
    assert contents["documents"] == N_DOCUMENTS
    assert contents["records"] == uninterrupted["records"]  # none lost, none doubled, same fields
    assert contents["dataset"] == uninterrupted["dataset"]  # merged across articles as in one run
    lines = _lines(out)
    if resume:  # the stored documents' records are read back into the output, in input order
        assert lines == uninterrupted["lines"]
    else:
        assert out.read_text(encoding="utf-8").splitlines() == [json.dumps(r, ensure_ascii=False)
                                                                for r in uninterrupted["lines"]]


def test_reliability_resume_codes_nothing_already_stored(corpus: Path, uninterrupted: dict[str, Any],
                                                         tmp_path: Path) -> None:
    db = str(tmp_path / "events.sqlite")
    _finish(_batch(corpus, db, tmp_path / "first.jsonl"))
    process = _batch(corpus, db, tmp_path / "again.jsonl", resume=True, delay="30")  # coding anything would hang
    _finish(process)
    assert _lines(tmp_path / "again.jsonl") == uninterrupted["lines"]


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_reliability_api_and_batch_write_at_once_lose_nothing(
        backend: str, corpus: Path, one_writer: dict[str, Any], tmp_path: Path,
        request: pytest.FixtureRequest) -> None:
    db = _target(backend, tmp_path, "concurrent", request)
    Store.open(db).close()
    posted = [corpus_text(number) for number in range(N_DOCUMENTS, N_DOCUMENTS + N_POSTED)]
    light = LightPipeline()
    config = load_config(env={}, db=db, token=TOKEN, write_wait_s=60,  # each POST answers 201 once stored
                         queue_path=str(tmp_path / "api.queue"))
    app = create_app(config, coder=lambda document: next(light.code([document])),
                     write_limit=WriteLimit(per_minute=6000, burst=1000))
    with live_server(app) as url, httpx.Client(base_url=url, timeout=60,
                                               headers={"Authorization": f"Bearer {TOKEN}"}) as http:
        process = _batch(corpus, db, tmp_path / "batch.jsonl", delay=DELAY_S)
        while _stored_documents(db) < 2 and process.poll() is None:  # post while the batch is writing
            time.sleep(0.02)
        with ThreadPoolExecutor(max_workers=4) as pool:
            answers = list(pool.map(lambda text: http.post("/documents", json={"text": text}), posted))
        batch_running_meanwhile = process.poll() is None
        _finish(process)
    assert [a.status_code for a in answers] == [201] * len(posted), [a.text for a in answers if a.status_code != 201]
    assert batch_running_meanwhile, "the API writes did not overlap the batch"

    expected, got = one_writer, _contents(db)
    assert got["documents"] == N_DOCUMENTS + N_POSTED
    assert sorted(got["records"], key=lambda r: r["id"]) == sorted(expected["records"], key=lambda r: r["id"])
    assert got["dataset"] == expected["dataset"]


def test_reliability_store_retries_a_locked_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite3
    import threading

    from eventcoder.model import Document
    from eventcoder.store import StoreBusy, locking

    monkeypatch.setattr(locking, "BUSY_TIMEOUT_MS", 50)  # SQLite's own wait gives up at once: retries must do
    db = tmp_path / "events.sqlite"
    opened = Store.open(str(db))
    holder = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN EXCLUSIVE")
    threading.Timer(0.3, lambda: holder.execute("ROLLBACK")).start()
    document = Document("doc-1", "Russia called for a ceasefire.", None, origin="a.txt")
    started = time.monotonic()
    assert opened.save(document, []) == 0
    assert 0.25 < time.monotonic() - started < 5
    assert opened.has_document("doc-1")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreBusy, match="stayed locked by another writer through 4 attempts"):
            opened.save(document, [])
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        opened.close()


DriverError = type("OperationalError", (Exception,), {})  # a driver error without an SQLSTATE, like sqlite3's


@pytest.mark.parametrize(("orig", "busy"), [
    (DriverError, False),
    (type("SerializationFailure", (Exception,), {"sqlstate": "40001"}), True),
    (type("DeadlockDetected", (Exception,), {"sqlstate": "40P01"}), True),
    (type("UniqueViolation", (Exception,), {"sqlstate": "23505"}), False),
])
def test_reliability_store_retries_only_lock_conflicts(orig: type[Exception], busy: bool) -> None:
    from eventcoder.store import is_busy

    assert is_busy(sa.exc.OperationalError("INSERT", {}, orig("conflict"))) is busy
    assert is_busy(sa.exc.OperationalError("INSERT", {}, DriverError("database is locked"))) is True
