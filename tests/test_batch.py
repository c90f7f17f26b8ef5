"""Batch coding: a 2-worker Dask LocalCluster gives exactly the single-process records."""

from __future__ import annotations

import io
import json
import re
import sys

import pytest

from conftest import CORPUS
from eventcoder.batch import code_paths


def _records(**options: object) -> list[dict[str, object]]:
    out = io.StringIO()
    result = code_paths([str(CORPUS)], out, **options)  # type: ignore[arg-type]
    assert not result.problems
    return [json.loads(line) for line in out.getvalue().splitlines()]


@pytest.mark.slow
def test_batch_dask_two_workers_equals_single_process(pipeline) -> None:  # type: ignore[no-untyped-def]
    single = _records(pipeline=pipeline)
    distributed = _records(workers=2)
    assert single, "the sample corpus codes into no events"
    assert distributed == single


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
    from eventcoder.pipeline import Pipeline

    class ParseOnly(Pipeline):
        def code_parsed(self, parsed):  # type: ignore[no-untyped-def]
            return []  # the bar is under test, not the coding

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
