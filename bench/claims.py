"""Claims on short stories: precision and recall of claim_status and of sources, per phenomenon.

    PYTHONPATH=src .venv/bin/python bench/claims.py [FILE ...] [--json] [--keep-all] [--show-misses]

Codes each story of a claims gold file (default: tests/data/claims/blind_stories.yaml, then the blame-shift
generalisation set tests/data/claims/blame_extra.yaml, one table each; YAML list or JSONL, any file in that
format, published or not) with the full pipeline, dated and published as
the record says, and compares the events it returns with the gold (format: the head of the default
file). A gold event is matched by a predicted event of an accepted type whose actor text (or name)
holds one of the gold actor words, or whose actor country is the gold ``actor_country``.

- claim_status: a gold event is recalled when its match has the gold status; a predicted event is
  right when it matches a gold event with that status. Predicted ``asserted`` events that match no
  gold event count against precision (an analyst would not code them, or they should have been
  merged); unmatched events of other modalities are left out.
- sources: (gold event, source) pairs against (predicted event, source text) pairs, over gold
  events that list sources and predicted events matching none.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import click
import yaml

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT / "tests/data/claims/blind_stories.yaml"
BLAME_EXTRA = ROOT / "tests/data/claims/blame_extra.yaml"  # blame shifting in other phrasings and conflicts
PHENOMENA = ("denial", "dismissal", "confirmation", "responsibility", "blame", "both-sides")


@dataclass(frozen=True)
class GoldClaim:
    types: frozenset[str]
    actor: tuple[str, ...]
    actor_country: str | None
    status: str | None
    sources: tuple[tuple[str, ...], ...] | None
    optional: bool


@dataclass
class Tally:
    hits: int = 0
    gold: int = 0
    right: int = 0
    predicted: int = 0

    def add(self, other: Tally) -> None:
        self.hits += other.hits
        self.gold += other.gold
        self.right += other.right
        self.predicted += other.predicted

    def figures(self) -> dict[str, float | None]:
        return {"precision": round(self.right / self.predicted, 3) if self.predicted else None,
                "recall": round(self.hits / self.gold, 3) if self.gold else None}


@dataclass
class Score:
    status: Tally = field(default_factory=Tally)
    sources: Tally = field(default_factory=Tally)

    def add(self, other: Score) -> None:
        self.status.add(other.status)
        self.sources.add(other.sources)


def _alternatives(words: str) -> tuple[str, ...]:
    return tuple(w.strip().lower() for w in words.split("|") if w.strip())


def _claim(raw: dict[str, Any]) -> GoldClaim:
    sources = raw.get("sources")
    return GoldClaim(frozenset(raw.get("accept") or [raw["type"]]), _alternatives(raw.get("actor") or ""),
                     raw.get("actor_country"), raw.get("status"),
                     None if sources is None else tuple(_alternatives(s) for s in sources), bool(raw.get("optional")))


def read_records(path: Path) -> list[dict[str, Any]]:
    """Read a claims gold file: a YAML list, or JSON lines."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".jsonl":
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    records = yaml.safe_load(text)
    if not isinstance(records, list):
        raise click.ClickException(f"{path}: a claims gold file is a list of records")
    return records


def _said_by(alternatives: tuple[str, ...], *texts: str | None) -> bool:
    folded = [t.lower() for t in texts if t]
    return any(a in t or (len(t) > 3 and t.removeprefix("the ") in a) for a in alternatives for t in folded)


def _actor_fits(gold: GoldClaim, event: Any) -> bool:
    if not gold.actor and gold.actor_country is None:
        return True
    actor = event.actor
    if actor is None:
        return False
    if gold.actor_country is not None and actor.country == gold.actor_country:
        return True
    return bool(gold.actor) and _said_by(gold.actor, actor.text, actor.name)


def _source_fits(alternatives: tuple[str, ...], source: Any) -> bool:
    return _said_by(alternatives, source.text, source.actor.name if source.actor else None)


