"""Score eventcoder against gold files: the ``eventcoder eval`` contract of eval/FORMAT.md.

The kind of gold file is told by its name (``*.events.jsonl``, ``*.geo.jsonl``,
``*.actors.jsonl``). The system under test comes in as :class:`Predictors` (batch functions), so
the scorer is tested with tiny fakes; :func:`eventcoder.scoring.pipeline_predictors` adapts the
real pipeline. The choices FORMAT.md leaves open are written in :mod:`eventcoder.evaluate.metrics`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from eventcoder.evaluate.gold import (
    GoldActor,
    GoldEventRecord,
    GoldGeoRecord,
    GoldRecord,
    Kind,
    gold_kind,
    read_gold,
)
from eventcoder.evaluate.metrics import (
    UNRESOLVED_KM,
    GeoPrediction,
    PredictedActor,
    PredictedEvent,
    PredictedToponym,
    Predictors,
    SpanItem,
    TextItem,
    haversine_km,
    score_actors,
    score_events,
    score_geo,
)
from eventcoder.evaluate.report import format_report


def evaluate_records(kind: Kind, records: Sequence[GoldRecord], predictors: Predictors) -> dict[str, Any]:
    """Score already-read gold records of one kind."""
    if kind == "events":
        return score_events([r for r in records if isinstance(r, GoldEventRecord)], predictors)
    if kind == "geo":
        return score_geo([r for r in records if isinstance(r, GoldGeoRecord)], predictors)
    return score_actors([r for r in records if isinstance(r, GoldActor)], predictors)


def evaluate_file(path: str | Path, predictors: Predictors) -> dict[str, Any]:
    """Score a gold file; return the metrics object of FORMAT.md (with a few extra keys).

    Args:
        path: a ``*.events.jsonl``, ``*.geo.jsonl`` or ``*.actors.jsonl`` gold file.
        predictors: the system under test (``eventcoder.scoring.pipeline_predictors()`` for the pipeline).

    Returns:
        A JSON-ready dict: ``kind``, counts, and the metrics (``None`` where nothing was counted).

    Example:
        >>> from eventcoder.scoring import pipeline_predictors
        >>> evaluate_file("../shared/eval/dev/plover_gsr.events.jsonl", pipeline_predictors())["kind"]  # doctest: +SKIP
        'events'
    """
    kind, records = read_gold(path)
    return evaluate_records(kind, records, predictors)


__all__ = [
    "UNRESOLVED_KM",
    "GeoPrediction",
    "Kind",
    "PredictedActor",
    "PredictedEvent",
    "PredictedToponym",
    "Predictors",
    "SpanItem",
    "TextItem",
    "evaluate_file",
    "evaluate_records",
    "format_report",
    "gold_kind",
    "haversine_km",
    "read_gold",
]
