"""Batch coding: read inputs, code them (in process or on Dask), write JSONL and the store.

Bad inputs are skipped and listed; one writer (this process) writes every record, in input order,
so a Dask run gives exactly the records of a single-process run. Each document is stored in one
transaction, so a batch killed at any point and run again ends with exactly the records of an
uninterrupted run; with ``resume`` the rerun skips the documents already stored.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, BinaryIO, Literal

from tqdm import tqdm

from eventcoder.errors import EventcoderError, InputError
from eventcoder.ingest import IngestReport, read_documents
from eventcoder.ingest.read import input_sources
from eventcoder.model import Document
from eventcoder.pipeline import CodedDocument, Pipeline

if TYPE_CHECKING:
    from distributed import Client

Format = Literal["auto", "text", "jsonl", "html"]
PARTITION_SIZE = 16  # documents per Dask task: big enough to amortise scheduling, small for balance


@dataclass
class BatchResult:
    """What a batch did: counts, inputs skipped (with why) and notices."""

    n_documents: int = 0
    n_events: int = 0
    n_resumed: int = 0  # documents found stored by an earlier run, not coded again
    problems: list[EventcoderError] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Failure:
    """A document that a coding stage could not code; travels back from a worker."""

    origin: str
    message: str


@dataclass(frozen=True)
class Stored:
    """A document an earlier (perhaps interrupted) run stored complete; its records are read back."""

    document: Document


Outcome = CodedDocument | Failure


@dataclass(frozen=True)
class CodingOptions:
    """Which events a pipeline returns; small and hashable, so it travels to Dask workers and keys their cache."""

    keep_all: bool = False  # every event, whatever its confidence
    min_confidence: float | None = None  # None: the relevance model's threshold
    learned: bool | None = None  # the learned event layer: True on, None as the EVENTCODER_LEARNED setting says

    def pipeline(self) -> Pipeline:
        """Build a pipeline with these options (models load on first use)."""
        return Pipeline(keep_all=self.keep_all, min_confidence=self.min_confidence, learned=self.learned)


def code_paths(paths: list[str], out: IO[str] | None, *, db: str | None = None, fmt: str = "auto",
               default_date: date | None = None, publisher: str | None = None, progress: bool = False,
               stdin: BinaryIO | None = None, pipeline: Pipeline | None = None, workers: int = 0,
               scheduler: str | None = None, resume: bool = False, keep_all: bool = False,
               min_confidence: float | None = None, allow_future: bool = False,
               place: str | None = None, learned: bool | None = None) -> BatchResult:
    """Code every document under ``paths``; write records to ``out`` and ``db``; never stop for one bad input.

    With ``workers`` > 0 or a ``scheduler`` address, documents are coded on a Dask cluster
    (a LocalCluster of ``workers`` processes, or the existing cluster at ``scheduler``).
    ``keep_all`` writes every event whatever its confidence; otherwise events under ``min_confidence``
    (default: the relevance model's threshold) are not written. ``learned`` True adds the learned event
    layer (None: as the ``EVENTCODER_LEARNED`` setting says). These apply to the pipeline built here
    and to the workers' pipelines, not to a ``pipeline`` given.
    With ``resume`` and a ``db``, documents already stored there (by a run that was killed, say) are
    not coded again: their stored records go to ``out`` in their place, so ``out`` is complete.
    Documents dated more than a day in the future are skipped as problems unless ``allow_future``.
    ``place`` is the outlet's own place for documents that give none (a prior for place names).
    """
    from eventcoder.ingest.future import not_future
    from eventcoder.store import Store

    report = IngestReport()
    result = BatchResult()
    documents = not_future(with_publisher(
        read_documents(paths, fmt=_format(fmt), default_date=default_date, on_error="skip", report=report,
                       stdin=stdin),
        publisher, place), report.problems, allow_future)
    store = Store.open(db) if db else None
    try:
        order: deque[Document | Stored] = deque()
        if resume and store is not None:
            documents = _unstored(documents, store, order)
        options = CodingOptions(keep_all, min_confidence, learned)
        if workers > 0 or scheduler:
            outcomes: Iterator[Outcome] = _code_on_dask(documents, workers, scheduler, options)
        else:
            outcomes = code_documents(pipeline or options.pipeline(), documents)
        total = count_documents(paths, _format(fmt)) if progress else None
        with tqdm(desc="coding", unit="doc", total=total, disable=not progress, dynamic_ncols=True) as bar:
            for outcome in _in_input_order(outcomes, order):
                bar.update(1)
                if isinstance(outcome, Failure):
                    result.problems.append(InputError(outcome.origin, f"could not be coded: {outcome.message}"))
                    continue
                if isinstance(outcome, Stored):
                    result.n_resumed += 1
                    result.n_events += _write_stored(outcome, out, store)
                else:
                    _write(outcome, out, store)
                    result.n_events += len(outcome.events)
                result.n_documents += 1
            if bar.total is not None and bar.n != bar.total:
                bar.total = bar.n  # duplicates and unreadable inputs made the count high: end the bar at 100 %
    finally:
        if store is not None:
            store.close()
    result.problems = [*report.problems, *result.problems]
    result.notices = list(report.notices)
    return result


def count_documents(paths: list[str], fmt: Format) -> int | None:
    """Count the documents ``paths`` will give, cheaply, for the progress bar's ETA; None when unknown.

    A text or HTML file is one document, a JSONL file one per non-blank line; stdin and feeds are
    unknown. Files are not decoded, so duplicates and bad inputs make the count a little high.
    """
    total = 0
    for source in input_sources(paths, fmt, on_error="skip", report=IngestReport()):
        if source.path is None or source.fmt == "feed":
            return None
        total += _jsonl_lines(source.path) if source.fmt == "jsonl" else 1
    return total


def _jsonl_lines(path: Path) -> int:
    try:
        with path.open("rb") as stream:
            return sum(1 for line in stream if line.strip())
    except OSError:
        return 0  # the reader reports it


def _write(coded: CodedDocument, out: IO[str] | None, store: Any) -> None:
    if out is not None:
        for event in coded.events:
            out.write(json.dumps(event.to_dict(), ensure_ascii=False) + "\n")
    if store is not None:
        store.save(coded.document, coded.events, political=coded.political)


def _write_stored(stored: Stored, out: IO[str] | None, store: Any) -> int:
    records = list(store.records(stored.document.id))
    if out is not None:
        for record in records:  # the same record as when coded (its keys in sorted order)
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return len(records)


def _unstored(documents: Iterable[Document], store: Any, order: deque[Document | Stored]) -> Iterator[Document]:
    """Yield the documents not yet stored; note every document, stored or not, in ``order``."""
    for document in documents:
        if store.has_document(document.id):
            order.append(Stored(document))
        else:
            order.append(document)
            yield document


def _in_input_order(outcomes: Iterator[Outcome], order: deque[Document | Stored]) -> Iterator[Outcome | Stored]:
    """Put stored documents back between the coded ones, where the input had them (no-op without resume)."""
    for outcome in outcomes:
        while order and isinstance(stored := order[0], Stored):
            order.popleft()
            yield stored
        if order:
            order.popleft()  # the document this outcome is for: outcomes come in input order, one a document
        yield outcome
    for rest in order:  # every document was read once the outcomes ran out: only stored ones are left
        if isinstance(rest, Stored):
            yield rest


def _format(fmt: str) -> Format:
    if fmt not in ("auto", "text", "jsonl", "html"):
        raise InputError("--format", f"unknown format {fmt!r}", "use auto, text, jsonl or html")
    return fmt  # type: ignore[return-value]


def with_publisher(documents: Iterable[Document], publisher: str | None,
                   place: str | None = None) -> Iterator[Document]:
    """Give documents that name no publisher (no outlet place) the one given on the command line."""
    for document in documents:
        if publisher and not document.publisher:
            document = replace(document, publisher=publisher)
        if place and not document.place:
            document = replace(document, place=place)
        yield document


def code_documents(pipeline: Pipeline, documents: Iterable[Document]) -> Iterator[Outcome]:
    """Code documents in order; one that fails in a stage becomes a ``Failure`` and the rest go on."""
    for document, coding in pipeline.coding(documents):  # long documents in pieces
        try:
            coded = coding()
        except Exception as exc:  # one document breaking a stage must not lose the batch
            message = str(exc) if isinstance(exc, EventcoderError) else f"{type(exc).__name__}: {exc}"
            yield Failure(document.origin or document.id, message)
            continue
        yield coded


@lru_cache(maxsize=2)
def worker_pipeline(options: CodingOptions = CodingOptions()) -> Pipeline:
    """Return this process's pipeline for ``options``; models load once per worker, on first use."""
    return options.pipeline()


def code_partition(documents: list[Document], options: CodingOptions = CodingOptions()) -> list[Outcome]:
    """Code one partition on a worker with the worker's cached pipeline."""
    return list(code_documents(worker_pipeline(options), documents))


def _partitions(documents: Iterable[Document], size: int) -> Iterator[list[Document]]:
    iterator = iter(documents)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _code_on_dask(documents: Iterable[Document], workers: int, scheduler: str | None,
                  options: CodingOptions = CodingOptions()) -> Iterator[Outcome]:
    """Code partitions on Dask with bounded work in flight; yield outcomes in input order."""
    from distributed import Client, LocalCluster

    if scheduler:
        client = Client(scheduler)
        cluster = None
    else:
        cluster = LocalCluster(n_workers=max(workers, 1), threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=40)
        client = Client(cluster)
    try:
        yield from _ordered_results(client, _partitions(documents, PARTITION_SIZE), max(workers, 1) * 3, options)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _ordered_results(client: Client, partitions: Iterator[list[Document]], in_flight: int,
                     options: CodingOptions = CodingOptions()) -> Iterator[Outcome]:
    """Submit partitions keeping at most ``in_flight`` pending; yield results in submission order."""
    pending: list[Any] = []
    for partition in partitions:
        pending.append(client.submit(code_partition, partition, options, pure=False))
        if len(pending) >= in_flight:
            yield from pending.pop(0).result()
    for future in pending:
        yield from future.result()
