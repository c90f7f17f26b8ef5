"""Claims on the blind set of issue 20 (tests/data/claims/blind_stories.yaml) and on its blame-shift
generalisation set (blame_extra.yaml), scored as bench/claims.py does.

The set was written before the claims code was read; its per-phenomenon precision and recall of
claim_status and of sources must stay at or over the floors below (a change may raise them, never
lower them). The figures themselves are printed by ``PYTHONPATH=src .venv/bin/python bench/claims.py``.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench" / "claims.py"
KEYS = ("status_precision", "status_recall", "source_precision", "source_recall")
FLOOR = 0.8  # every phenomenon, every figure
OVERALL_FLOOR = 0.9


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_claims", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_claims"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def rows(pipeline: Any) -> dict[str, dict[str, Any]]:
    bench = _bench()
    return {row["phenomenon"]: row for row in bench.score_files((bench.DEFAULT,), pipeline)}


def test_claims_blind_set_is_the_issue_set() -> None:
    records = _bench().read_records(_bench().DEFAULT)
    assert len(records) >= 80
    assert len({r["conflict"] for r in records}) >= 10 and len({r["outlet"] for r in records}) >= 10
    assert {r["phenomenon"] for r in records} == {"denial", "dismissal", "confirmation", "responsibility", "blame",
                                                  "both-sides"}


@pytest.mark.slow
def test_claims_blind_every_phenomenon_over_its_floor(rows: dict[str, dict[str, Any]]) -> None:
    for name, row in rows.items():
        floor = OVERALL_FLOOR if name == "overall" else FLOOR
        for key in KEYS:
            assert row[key] is not None and row[key] >= floor, f"{name} {key} {row[key]} < {floor}"


@pytest.mark.slow
def test_claims_blame_extra_over_its_floor(pipeline: Any) -> None:
    bench = _bench()
    records = bench.read_records(bench.BLAME_EXTRA)
    assert len(records) >= 15 and {r["phenomenon"] for r in records} == {"blame"}
    for row in bench.score_files((bench.BLAME_EXTRA,), pipeline):
        for key in KEYS:
            assert row[key] is not None and row[key] >= FLOOR, f"blame_extra {row['phenomenon']} {key} {row[key]}"


def test_claims_blind_scoring_counts_misses_and_extras() -> None:
    from eventcoder.model import ActorRef, Event, Evidence, Source

    bench = _bench()
    record = {"events": [{"type": "ASSAULT", "actor": "Hamas", "status": "disputed", "sources": ["Israeli army"]},
                         {"type": "REJECT", "actor": "Hamas", "status": "uncontested", "optional": True}]}
    evidence = Evidence("s", 0, 1, "fired", 0)
    right = Event("d", "ASSAULT", evidence, actor=ActorRef("Hamas fighters"), claim_status="disputed",
                  sources=(Source("the Israeli army"),))
    extra = Event("d", "COERCE", evidence, actor=ActorRef("police"), sources=(Source("AFP"),))
    score, _ = bench.score_record(record, [right, extra])
    assert (score.status.hits, score.status.gold, score.status.right, score.status.predicted) == (1, 1, 1, 2)
    assert (score.sources.hits, score.sources.gold, score.sources.right, score.sources.predicted) == (1, 1, 1, 2)
    wrong = Event("d", "ASSAULT", evidence, actor=ActorRef("Hamas"), claim_status="uncontested")
    score, notes = bench.score_record(record, [wrong])
    assert (score.status.hits, score.status.right, score.sources.hits) == (0, 0, 0) and notes
