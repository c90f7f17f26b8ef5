"""The eval gate: the real pipeline on the dev sets must reach the floors in tests/eval_floors.yaml."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from actors_dev import DEV as DEV_ACTORS
from actors_dev import build as build_dev_actors
from eventcoder.evaluate import evaluate_file, format_report, gold_kind

ROOT = Path(__file__).resolve().parent.parent
FLOORS_FILE = Path(__file__).resolve().parent / "eval_floors.yaml"
METRICS = {
    "events": {"type_precision", "type_recall", "type_f1", "actor_country_acc", "recipient_country_acc",
               "location_acc"},
    "geo": {"toponym_recall", "acc161", "acc161_gold_spans"},
    "actors": {"country_acc", "sector_acc"},
}


def load_floors() -> list[tuple[str, dict[str, float]]]:
    raw = yaml.safe_load(FLOORS_FILE.read_text("utf-8"))
    return [(entry["gold"], entry["floors"]) for entry in raw]


def test_eval_gate_floors_name_real_metrics() -> None:
    entries = load_floors()
    assert entries, "eval_floors.yaml lists no gold set"
    for gold, floors in entries:
        unknown = set(floors) - METRICS[gold_kind(gold)]
        assert not unknown, f"{gold}: no such metric {sorted(unknown)}"
        assert all(isinstance(v, float) and 0 < v <= 1 for v in floors.values()), f"{gold}: floors are in (0, 1]"


@pytest.mark.slow
@pytest.mark.parametrize(("gold", "floors"), load_floors(), ids=[Path(g).name for g, _ in load_floors()])
def test_eval_gate(gold: str, floors: dict[str, float], pipeline: Any) -> None:
    from eventcoder.scoring import pipeline_predictors

    path = ROOT / gold
    if path.name == DEV_ACTORS.name:
        build_dev_actors()  # derived from ../shared at run time, never committed
    if not path.exists():
        pytest.skip(f"{gold} is not here")
    result = evaluate_file(path, pipeline_predictors(pipeline=pipeline))
    below = {k: (result[k], floor) for k, floor in floors.items() if result[k] is None or result[k] < floor}
    assert not below, f"{path.name} below its floors (value, floor): {below}\n{format_report(result)}"
