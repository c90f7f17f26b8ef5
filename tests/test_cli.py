"""The command line, driven through click's CliRunner on real files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import REFERENCE
from eventcoder.cli import main
from eventcoder.model import EVENT_FIELDS


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


def test_cli_code_reference_writes_contract_records(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "events.jsonl"
    result = runner.invoke(main, ["code", str(REFERENCE), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert len(records) >= 8
    for record in records:
        assert tuple(record) == EVENT_FIELDS
        assert record["published"] == "2020-09-27"


def test_cli_code_stdin_with_date(runner: CliRunner) -> None:
    text = "Russia called for an immediate ceasefire in the region on Monday."
    result = runner.invoke(main, ["code", "-", "--date", "2021-03-01", "-q"], input=text)
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert any(r["event_type"] == "REQUEST" for r in records)
    assert all(r["published"] == "2021-03-01" for r in records)


def test_cli_code_bad_date_option_is_one_clear_line(runner: CliRunner) -> None:
    result = runner.invoke(main, ["code", "-", "--date", "27/09/2020"], input="text")
    assert result.exit_code == 2
    assert "use YYYY-MM-DD" in result.output


def _bad_inputs(folder: Path) -> dict[str, str]:
    """Write one good article and one of each kind of bad input; return name -> expected words."""
    folder.mkdir()
    (folder / "good.txt").write_text(REFERENCE.read_text("utf-8"), "utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 64)
    (folder / "latin.txt").write_bytes("date 2020-09-27 Der Präsident sprach \xff\xfe".encode("latin-1")
                                       + b"\xff\x80\x81")
    (folder / "broken.jsonl").write_text(
        '{"date": "2020-09-27", "text": "Russia called for a ceasefire."}\n{"date": "2020-09-27", "text": \n',
        "utf-8")
    (folder / "undated.jsonl").write_text('{"text": "Russia called for a ceasefire."}\n', "utf-8")
    with (folder / "huge.txt").open("wb") as handle:
        handle.write(b"date 2020-09-27 ")
        handle.write(b"Troops shelled the town. " * (50 * 1024 * 1024 // 25))
    return {"empty.txt": "empty", "binary.txt": "binary", "latin.txt": "UTF-8", "broken.jsonl": "line 2",
            "undated.jsonl": "date", "huge.txt": "MB"}


def test_cli_code_batch_skips_bad_inputs_and_lists_them(runner: CliRunner, tmp_path: Path) -> None:
    expected = _bad_inputs(tmp_path / "in")
    out = tmp_path / "events.jsonl"
    result = runner.invoke(main, ["code", str(tmp_path / "in"), "-o", str(out), "-q"])
    assert result.exit_code == 2
    records = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert len({r["doc_id"] for r in records}) == 2  # good.txt and the good JSONL line
    problems = result.stderr.splitlines()
    for name, words in expected.items():
        lines = [line for line in problems if name in line]
        assert lines, f"{name} not reported: {result.stderr}"
        assert words.lower() in lines[0].lower(), lines[0]


def test_cli_code_db_then_summary(runner: CliRunner, tmp_path: Path) -> None:
    db = str(tmp_path / "events.sqlite")
    first = runner.invoke(main, ["code", str(REFERENCE), "--db", db, "-q"])
    again = runner.invoke(main, ["code", str(REFERENCE), "--db", db, "-q"])
    assert first.exit_code == again.exit_code == 0
    result = runner.invoke(main, ["summary", "--db", db])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("1 document(s), ")
    assert "ASSAULT" in result.output


def test_cli_summary_missing_db_is_clear(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["summary", "--db", str(tmp_path / "none.sqlite")])
    assert result.exit_code == 1
    assert "no such database" in result.output
