"""The ``eventcoder`` command line: each command parses options, calls the library, prints."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import IO

import click

from eventcoder import __version__
from eventcoder.errors import EventcoderError
from eventcoder.model import Document

DEFAULT_DB = "eventcoder.sqlite"


def _parse_date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD") from None


def _show_progress(quiet: bool) -> bool:
    return not quiet and sys.stderr.isatty()


keep_all_option = click.option(
    "--keep-all", is_flag=True,
    help="Write every event whatever its confidence (by default, events under the threshold are not written).")
learned_option = click.option(
    "--learned", is_flag=True,
    help="Add the learned event layer (make train) to the rules: a little more recall, about a fifth slower "
         "[default: the EVENTCODER_LEARNED setting, off].")
min_confidence_option = click.option(
    "--min-confidence", type=click.FloatRange(0.0, 1.0), default=None, metavar="FLOAT",
    help="Do not write events under this confidence (0-1) [default: the relevance model's threshold].")


def _one_of_keep_all_and_min_confidence(keep_all: bool, min_confidence: float | None) -> None:
    if keep_all and min_confidence is not None:
        raise click.UsageError("give --keep-all or --min-confidence, not both (--keep-all writes every event)")


def _default_min_confidence(min_confidence: float | None) -> float:
    """Return the option given, else the ``min_confidence`` setting (defaults, config file, environment)."""
    if min_confidence is not None:
        return min_confidence
    from eventcoder.config import load_config

    try:
        return load_config().min_confidence
    except EventcoderError as exc:
        raise click.ClickException(str(exc)) from exc


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="eventcoder")
def main() -> None:
    """Turn dated news articles into a political event dataset (PLOVER), offline."""


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write JSONL event records here instead of stdout.")
@click.option("--db", default=None, help="Also store the records in this SQLite file or database URL.")
@click.option("--date", "default_date", callback=_parse_date, default=None, metavar="YYYY-MM-DD",
              help="Publication date for inputs that carry none.")
@click.option("--format", "fmt", type=click.Choice(["auto", "text", "jsonl", "html"]), default="auto",
              show_default=True, help="Input format; auto decides by extension and content.")
@click.option("--publisher", default=None, help="Publisher of inputs that name none (the default source).")
@click.option("--place", default=None, metavar="PLACE",
              help='The outlet\'s own place for inputs that give none ("Paris, Tenn."): a prior for place names.')
@click.option("--workers", type=click.IntRange(min=0), default=0, show_default=True,
              help="Code on a local Dask cluster of N worker processes (0: in this process).")
@click.option("--scheduler", default=None, metavar="tcp://HOST:PORT", help="Code on an existing Dask cluster.")
@click.option("--resume", is_flag=True,
              help="With --db: do not code again documents already stored (after a killed run).")
@keep_all_option
@min_confidence_option
@learned_option
@click.option("--allow-future", is_flag=True,
              help="Code articles dated more than a day in the future (by default they are skipped as errors).")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar or notices.")
def code(paths: tuple[str, ...], output: str | None, db: str | None, default_date: date | None, fmt: str,
         publisher: str | None, place: str | None, workers: int, scheduler: str | None, resume: bool,
         keep_all: bool, min_confidence: float | None, learned: bool, allow_future: bool, quiet: bool) -> None:
    """Code articles (files, folders, or - for stdin) into JSONL event records."""
    from eventcoder.batch import code_paths
    from eventcoder.ingest.future import future_problem

    _one_of_keep_all_and_min_confidence(keep_all, min_confidence)
    if not allow_future and future_problem(default_date, "--date") is not None:
        raise click.BadParameter(f"{default_date} is more than a day in the future; give --allow-future if it is "
                                 "meant", param_hint="'--date'")
    out: IO[str] = open(output, "w", encoding="utf-8") if output else sys.stdout  # noqa: SIM115
    try:
        result = code_paths(list(paths), out, db=db, fmt=fmt, default_date=default_date, publisher=publisher,
                            progress=_show_progress(quiet), stdin=sys.stdin.buffer, workers=workers,
                            scheduler=scheduler, resume=resume, keep_all=keep_all, min_confidence=min_confidence,
                            allow_future=allow_future, place=place, learned=learned or None)
    except EventcoderError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        if output:
            out.close()
    if not quiet:
        for notice in result.notices:
            click.echo(f"note: {notice}", err=True)
    where = f" to {output}" if output else ""
    stored = f", stored in {db}" if db else ""
    if resume and db is None:
        click.echo("note: --resume needs --db; every document was coded", err=True)
    if result.n_resumed and not quiet:
        click.echo(f"{result.n_resumed} document(s) already stored, not coded again", err=True)
    if not quiet or result.problems:
        click.echo(f"coded {result.n_documents} document(s) into {result.n_events} event(s){where}{stored}",
                   err=True)
    if result.problems:
        click.echo(f"{len(result.problems)} input(s) skipped:", err=True)
        for problem in result.problems:
            click.echo(f"  {problem}", err=True)
        sys.exit(2)


@main.command()
@click.option("--db", default=DEFAULT_DB, show_default=True, help="SQLite file or database URL.")
@click.option("--limit", default=40, show_default=True, help="Events to list (0 for none).")
def summary(db: str, limit: int) -> None:
    """Print a readable summary table of a store's events."""
    from eventcoder.report import format_summary
    from eventcoder.store import Store

    if "://" not in db and not Path(db).exists():
        raise click.ClickException(f"{db}: no such database; run `eventcoder code ... --db {db}` first")
    try:
        store = Store.open(db)
    except EventcoderError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(format_summary(store.summary(_default_min_confidence(None)), list(store.records()), limit=limit))
    store.close()


