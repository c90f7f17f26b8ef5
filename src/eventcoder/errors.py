"""Errors for people: each says what went wrong, with which input, and what to do."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


class EventcoderError(Exception):
    """Base of every error eventcoder raises on purpose."""

    exit_code = 1


class InputError(EventcoderError):
    """An input cannot be read as a document; names the input and the problem."""

    exit_code = 2

    def __init__(self, origin: str, problem: str, hint: str | None = None) -> None:
        self.origin = origin
        self.problem = problem
        self.hint = hint
        message = f"{origin}: {problem}"
        if hint:
            message += f" ({hint})"
        super().__init__(message)


class ModelError(EventcoderError):
    """A language model or compiled index is missing or broken."""


class DataError(EventcoderError):
    """A file under data/ (lexicon, KB, gazetteer) is malformed."""


class StoreError(EventcoderError):
    """The database cannot be opened or written."""


class EvalError(EventcoderError):
    """A gold file cannot be scored."""


def run_subcommand(parser: argparse.ArgumentParser, argv: Sequence[str] | None) -> None:
    """Parse ``argv`` and run the chosen subcommand (its ``run`` default); an ``EventcoderError`` ends the
    process with its one-line message (``python -m`` tools of the package use this)."""
    args = parser.parse_args(argv)
    try:
        args.run(args)
    except EventcoderError as exc:
        sys.exit(f"error: {exc}")
