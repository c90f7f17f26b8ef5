"""Every asserted event the pipeline writes for articles that should have none, listed for a reviewer.

    .venv/bin/python bench/negatives.py [FILE] [--first N] [--keep-all]

Reads an events gold file (default: ../shared/eval/dev/bbc_nonpolitical.events.jsonl), keeps its records
without gold events (the first N of them with ``--first``), codes each with the default pipeline and prints
one line per asserted event (record, the document's ``political`` score, type, confidence, actor, recipient,
trigger, sentence), then the totals: asserted events, articles with one, articles read. A reviewer judges
each line (real political act or invented); the totals are the figure to compare between versions.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT.parent / "shared/eval/dev/bbc_nonpolitical.events.jsonl"


@click.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=DEFAULT)
@click.option("--first", type=int, default=None, help="Only the first N records without gold events.")
@click.option("--keep-all", is_flag=True, help="Code without the relevance threshold.")
def main(path: Path, first: int | None, keep_all: bool) -> None:
    """List the asserted events coded in negative records, then their totals."""
    from eventcoder.pipeline import Pipeline

    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    negatives = [r for r in records if not r.get("events")][:first]
    pipeline = Pipeline(keep_all=keep_all)
    events = articles = 0
    for record in negatives:
        published = date.fromisoformat(record["date"]) if record.get("date") else None
        coded = pipeline.code_text(record["text"], published=published)
        asserted = [e for e in coded.events if e.modality == "asserted"]
        articles += bool(asserted)
        for event in asserted:
            events += 1
            actor = event.actor.text if event.actor else "-"
            recipient = event.recipient.text if event.recipient else "-"
            sentence = " ".join(event.evidence.sentence.split())[:140]
            click.echo(f"{record['id']}  political {coded.political}  {event.event_type} {event.confidence}  "
                       f"{actor} -> {recipient}  [{event.evidence.trigger}]  {sentence}")
    click.echo(f"asserted events {events}, articles with one {articles}, articles read {len(negatives)}")


if __name__ == "__main__":
    main()
