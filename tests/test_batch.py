"""Batch coding: a 2-worker Dask LocalCluster gives exactly the single-process records."""

from __future__ import annotations

import io
import json

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