@main.command(name="eval")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="End with the metrics as one JSON object.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@click.option("--keep-all", is_flag=True, help="Score every event whatever its confidence (default: as written).")
@learned_option
def eval_command(gold: str, as_json: bool, quiet: bool, keep_all: bool, learned: bool) -> None:
    """Score the coder against a gold file (*.events.jsonl, *.geo.jsonl, *.actors.jsonl)."""
    from eventcoder.evaluate import evaluate_file, format_report
    from eventcoder.pipeline import Pipeline
    from eventcoder.scoring import pipeline_predictors

    progress = _show_progress(quiet)
    try:
        pipeline = Pipeline(keep_all=keep_all, learned=learned or None)
        predictors = pipeline_predictors(progress=progress, pipeline=pipeline)
        result = evaluate_file(gold, predictors)
    except EventcoderError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(format_report(result))
    if as_json:
        click.echo(json.dumps(result, sort_keys=True))


@main.command()
@click.argument("text")
@click.option("--date", "when", callback=_parse_date, default=None, metavar="YYYY-MM-DD",
              help="Resolve roles as of this date.")
@click.option("--json", "as_json", is_flag=True, help="Print the resolution as JSON.")
def actor(text: str, when: date | None, as_json: bool) -> None:
    """Resolve an actor mention and say why (which key matched)."""
    from eventcoder.actors import load_kb
    from eventcoder.report import format_resolution, resolution_dict

    resolution = load_kb().explain(text, when)
    if as_json:
        click.echo(json.dumps(resolution_dict(resolution), sort_keys=True, ensure_ascii=False))
    else:
        click.echo(format_resolution(text, resolution))


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--date", "default_date", callback=_parse_date, default=None, metavar="YYYY-MM-DD",
              help="Publication date for inputs that carry none.")
@click.option("--publisher", default=None, help="Publisher of inputs that name none.")
def claims(paths: tuple[str, ...], default_date: date | None, publisher: str | None) -> None:
    """Print, per event, who claims it and who disputes it."""
    from eventcoder.batch import with_publisher
    from eventcoder.claims import format_claims
    from eventcoder.ingest import IngestReport, read_documents
    from eventcoder.pipeline import Pipeline

    report = IngestReport()
    documents: Iterator[Document] = read_documents(
        list(paths), default_date=default_date, report=report, stdin=sys.stdin.buffer)
    for coded in Pipeline().code(with_publisher(documents, publisher)):
        title = coded.document.title or coded.document.origin or coded.document.id
        click.echo(f"== {title} ({coded.document.published or 'undated'})")
        click.echo(format_claims(list(coded.events)))
    for problem in report.problems:
        click.echo(f"skipped: {problem}", err=True)
    if report.problems:
        sys.exit(2)


