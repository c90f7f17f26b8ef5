"""``python -m eventcoder.learned train``: build the learned event layer (``make train``'s second step)."""

from __future__ import annotations

import argparse
import hashlib
import time
from collections.abc import Sequence
from pathlib import Path

from eventcoder.errors import EventcoderError, run_subcommand


def _train(args: argparse.Namespace) -> None:
    import numpy as np

    from eventcoder.corpus.annotations import plover_modes
    from eventcoder.learned.inputs import code_examples, hashed_lines, sentence_text, train_split
    from eventcoder.learned.train import (
        MODES,
        counts,
        data_hash,
        default_output,
        encoder_manifest,
        train_examples,
    )
    from eventcoder.relevance.artefact import WEIGHTS_FILE
    from eventcoder.relevance.artefact import model_folder as relevance_folder
    from eventcoder.relevance.encoder import MiniLMEncoder

    if not Path(args.open_news).is_dir():
        print(f"learned event layer not built: {args.open_news} is not here (the coder runs its rules alone)")
        return
    started = time.monotonic()
    annotations, records = train_split(args.annotations, args.open_news)
    examples = code_examples(annotations, records, print)
    encoder = MiniLMEncoder()
    print(f"embedding {len(examples)} sentences with {encoder.name}")
    embeddings = encoder.encode([sentence_text(a, records) for a in annotations]).astype(np.float64)
    relevance = relevance_folder() / WEIGHTS_FILE
    provenance = encoder_manifest(encoder) | {
        "relevance_model_sha256": hashlib.sha256(relevance.read_bytes()).hexdigest(),
        "data": {"annotations": args.annotations, "split": "train", "sentences": len(examples),
                 "sha256": data_hash(hashed_lines(annotations, records)), "types": counts(examples),
                 "licence": "annotations by the eventcoder project; texts CC BY-SA 4.0 / public domain, read "
                            "from ../shared at training time and not kept"}}
    modes = tuple(m.strip() for m in args.modes.split(",") if m.strip())
    if not modes or any(m not in MODES for m in modes):
        raise EventcoderError(f"--modes {args.modes!r}: name modes among {', '.join(MODES)}")
    model = train_examples(examples, embeddings, sorted(plover_modes()), provenance, print, modes)
    out = Path(args.out) if args.out else default_output()
    model.save(out)
    print(f"learned event layer -> {out} in {time.monotonic() - started:.0f} s")


def main(argv: Sequence[str] | None = None) -> None:
    from eventcoder.learned.inputs import ANNOTATIONS, OPEN_NEWS

    parser = argparse.ArgumentParser(prog="python -m eventcoder.learned")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("train", help="train the learned event layer from the corpus train split")
    p.add_argument("--annotations", default=ANNOTATIONS)
    p.add_argument("--open-news", default=OPEN_NEWS)
    p.add_argument("--modes", default="fill",
                   help="modes the thresholds may turn on, comma-separated: fill, retype [default: fill; re-type "
                        "lowered dev PLOVER GSR type F1]")
    p.add_argument("--out", help="output folder [default: the package's data/compiled/learned]")
    p.set_defaults(run=_train)
    run_subcommand(parser, argv)


if __name__ == "__main__":
    main()
