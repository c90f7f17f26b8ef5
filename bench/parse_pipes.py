"""CPU seconds of each spaCy component on a long text, spaCy's own rule components against ``fastrules``.

Parses the long_text.py article (default 300,000 characters) in 50,000-character slices with two pipelines
built the same way (model, entity ruler fed from the actor knowledge base): spaCy's stock components and
the project's (``eventcoder.fastrules``: indexed attribute ruler, lemmatizer word sets, the entity ruler's
indexed token matcher). Prints the CPU
seconds per component for both, and whether every slice got exactly the same annotations (it must).

Usage: PYTHONPATH=src .venv/bin/python bench/parse_pipes.py [--chars 300000]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

import spacy

sys.path.insert(0, os.path.dirname(__file__))

from _texts import bench_documents
from long_text import long_text

from eventcoder.actors import load_kb
from eventcoder.fastrules import same_annotations
from eventcoder.nlp import MODEL_NAME, PARAGRAPHS, build_nlp, load_patterns

SLICE = 50_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--chars", type=int, default=300_000)
    args = parser.parse_args()
    _, documents = bench_documents()
    text = long_text([d.text for d in documents], args.chars)
    patterns = load_kb().ruler_patterns()
    fast = build_nlp(patterns)
    stock = spacy.load(MODEL_NAME)
    stock.add_pipe(PARAGRAPHS, before="parser")  # as build_nlp does: not a rule component made faster
    stock.add_pipe("entity_ruler", before="ner", config={"phrase_matcher_attr": "LOWER"})
    stock.get_pipe("entity_ruler").add_patterns(load_patterns(patterns))  # type: ignore[attr-defined]
    seconds: dict[str, dict[str, float]] = {"stock": {}, "fast": {}}
    differing = 0
    for start in range(0, len(text), SLICE):
        piece = text[start:start + SLICE]
        docs = {}
        for name, nlp in (("stock", stock), ("fast", fast)):
            began = time.process_time()
            doc = nlp.make_doc(piece)
            seconds[name]["tokenizer"] = seconds[name].get("tokenizer", 0.0) + time.process_time() - began
            for component, process in nlp.pipeline:
                began = time.process_time()
                doc = process(doc)
                seconds[name][component] = seconds[name].get(component, 0.0) + time.process_time() - began
            docs[name] = doc
        differing += not same_annotations(docs["stock"], docs["fast"])
    result = {"bench": "parse_pipes", "chars": len(text),
              "cpu_seconds": {k: {c: round(s, 2) for c, s in v.items()} for k, v in seconds.items()},
              "total": {k: round(sum(v.values()), 2) for k, v in seconds.items()},
              "slices_differing": differing, "load_average_1min": round(os.getloadavg()[0], 2)}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
