"""The coding queue shared by several server processes (``serve --workers N``): no job coded twice, none lost."""

from __future__ import annotations

import multiprocessing
import os
import time
from collections import Counter
from pathlib import Path

from eventcoder.jobs import JobQueue, JobRunner

JOBS = 24


def _worker(queue_path: str, log_path: str, seconds: float) -> None:
    """One server process: its own queue connection and runner, coding each job by writing a log line."""
    queue = JobQueue(queue_path, capacity=100)

    def handle(payload: dict[str, int]) -> dict[str, int]:
        with open(log_path, "a", encoding="utf-8") as log:
            log.write(f"{payload['n']} {os.getpid()}\n")
        time.sleep(0.15)  # coding takes a while: other workers start meanwhile
        return {"n": payload["n"]}

    runner = JobRunner(queue, handle, retry_after=0.05)
    runner.start()
    time.sleep(seconds)
    runner.stop(timeout=5)
    queue.close()


def _coded(log: Path) -> Counter[int]:
    lines = log.read_text("utf-8").splitlines() if log.exists() else []
    return Counter(int(line.split()[0]) for line in lines)


def test_jobs_several_workers_code_each_job_once(tmp_path: Path) -> None:
    path, log = str(tmp_path / "queue.sqlite"), tmp_path / "coded.log"
    queue = JobQueue(path, capacity=100)
    ids = [queue.submit({"n": n}) for n in range(JOBS)]
    spawn = multiprocessing.get_context("spawn")
    workers = [spawn.Process(target=_worker, args=(path, str(log), 12.0))]
    workers[0].start()
    deadline = time.monotonic() + 60
    while not _coded(log) and time.monotonic() < deadline:  # the first worker is coding a job
        time.sleep(0.02)
    for _ in range(2):  # workers that start while another codes (a restarted worker does the same)
        workers.append(spawn.Process(target=_worker, args=(path, str(log), 10.0)))
        workers[-1].start()
        time.sleep(0.5)
    for worker in workers:
        worker.join(90)
    coded = _coded(log)
    assert [n for n, times in coded.items() if times > 1] == []  # none coded twice
    assert sorted(coded) == list(range(JOBS))  # none lost
    assert {queue.get(i)["status"] for i in ids} == {"done"}  # type: ignore[index]
    queue.close()


def test_jobs_a_dead_workers_job_is_taken_by_a_live_one(tmp_path: Path) -> None:
    path = str(tmp_path / "queue.sqlite")
    queue = JobQueue(path, capacity=10)
    job_id = queue.submit({"n": 1})
    spawn = multiprocessing.get_context("spawn")
    dying = spawn.Process(target=_take_and_die, args=(path,))
    dying.start()
    dying.join(60)
    assert queue.get(job_id)["status"] == "running"  # type: ignore[index]
    assert queue.take() == (job_id, {"n": 1})  # its process is gone: the job is not lost
    queue.close()


def _take_and_die(path: str) -> None:
    queue = JobQueue(path, capacity=10)
    assert queue.take() is not None
    os._exit(0)  # killed mid-coding: no finish, no close
