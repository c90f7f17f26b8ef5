"""Precision on the open news stream, and what it costs the political sets: one table, one command.

    .venv/bin/python bench/precision.py [--json] [--keep-all]

Scores every events set it finds with ``eventcoder eval``'s metrics: the dev PLOVER sentences and
the dev non-political BBC articles (../shared/eval/dev), the project's own blind precision set and
held-out sets (tests/data/events), and, read as negatives at run time, the open-licence
non-political news items of ../shared/corpus/open-news (sport, disasters, health, science, culture:
a few hold real events, so their figure is an upper bound of what is invented). ``--keep-all``
scores the coder without the relevance threshold, to show what the relevance stage removes.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

import click

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SETS = (
    ("dev plover_gsr", SHARED / "eval/dev/plover_gsr.events.jsonl"),
    ("dev bbc_nonpolitical", SHARED / "eval/dev/bbc_nonpolitical.events.jsonl"),
    ("own blind_precision", ROOT / "tests/data/events/blind_precision.events.jsonl"),
    ("own heldout", ROOT / "tests/data/events/heldout.events.jsonl"),
    ("own heldout2", ROOT / "tests/data/events/heldout2.events.jsonl"),
)
OPEN_NEWS = SHARED / "corpus/open-news/nonpolitical.jsonl"
KEYS = ("n_records", "type_precision", "type_recall", "type_f1", "actor_country_acc", "negative_records_with_events",
        "events_per_negative_record")


def open_news_negatives(folder: Path, limit: int) -> Path | None:
    """Write the open-licence non-political items as a negatives gold file in ``folder`` (never in the project)."""
    if not OPEN_NEWS.exists():
        return None
    path = folder / "open_news_nonpolitical.events.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for line in OPEN_NEWS.read_text("utf-8").splitlines()[:limit]:
            item = json.loads(line)
            out.write(json.dumps({"id": item["id"], "date": item["date"], "text": item["text"], "events": []}) + "\n")
    return path


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of a table.")
@click.option("--keep-all", is_flag=True, help="Score without the relevance threshold.")
@click.option("--open-news-limit", default=1000, show_default=True, help="Open-news items to score.")
def main(as_json: bool, keep_all: bool, open_news_limit: int) -> None:
    """Print the precision figures of every events set found."""
    from eventcoder.evaluate import evaluate_file
    from eventcoder.pipeline import Pipeline
    from eventcoder.scoring import pipeline_predictors

    pipeline = Pipeline(keep_all=keep_all)
    results: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory() as folder:
        sets = list(SETS)
        extra = open_news_negatives(Path(folder), open_news_limit)
        if extra is not None:
            sets.append(("open-news nonpolitical", extra))
        for name, path in sets:
            if not path.exists():
                print(f"skipped {name}: {path} is not here", file=sys.stderr)
                continue
            started = time.monotonic()
            result = evaluate_file(path, pipeline_predictors(pipeline=pipeline))
            results[name] = {k: result.get(k) for k in KEYS} | {"seconds": round(time.monotonic() - started, 1)}
    if as_json:
        print(json.dumps({"keep_all": keep_all, "sets": results}, indent=1))
        return
    print(f"{'set':26}" + "".join(f"{k[:14]:>15}" for k in KEYS))
    for name, row in results.items():
        cells = "".join(f"{'-' if row[k] is None else (f'{row[k]:.3f}' if isinstance(row[k], float) else row[k]):>15}"
                        for k in KEYS)
        print(f"{name:26}{cells}")


if __name__ == "__main__":
    main()