def _parse_bbox(_ctx: click.Context, _param: click.Parameter,
                value: str | None) -> tuple[float, float, float, float] | None:
    if value is None:
        return None
    from eventcoder.store import parse_bbox

    try:
        return parse_bbox(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@main.command(name="export")
@click.option("--db", default=DEFAULT_DB, show_default=True, help="SQLite file or database URL to export from.")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "parquet", "geojson"]), default="jsonl",
              show_default=True, help="Output format (CSV columns: see the README).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write here instead of stdout (parquet needs a file).")
@click.option("--from", "date_from", callback=_parse_date, default=None, metavar="YYYY-MM-DD",
              help="Events on or after this date.")
@click.option("--to", "date_to", callback=_parse_date, default=None, metavar="YYYY-MM-DD",
              help="Events on or before this date.")
@click.option("--type", "event_type", default=None, help="PLOVER event type, e.g. ASSAULT.")
@click.option("--country", default=None, help="ISO-3 code of the place, actor or recipient.")
@click.option("--actor", default=None, help="Actor or recipient country code or name.")
@click.option("--status", type=click.Choice(["uncontested", "corroborated", "disputed"]), default=None,
              help="Claim status.")
@click.option("--bbox", callback=_parse_bbox, default=None, metavar="MIN_LON,MIN_LAT,MAX_LON,MAX_LAT",
              help="Only events located in this box.")
@click.option("--min-confidence", type=click.FloatRange(0.0, 1.0), default=None, metavar="FLOAT",
              help="Only events of at least this confidence, or never scored (0: every event stored) "
                   "[default: the min_confidence setting, 0.5].")
def export_command(db: str, fmt: str, output: str | None, date_from: date | None, date_to: date | None,
                   event_type: str | None, country: str | None, actor: str | None, status: str | None,
                   bbox: tuple[float, float, float, float] | None, min_confidence: float | None) -> None:
    """Export the merged dataset (one row per event, every report kept) with filters."""
    from eventcoder.export import export
    from eventcoder.store import EventFilter, Store

    if fmt == "parquet" and output is None:
        raise click.UsageError("parquet is binary: give -o FILE.parquet")
    if "://" not in db and not Path(db).exists():
        raise click.ClickException(f"{db}: no such database; run `eventcoder code ... --db {db}` first")
    where = EventFilter(date_from=date_from, date_to=date_to, event_type=event_type, country=country,
                        actor=actor, status=status, bbox=bbox, min_confidence=_default_min_confidence(min_confidence))
    try:
        store = Store.open(db)
        try:
            if output:
                with open(output, "wb") as handle:
                    export(store, fmt, handle, where)
            else:
                export(store, fmt, sys.stdout.buffer, where)
                sys.stdout.buffer.flush()
        finally:
            store.close()
    except EventcoderError as exc:
        raise click.ClickException(str(exc)) from exc


@main.command()
@click.option("--db", default=None, help="SQLite file or database URL [default: from config].")
@click.option("--host", default=None, help="Address to listen on [default: 127.0.0.1].")
@click.option("--port", type=int, default=None, help="Port [default: 8000].")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False), default=None,
              help="YAML settings file (see data/config/defaults.yaml).")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Server processes sharing the port (reads scale with CPU cores).")
def serve(db: str | None, host: str | None, port: int | None, config_path: str | None, workers: int) -> None:
    """Serve the REST API and the web page; writes need EVENTCODER_TOKEN."""
    from eventcoder.config import load_config
    from eventcoder.serving import serve as run_server

    try:
        config = load_config(config_path, db=db, host=host, port=port)
    except EventcoderError as exc:
        raise click.ClickException(str(exc)) from exc
    if not config.token:
        click.echo("note: no token set (EVENTCODER_TOKEN): POST /documents is refused until one is", err=True)
    run_server(config, workers)


