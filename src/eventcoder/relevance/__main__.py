"""``python -m eventcoder.relevance train [--out DIR]``: rebuild the relevance model (``make train``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from eventcoder.errors import EventcoderError
from eventcoder.relevance.artefact import model_folder
from eventcoder.relevance.train import train


def main(argv: list[str] | None = None) -> int:
    """Train and write the model; return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m eventcoder.relevance")
    commands = parser.add_subparsers(dest="command", required=True)
    command = commands.add_parser("train", help="train the relevance model from data/relevance/train_*.jsonl")
    command.add_argument("--out", type=Path, default=None, help="folder to write (default: the packaged model)")
    command.add_argument("--data", type=Path, default=None, help="folder of train_*.jsonl (default: packaged)")
    arguments = parser.parse_args(argv)
    try:
        artefact = train(arguments.data, progress=lambda line: print(line, file=sys.stderr))
    except EventcoderError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    folder = arguments.out or model_folder()
    artefact.save(folder)
    print(f"relevance model written to {folder}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
