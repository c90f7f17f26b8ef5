"""Publication dates more than a day ahead: one clear line, unless --allow-future (issue 18, defect 7)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from click.testing import CliRunner

from eventcoder.cli import main
from eventcoder.ingest.future import future_problem, latest_allowed

STORY = "Russia called for an immediate ceasefire in the region on Monday."


def test_ingest_future_dates_a_day_ahead_pass_and_later_ones_do_not() -> None:
    today = date(2024, 3, 1)
    assert latest_allowed(today) == date(2024, 3, 2)
    assert future_problem(date(2024, 3, 2), "a.txt", today) is None
    assert future_problem(None, "a.txt", today) is None
    problem = future_problem(date(2099, 1, 1), "a.txt", today)
    assert problem is not None
    assert str(problem) == ("a.txt: publication date 2099-01-01 is in the future "
                            "(check the date, or allow it with --allow-future)")


def test_cli_code_future_date_option_is_one_clear_line() -> None:
    result = CliRunner().invoke(main, ["code", "-", "--date", "2099-01-01", "-q"], input=STORY)
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if "2099-01-01" in line]
    assert len(lines) == 1 and "--allow-future" in lines[0], result.output
    assert "{" not in result.output  # nothing coded


def test_cli_code_skips_a_file_dated_in_the_future(tmp_path: Path) -> None:
    tomorrow = datetime.now(UTC).date() + timedelta(days=1)
    (tmp_path / "far.txt").write_text(f"date 2099-01-01 {STORY}", "utf-8")
    (tmp_path / "near.txt").write_text(f"date {tomorrow.isoformat()} {STORY} Turkey urged talks.", "utf-8")
    result = CliRunner().invoke(main, ["code", str(tmp_path), "-q"])
    assert result.exit_code == 2
    records = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert records and {r["published"] for r in records} == {tomorrow.isoformat()}
    assert f"{tmp_path / 'far.txt'}: publication date 2099-01-01 is in the future" in result.output


def test_cli_code_allow_future_codes_it() -> None:
    result = CliRunner().invoke(main, ["code", "-", "--date", "2099-01-01", "--allow-future", "-q"], input=STORY)
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert records and all(r["published"] == "2099-01-01" for r in records)
