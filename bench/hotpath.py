"""Profile the hot path of ``eventcoder code`` (parse + every coding stage) on real news text.

    .venv/bin/python bench/hotpath.py [--limit N] [--lines 25]

Needs pyinstrument (dev only: ``pip install pyinstrument==5.1.3``). Models and indexes load before
the profiler starts, so the profile is the steady state a long batch sees. Prints the call tree
(time in seconds, the top ``--lines`` lines) and, after it, the CPU seconds per spaCy component and
per coding stage (``time.process_time``, which other jobs on a shared machine skew less than wall time).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _texts import bench_documents


def _stage_seconds(pipeline, parsed_docs) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Time each coding stage on already parsed documents."""
    seconds = {"events": 0.0}
    names = ["claims", "dates", "places"]
    for name in names:
        seconds[name] = 0.0
    for parsed in parsed_docs:
        start = time.process_time()
        found = pipeline.event_coder(parsed)
        seconds["events"] += time.process_time() - start
        for name, stage in zip(names, pipeline.stages, strict=True):
            start = time.process_time()
            found = stage(parsed, found)
            seconds[name] += time.process_time() - start
    return seconds


def _component_seconds(nlp, texts: list[str], batch_size: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Time the tokenizer and each spaCy component over the texts, batched as the Parser does."""
    seconds = {"tokenizer": 0.0, **{name: 0.0 for name in nlp.pipe_names}}
    start = time.process_time()
    docs = [nlp.make_doc(text) for text in texts]
    seconds["tokenizer"] = time.process_time() - start
    for name, component in nlp.pipeline:
        start = time.process_time()
        if hasattr(component, "pipe"):
            docs = list(component.pipe(docs, batch_size=batch_size))
        else:
            docs = [component(doc) for doc in docs]
        seconds[name] = time.process_time() - start
    return seconds


@click.command()
@click.option("--limit", type=int, default=None, help="Use only the first N documents.")
@click.option("--lines", type=int, default=25, help="Lines of the call tree to print.")
def main(limit: int | None, lines: int) -> None:
    """Profile parse + stages with pyinstrument; print the top of the call tree and the per-part split."""
    from pyinstrument import Profiler

    from eventcoder.pipeline import Pipeline

    source, documents = bench_documents(limit)
    pipeline = Pipeline()
    list(pipeline.code(documents[:3]))  # load the models, the KB, the gazetteer, the lexicons
    profiler = Profiler(interval=0.001)
    profiler.start()
    n_events = sum(len(coded.events) for coded in pipeline.code(documents))
    profiler.stop()
    tree = profiler.output_text(unicode=False, color=False, show_all=False, short_mode=False)
    tree_lines = tree.splitlines()
    first = next((n for n, line in enumerate(tree_lines) if line[:1].isdigit()), 0)  # past pyinstrument's banner
    body = [line for line in tree_lines[first:] if line.strip()]
    click.echo(f"# {len(documents)} {source} documents, {n_events} events")
    click.echo("\n".join(body[:lines]))

    nlp = pipeline.parser.nlp
    texts = [d.text for d in documents]
    parts = _component_seconds(nlp, texts, pipeline.batch_size)
    parsed = list(pipeline.parser.pipe(documents))
    parts.update(_stage_seconds(pipeline, parsed))
    total = sum(parts.values())
    click.echo("\n# CPU seconds per part (separate timed run)")
    for name, value in sorted(parts.items(), key=lambda item: -item[1]):
        click.echo(f"{name:16} {value:7.2f} s  {100 * value / total:5.1f} %")


if __name__ == "__main__":
    main()
