"""Rules alone vs rules with the learned event layer, on every events set: one table, one command.

    PYTHONPATH=src .venv/bin/python bench/learned.py [--json] [--sets NAME,NAME]

Sets: the annotated corpus's dev and test splits (exported at run time from ../shared into a temporary
folder, never into the project), the dev PLOVER sentences and BBC non-political articles
(../shared/eval/dev), the project's blind precision and held-out sets (tests/data/events), and the first
``--open-news-limit`` open-licence non-political items read as negatives. The learned layer is the one
``make train`` built (``python -m eventcoder.learned train``); without it the second column is the rules
again and a line says so. The test split is scored here, never tuned on.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

import click

sys.path.insert(0, str(Path(__file__).resolve().parent))

from precision import KEYS, SETS, open_news_negatives

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SHOWN = ("type_precision", "type_recall", "type_f1", "negative_records_with_events", "events_per_negative_record")


def corpus_sets(folder: Path) -> list[tuple[str, Path]]:
    """Export the corpus dev and test splits into ``folder``; return them (none when ../shared is missing)."""
    from eventcoder.corpus.__main__ import split_of
    from eventcoder.corpus.annotations import load_records, read_annotations
    from eventcoder.corpus.export import export_splits
    from eventcoder.learned.inputs import ANNOTATIONS, OPEN_NEWS

    if not (ROOT / OPEN_NEWS).is_dir():
        return []
    annotations = read_annotations(ROOT / ANNOTATIONS)
    records = load_records(ROOT / OPEN_NEWS)
    export_splits(annotations, records, split_of(annotations, records), folder)
    return [(f"corpus {split}", folder / f"open_news_{split}.events.jsonl") for split in ("dev", "test")]


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of a table.")
@click.option("--sets", "only", default="", help="Comma-separated set names to score (default: all).")
@click.option("--open-news-limit", default=300, show_default=True, help="Open-news negative items to score.")
def main(as_json: bool, only: str, open_news_limit: int) -> None:
    """Print rules-alone and learned-layer figures for every events set found."""
    from eventcoder.evaluate import evaluate_file
    from eventcoder.pipeline import Pipeline
    from eventcoder.scoring import pipeline_predictors

    pipelines = {"rules": Pipeline(learned=False), "learned": Pipeline(learned=True)}
    if pipelines["learned"].learned is None:
        print("no learned layer built (python -m eventcoder.learned train): both columns are the rules",
              file=sys.stderr)
    results: dict[str, dict[str, dict[str, object]]] = {}
    with tempfile.TemporaryDirectory() as folder:
        sets = corpus_sets(Path(folder)) + list(SETS)
        extra = open_news_negatives(Path(folder), open_news_limit)
        if extra is not None:
            sets.append(("open-news nonpolitical", extra))
        wanted = {s.strip() for s in only.split(",") if s.strip()}
        for name, path in sets:
            if wanted and name not in wanted:
                continue
            if not path.exists():
                print(f"skipped {name}: {path} is not here", file=sys.stderr)
                continue
            for kind, pipeline in pipelines.items():
                started = time.monotonic()
                result = evaluate_file(path, pipeline_predictors(pipeline=pipeline))
                results.setdefault(name, {})[kind] = ({k: result.get(k) for k in KEYS}
                                                      | {"seconds": round(time.monotonic() - started, 1)})
    if as_json:
        print(json.dumps(results, indent=1))
        return
    print(f"{'set':24}{'':9}" + "".join(f"{k[:14]:>15}" for k in SHOWN))
    for name, rows in results.items():
        for kind, row in rows.items():
            cells = "".join(f"{_cell(row[k]):>15}" for k in SHOWN)
            print(f"{name if kind == 'rules' else '':24}{kind:9}{cells}")


def _cell(value: object) -> str:
    return "-" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


if __name__ == "__main__":
    main()
