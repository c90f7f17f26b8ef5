"""Golden output: the reference article's records, diffed against tests/golden/ (ids stable).

Update on purpose only: ``pytest tests/test_golden.py --update-golden``, then read the diff.
"""

from __future__ import annotations

import json

import pytest

from conftest import GOLDEN

GOLDEN_FILE = GOLDEN / "karabakh-2020-09-27.jsonl"


def test_golden_reference_article_records(reference_coded, update_golden: bool) -> None:  # type: ignore[no-untyped-def]
    records = [event.to_dict() for event in reference_coded.events]
    text = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in records)
    if update_golden:
        GOLDEN_FILE.write_text(text, encoding="utf-8")
    if not GOLDEN_FILE.exists():
        pytest.fail(f"{GOLDEN_FILE} is missing; write it on purpose with --update-golden")
    expected = [json.loads(line) for line in GOLDEN_FILE.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == [r["id"] for r in expected]
    assert records == expected


def test_golden_reference_article_codes_main_events(reference_coded) -> None:  # type: ignore[no-untyped-def]
    types = [event.event_type for event in reference_coded.events]
    assert len(types) >= 8
    for needed in ("ASSAULT", "COERCE", "MOBILIZE", "ACCUSE", "REJECT", "REQUEST"):
        assert needed in types, f"no {needed} event in the reference article"
