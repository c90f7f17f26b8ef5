"""The coding queue's file: bounded, ordered, re-queues a killed run's job, forgets old finished ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventcoder import jobs
from eventcoder.jobs import JobQueue, QueueFull


def test_jobs_queue_is_ordered_bounded_and_forgets_old_finished_jobs(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jobs, "KEEP_FINISHED", 2)
    queue = JobQueue(tmp_path / "q", capacity=3)
    ids = [queue.submit({"n": n}) for n in range(3)]
    with pytest.raises(QueueFull):
        queue.submit({"n": 3})
    for n, job_id in enumerate(ids):
        taken = queue.take()
        assert taken == (job_id, {"n": n})
        queue.finish(job_id, {"n": n})
    assert queue.take() is None and queue.waiting() == 0
    assert queue.get(ids[0]) is None  # forgotten: only the newest KEEP_FINISHED finished jobs are kept
    assert [queue.get(i)["result"] for i in ids[1:]] == [{"n": 1}, {"n": 2}]  # type: ignore[index]
    queue.close()


def test_jobs_a_killed_runs_job_is_queued_again(tmp_path: Path) -> None:
    first = JobQueue(tmp_path / "q", capacity=5)
    job_id = first.submit({"text": "x"})
    assert first.take() == (job_id, {"text": "x"})  # taken, then the process dies
    first.close()
    first.fail(job_id, "too late")  # a runner writing after the close changes nothing
    again = JobQueue(tmp_path / "q", capacity=5)
    assert again.get(job_id)["status"] == "queued"  # type: ignore[index]
    assert again.take() == (job_id, {"text": "x"})
    again.close()
