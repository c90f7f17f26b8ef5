"""Batch coding: a 2-worker Dask LocalCluster gives exactly the single-process records."""

from __future__ import annotations

import io
import json
import re
import sys

import pytest

from conftest import CORPUS, REFERENCE
from eventcoder.batch import code_paths


def _records(paths: list[str] | None = None, **options: object) -> list[dict[str, object]]:
    out = io.StringIO()
    result = code_paths(paths or [str(CORPUS)], out, **options)  # type: ignore[arg-type]
    assert not result.problems
    return [json.loads(line) for line in out.getvalue().splitlines()]


@pytest.mark.slow
def test_batch_dask_two_workers_equals_single_process(pipeline) -> None:  # type: ignore[no-untyped-def]
    single = _records(pipeline=pipeline)
    distributed = _records(workers=2)
    assert single, "the sample corpus codes into no events"
    assert distributed == single


def _keep_all_like(pipeline):  # type: ignore[no-untyped-def]
    """Return a pipeline keeping every event that shares the session pipeline's loaded parts."""
    from eventcoder.pipeline import Pipeline

    return Pipeline(resolver=pipeline.resolver, parser=pipeline.parser, stages=pipeline.stages,
                    relevance=pipeline.relevance, keep_all=True)


@pytest.mark.slow
def test_batch_dask_workers_take_the_keep_all_and_min_confidence_options(pipeline) -> None:  # type: ignore[no-untyped-def]
    kept = _records(paths=[str(REFERENCE)], pipeline=_keep_all_like(pipeline))
    default = _records(paths=[str(REFERENCE)], pipeline=pipeline)
    assert len(kept) > len(default), "the reference article has no event under the threshold any more"
    assert _records(paths=[str(REFERENCE)], workers=1, keep_all=True) == kept
    assert _records(paths=[str(REFERENCE)], workers=1, min_confidence=0.0) == kept


def test_batch_coding_options_reach_the_pipeline_a_worker_builds() -> None:
    from eventcoder.batch import CodingOptions, worker_pipeline

    assert worker_pipeline(CodingOptions(keep_all=True)).keep_all is True
    assert worker_pipeline(CodingOptions(min_confidence=0.8)).min_confidence == 0.8
    assert worker_pipeline().min_confidence == worker_pipeline().relevance.threshold  # type: ignore[union-attr]


def test_batch_skips_a_document_a_stage_cannot_code(pipeline) -> None:  # type: ignore[no-untyped-def]
    from eventcoder.batch import Failure, code_documents
    from eventcoder.model import Document
    from eventcoder.pipeline import Pipeline

    def broken(parsed, found):  # type: ignore[no-untyped-def]
        if "boom" in parsed.document.text:
            raise ValueError("stage failed")
        return found

    other = Pipeline(resolver=pipeline.resolver, stages=[broken], parser=pipeline.parser)
    documents = [Document("a", "Russia called for a ceasefire.", None, origin="a.txt"),
                 Document("b", "boom went the stage.", None, origin="b.txt"),
                 Document("c", "Police arrested protesters in Minsk.", None, origin="c.txt")]
    outcomes = list(code_documents(other, documents))
    assert [type(o).__name__ for o in outcomes] == ["CodedDocument", "Failure", "CodedDocument"]
    failure = outcomes[1]
    assert isinstance(failure, Failure)
    assert failure.origin == "b.txt"
    assert "stage failed" in failure.message


class _FakeTTY(io.StringIO):
    """A stderr that says it is a terminal, so tqdm and the CLI draw the bar into it."""

    def isatty(self) -> bool:
        return True


def _coded_with_stderr(monkeypatch: pytest.MonkeyPatch, pipeline, progress: bool) -> str:  # type: ignore[no-untyped-def]
    from eventcoder.pipeline import CodedDocument, Pipeline

    class ParseOnly(Pipeline):
        def code_parsed(self, parsed):  # type: ignore[no-untyped-def]
            return CodedDocument(parsed.document, ())  # the bar is under test, not the coding

    stderr = _FakeTTY()
    monkeypatch.setattr(sys, "stderr", stderr)
    result = code_paths([str(CORPUS)], io.StringIO(), pipeline=ParseOnly(parser=pipeline.parser), progress=progress)
    assert result.n_documents == len(list(CORPUS.glob("*.txt")))
    return stderr.getvalue()


def test_batch_progress_bar_shows_count_rate_and_eta_on_a_tty(monkeypatch, pipeline) -> None:  # type: ignore[no-untyped-def]
    n = len(list(CORPUS.glob("*.txt")))
    drawn = _coded_with_stderr(monkeypatch, pipeline, progress=True)
    final = drawn.replace("\r", "\n").strip().splitlines()[-1]
    assert re.search(rf"coding: 100%.*{n}/{n} \[\d\d:\d\d<\d\d:\d\d, +[\d.]+(doc/s|s/doc)\]", final), final


def test_batch_progress_bar_is_silent_when_off(monkeypatch, pipeline) -> None:  # type: ignore[no-untyped-def]
    assert _coded_with_stderr(monkeypatch, pipeline, progress=False) == ""


@pytest.mark.parametrize(("tty", "quiet", "shown"), [(True, False, True), (True, True, False), (False, False, False)])
def test_cli_shows_progress_only_on_a_tty_without_quiet(monkeypatch, tty: bool, quiet: bool, shown: bool) -> None:  # type: ignore[no-untyped-def]
    from eventcoder.cli import _show_progress

    monkeypatch.setattr(sys, "stderr", _FakeTTY() if tty else io.StringIO())
    assert _show_progress(quiet) is shown


def test_batch_counts_documents_for_the_eta(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from eventcoder.batch import count_documents

    (tmp_path / "a.txt").write_text("date: 2020-01-01\nOne article.\n", "utf-8")
    (tmp_path / "b.jsonl").write_text('{"text": "x"}\n\n{"text": "y"}\n{"text": "z"}\n', "utf-8")
    (tmp_path / ".hidden.txt").write_text("not read\n", "utf-8")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    assert count_documents([str(tmp_path)], "auto") == 4
    assert count_documents([str(tmp_path / "a.txt"), "-"], "auto") is None
    (tmp_path / "feed.rss").write_text("<rss></rss>", "utf-8")
    assert count_documents([str(tmp_path)], "auto") is None