@main.command(name="watch")
@click.argument("sources", nargs=-1, required=True)
@click.option("--db", default=DEFAULT_DB, show_default=True, help="Store the records in this SQLite file or URL.")
@click.option("--state", default=None, help="File remembering what was coded [default: <db>.watch-state].")
@click.option("-o", "--output", default=None, help="Also append JSONL records to this file.")
@click.option("--interval", type=click.FloatRange(min=0.1), default=60.0, show_default=True,
              help="Seconds between passes.")
@click.option("--once", is_flag=True, help="Make one pass and stop.")
@click.option("--settle", type=click.FloatRange(min=0.0), default=5.0, show_default=True,
              help="Code a folder's file only once unmodified this many seconds (it may still be being written).")
@click.option("--allow-future", is_flag=True, help="Code items dated more than a day in the future (default: skip).")
@click.option("--date", "default_date", callback=_parse_date, default=None, metavar="YYYY-MM-DD",
              help="Publication date for items that carry none.")
@click.option("--place", "places", multiple=True, metavar="SOURCE=PLACE",
              help='The outlet\'s own place for one source ("https://paper/feed=Paris, Tenn."); repeatable.')
@keep_all_option
@min_confidence_option
@learned_option
@click.option("-q", "--quiet", is_flag=True, help="Say nothing unless something goes wrong.")
def watch_command(sources: tuple[str, ...], db: str, state: str | None, output: str | None, interval: float,
                  once: bool, settle: float, allow_future: bool, default_date: date | None,
                  places: tuple[str, ...], keep_all: bool,
                  min_confidence: float | None, learned: bool, quiet: bool) -> None:
    """Watch folders or RSS/Atom feed URLs and code each new item once, across restarts."""
    from eventcoder.pipeline import CodedDocument, Pipeline
    from eventcoder.store import Store
    from eventcoder.watch import SeenState, watch

    _one_of_keep_all_and_min_confidence(keep_all, min_confidence)
    source_places = _source_places(places, sources)
    store = Store.open(db)
    seen = SeenState(state or (f"{db}.watch-state" if "://" not in db else "eventcoder.watch-state"))
    out = open(output, "a", encoding="utf-8") if output else None  # noqa: SIM115

    def sink(coded: CodedDocument) -> None:
        store.save(coded.document, coded.events, political=coded.political)
        if out is not None:
            out.writelines(json.dumps(e.to_dict(), ensure_ascii=False) + "\n" for e in coded.events)
            out.flush()

    def log(line: str) -> None:
        if not quiet or "retrying" in line:
            click.echo(line, err=True)

    pipeline = Pipeline(keep_all=keep_all, min_confidence=min_confidence, learned=learned or None)
    try:
        stats = watch(list(sources), seen, pipeline, sink, interval=interval, once=once, settle=settle,
                      forget=store.forget, allow_future=allow_future, default_date=default_date, log=log,
                      progress=_show_progress(quiet), places=source_places)
    except KeyboardInterrupt:
        return
    finally:
        seen.close()
        store.close()
        if out is not None:
            out.close()
    if not quiet:
        click.echo(f"coded {stats.coded} new item(s) into {stats.events} event(s)", err=True)
    for line in stats.skipped:
        click.echo(f"skipped: {line}", err=True)


def _source_places(pairs: tuple[str, ...], sources: tuple[str, ...]) -> dict[str, str]:
    """Read ``--place SOURCE=PLACE`` pairs; the source must be one being watched."""
    out: dict[str, str] = {}
    for pair in pairs:
        source, sep, place = pair.rpartition("=")
        if not sep or not source or not place.strip():
            raise click.BadParameter(f"{pair!r}: write SOURCE=PLACE", param_hint="--place")
        if source not in sources:
            raise click.BadParameter(f"{source!r} is not a watched source", param_hint="--place")
        out[source] = place.strip()
    return out


if __name__ == "__main__":
    main()
