"""Shared fixtures: the pipeline loads once per session; paths to the corpus and shared sets."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from pg import postgres_server

# The learned event layer is built by `make train` from ../shared and may be absent: the suite (and the CLIs it
# starts) tests the rules as committed; tests/test_learned.py turns the layer on where it tests it.
os.environ.setdefault("EVENTCODER_LEARNED", "off")

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
REFERENCE = CORPUS / "karabakh-2020-09-27.txt"
SHARED = ROOT.parent / "shared"
GOLDEN = Path(__file__).resolve().parent / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="Rewrite tests/golden/ from the current output (on purpose only).")


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def kb():  # type: ignore[no-untyped-def]
    """The actor knowledge base, loaded once for every test that reads it."""
    from eventcoder.actors import load_kb

    return load_kb()


@pytest.fixture(scope="session")
def pipeline():  # type: ignore[no-untyped-def]
    from eventcoder.pipeline import Pipeline

    return Pipeline(learned=False)


@pytest.fixture(scope="session")
def reference_coded(pipeline):  # type: ignore[no-untyped-def]
    from eventcoder.ingest import read_documents

    [document] = list(read_documents([str(REFERENCE)], on_error="raise"))
    return next(pipeline.code([document]))


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """Start one throwaway PostgreSQL server for the session; skip its tests, saying why, where none can start."""
    server = postgres_server()
    try:
        url = server.__enter__()
    except RuntimeError as exc:
        pytest.skip(f"PostgreSQL tests skipped: {exc}")
    yield url
    server.__exit__(None, None, None)
