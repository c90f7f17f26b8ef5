"""atheris (libFuzzer) target for the text and JSONL readers; tests/test_fuzz_readers.py runs it for a bounded time.

    python tests/fuzz/fuzz_readers.py NEW_CORPUS_DIR tests/fuzz/corpus -max_total_time=60

A crash is written as crash-<sha1> (see -artifact_prefix); add it to tests/fuzz/regressions/,
where test_fuzz_readers.py replays every file.
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent))

with atheris.instrument_imports(include=["eventcoder"]):
    from readers import check_readers


def test_one_input(data: bytes) -> None:
    """Split the input into how to read it (format, file or stdin) and the bytes read."""
    provider = atheris.FuzzedDataProvider(data)
    fmt_choice = provider.ConsumeIntInRange(0, 2)
    from_file = provider.ConsumeBool()
    check_readers(provider.ConsumeBytes(provider.remaining_bytes()), fmt_choice, from_file)


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