def score_record(record: dict[str, Any], events: list[Any]) -> tuple[Score, list[str]]:
    """Score one story's predicted events against its gold; also say what went wrong."""
    golds = [_claim(raw) for raw in record.get("events", [])]
    order = sorted(range(len(golds)), key=lambda i: golds[i].optional)
    taken: dict[int, int] = {}  # predicted index -> gold index
    matches: dict[int, int] = {}
    for gi in order:
        gold = golds[gi]
        for pi, event in enumerate(events):
            if pi not in taken and event.event_type in gold.types and _actor_fits(gold, event):
                taken[pi], matches[gi] = gi, pi
                break
    score, notes = Score(), []
    for gi, gold in enumerate(golds):
        pi_or_none = matches.get(gi)
        if pi_or_none is None:
            if not gold.optional:
                score.status.gold += gold.status is not None
                score.sources.gold += len(gold.sources or ())
                notes.append(f"missed {sorted(gold.types)} by {'|'.join(gold.actor) or '?'}")
            continue
        event = events[pi_or_none]
        if gold.status is not None:
            score.status.gold += 1
            score.status.predicted += 1
            if event.claim_status == gold.status:
                score.status.hits += 1
                score.status.right += 1
            else:
                notes.append(f"{event.event_type} by {_actor_text(event)}: {event.claim_status}, gold {gold.status}")
        if gold.sources is not None:
            found = [s for s in event.sources]
            score.sources.gold += len(gold.sources)
            score.sources.hits += sum(any(_source_fits(alt, s) for s in found) for alt in gold.sources)
            score.sources.predicted += len(found)
            score.sources.right += sum(any(_source_fits(alt, s) for alt in gold.sources) for s in found)
            if sorted(_source_fits(alt, s) for alt in gold.sources for s in found).count(True) != len(gold.sources) \
                    or len(found) != len(gold.sources):
                notes.append(f"{event.event_type} by {_actor_text(event)}: sources {[s.text for s in found]}, "
                             f"gold {['|'.join(a) for a in gold.sources]}")
    for pi, event in enumerate(events):
        if pi in taken or event.modality != "asserted":
            continue
        score.status.predicted += 1
        score.sources.predicted += len(event.sources)
        notes.append(f"extra {event.event_type} by {_actor_text(event)} ({event.evidence.trigger}): "
                     f"{event.claim_status}, sources {[s.text for s in event.sources]}")
    return score, notes


def _actor_text(event: Any) -> str:
    return event.actor.text if event.actor is not None else "-"


def _row(name: str, n: int, score: Score) -> dict[str, Any]:
    status, sources = score.status.figures(), score.sources.figures()
    return {"phenomenon": name, "n": n, "status_precision": status["precision"], "status_recall": status["recall"],
            "source_precision": sources["precision"], "source_recall": sources["recall"]}


def _cell(value: float | None) -> str:
    return "   -" if value is None else f"{value:.3f}"


def score_files(paths: tuple[Path, ...], pipeline: Any, show_misses: bool = False) -> list[dict[str, Any]]:
    """Code every story of the gold files and return one row per phenomenon, then "overall"."""
    by_phenomenon: dict[str, Score] = defaultdict(Score)
    counts: dict[str, int] = defaultdict(int)
    total = Score()
    for path in paths:
        for record in read_records(path):
            day = date.fromisoformat(str(record["date"])) if record.get("date") else None
            coded = pipeline.code_text(record["text"], published=day,
                                       publisher=record.get("outlet") or record.get("publisher"))
            score, notes = score_record(record, list(coded.events))
            phenomenon = str(record.get("phenomenon") or "other")
            by_phenomenon[phenomenon].add(score)
            counts[phenomenon] += 1
            total.add(score)
            if show_misses and notes:
                click.echo(f"{record['id']}: " + "; ".join(notes), err=True)
    names = [p for p in PHENOMENA if p in counts] + sorted(p for p in counts if p not in PHENOMENA)
    return [_row(p, counts[p], by_phenomenon[p]) for p in names] + [_row("overall", sum(counts.values()), total)]


@click.command()
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of a table.")
@click.option("--keep-all", is_flag=True, help="Score without the relevance threshold.")
@click.option("--show-misses", is_flag=True, help="Print what went wrong in each story.")
def main(files: tuple[Path, ...], as_json: bool, keep_all: bool, show_misses: bool) -> None:
    """Print per-phenomenon precision and recall of claim_status and of sources."""
    from eventcoder.pipeline import Pipeline

    pipeline = Pipeline(keep_all=keep_all)
    tables = [(None, score_files(files, pipeline, show_misses))] if files else \
        [(path, score_files((path,), pipeline, show_misses)) for path in (DEFAULT, BLAME_EXTRA)]
    if as_json:
        click.echo(json.dumps({"rows": tables[0][1]} if files else
                              {"tables": [{"file": str(p.relative_to(ROOT)), "rows": r} for p, r in tables]}))
        return
    for path, rows in tables:
        if path is not None:
            click.echo(f"{path.relative_to(ROOT)}")
        click.echo(f"{'phenomenon':<16}{'n':>4}  status P  status R  source P  source R")
        for row in rows:
            cells = "     ".join(_cell(row[k]) for k in ("status_precision", "status_recall", "source_precision",
                                                           "source_recall"))
            click.echo(f"{row['phenomenon']:<16}{row['n']:>4}     {cells}")


if __name__ == "__main__":
    main()
