"""Fuzzing the text and JSONL readers: atheris for a bounded time, hypothesis, and every crash found replayed.

``FUZZ_SECONDS`` sets the atheris run (default 10, at most 30 in the suite; longer hunts by hand:
``python tests/fuzz/fuzz_readers.py NEW_DIR tests/fuzz/corpus -max_total_time=600``).
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent / "fuzz"))

from readers import check_readers

FUZZ = Path(__file__).resolve().parent / "fuzz"
INPUTS = sorted([*(FUZZ / "corpus").iterdir(), *(FUZZ / "regressions").iterdir()])
SECONDS = min(int(os.environ.get("FUZZ_SECONDS", "10")), 30)


@pytest.mark.parametrize("path", INPUTS, ids=[f"{p.parent.name}/{p.name}" for p in INPUTS])
def test_fuzz_readers_replay_seeds_and_found_crashes(path: Path) -> None:
    payload = path.read_bytes()[2:]  # the first two bytes choose the format and file-or-stdin in the atheris target
    for fmt_choice in range(3):
        for from_file in (False, True):
            check_readers(payload, fmt_choice, from_file)


@settings(max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=600) | st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")),
       fmt_choice=st.integers(0, 2), from_file=st.booleans())
def test_fuzz_readers_hypothesis(data: bytes, fmt_choice: int, from_file: bool) -> None:
    check_readers(data, fmt_choice, from_file)


@pytest.mark.skipif(importlib.util.find_spec("atheris") is None, reason="atheris==3.0.0 is not installed")
def test_fuzz_readers_atheris_finds_no_crash(tmp_path: Path) -> None:
    (tmp_path / "new").mkdir()
    run = subprocess.run(
        [sys.executable, str(FUZZ / "fuzz_readers.py"), str(tmp_path / "new"), str(FUZZ / "corpus"),
         f"-max_total_time={SECONDS}", "-timeout=10", "-rss_limit_mb=2048", f"-artifact_prefix={tmp_path}/",
         "-print_final_stats=1"],
        capture_output=True, text=True, timeout=SECONDS + 60)
    crashes = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(("crash-", "timeout-", "oom-")))
    assert run.returncode == 0 and not crashes, f"{crashes}\n{run.stderr[-3000:]}"
    runs = [line for line in run.stderr.splitlines() if line.startswith("stat::number_of_executed_units:")]
    assert runs and int(runs[0].split(":")[-1]) > 1000, run.stderr[-2000:]  # it really fuzzed
