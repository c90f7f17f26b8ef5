"""End-to-end throughput against bare spaCy on the same real news text, measured in one run.

    .venv/bin/python bench/throughput.py [--limit N] [--learned] [--json]

Prints words/s for the whole Pipeline (parse + every coding stage that exists), words/s for bare
``nlp.pipe`` over the same texts with the same pipeline object, their ratio (goal >= 0.7) and the peak
resident memory (goal < 1.5 GB). ``stock_spacy_*`` times the model as shipped (``spacy.load``, without the
project's faster rule components of ``eventcoder.fastrules`` and its entity ruler): since those made the
pipeline's own spaCy faster, the ratio against it fell while the pipeline itself got faster; the ratio
against the stock model is the one that compares with the figures before issue 18. The ``*_cpu_*``
figures divide by this process's CPU time (``time.process_time``) instead of wall time, so that other jobs
on a shared machine skew them less.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path

import click

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _texts import bench_documents

from eventcoder.model import Document
from eventcoder.pipeline import Pipeline


def _words(documents: list[Document]) -> int:
    return sum(len(d.text.split()) for d in documents)


def _stage_names(pipeline) -> list[str]:  # type: ignore[no-untyped-def]
    """Name the parts the pipeline runs, in order (the stages after the event coder by their class)."""
    names = ["parse", "events", "relevance"] if pipeline.relevance is not None else ["parse", "events"]
    names += ["learned"] if pipeline.learned is not None else []
    return names + [type(stage).__name__ for stage in pipeline.stages]


def _stock_spacy_cpu(texts: list[str], batch_size: int) -> float:
    """Return the CPU seconds the model as shipped (``spacy.load``) takes over ``texts``."""
    import spacy

    from eventcoder.nlp import MODEL_NAME

    stock = spacy.load(MODEL_NAME)
    list(stock.pipe(texts[:5]))  # warm up
    cpu_start = time.process_time()
    for _ in stock.pipe(texts, batch_size=batch_size):
        pass
    return time.process_time() - cpu_start


def measure(limit: int | None, learned: bool = False) -> dict[str, object]:
    """Run bare spaCy and the pipeline over the same documents; return the figures."""
    source, documents = bench_documents(limit)
    words = _words(documents)
    pipeline = Pipeline(learned=learned or None)  # the default pipeline, every stage included
    nlp = pipeline.parser.nlp
    pipeline.event_coder  # noqa: B018 - load the lexicon before timing
    texts = [d.text for d in documents]
    list(nlp.pipe(texts[:5]))  # warm up
    list(pipeline.code(documents[:5]))

    start, cpu_start = time.perf_counter(), time.process_time()
    for _ in nlp.pipe(texts, batch_size=pipeline.batch_size):
        pass
    bare, bare_cpu = time.perf_counter() - start, time.process_time() - cpu_start

    start, cpu_start = time.perf_counter(), time.process_time()
    n_events = sum(len(coded.events) for coded in pipeline.code(documents))
    full, full_cpu = time.perf_counter() - start, time.process_time() - cpu_start

    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # before the stock model below is loaded
    stock_cpu = _stock_spacy_cpu(texts, pipeline.batch_size)
    return {
        "text": source, "documents": len(documents), "words": words, "stages": _stage_names(pipeline),
        "learned_layer": pipeline.learned is not None,
        "events": n_events,
        "spacy_words_per_s": round(words / bare, 1),
        "pipeline_words_per_s": round(words / full, 1),
        "ratio_vs_spacy": round(bare / full, 3),
        "spacy_words_per_cpu_s": round(words / bare_cpu, 1),
        "pipeline_words_per_cpu_s": round(words / full_cpu, 1),
        "ratio_vs_spacy_cpu": round(bare_cpu / full_cpu, 3),
        "stock_spacy_words_per_cpu_s": round(words / stock_cpu, 1),
        "ratio_vs_stock_spacy_cpu": round(stock_cpu / full_cpu, 3),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "peak_rss_mb": round(peak_kb / 1024, 1),
    }


@click.command()
@click.option("--limit", type=int, default=None, help="Use only the first N documents.")
@click.option("--learned", is_flag=True, help="Add the learned event layer (off by default, as in the pipeline).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def main(limit: int | None, learned: bool, as_json: bool) -> None:
    """Measure end-to-end words/s against bare nlp.pipe on the same text."""
    figures = measure(limit, learned)
    if as_json:
        click.echo(json.dumps(figures))
        return
    for key, value in figures.items():
        click.echo(f"{key:22} {value}")


if __name__ == "__main__":
    main()
