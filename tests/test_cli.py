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


MIXED = ("date 2023-05-14\nManchester United beat Chelsea on Sunday. Fans protested the referee's decision. "
         "Russia called for an immediate ceasefire in Ukraine, the Kremlin said.\n")


def _code(runner: CliRunner, *options: str) -> list[dict[str, object]]:
    result = runner.invoke(main, ["code", "-", "-q", *options], input=MIXED)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]


def test_cli_code_keep_all_writes_the_events_under_the_threshold(runner: CliRunner, pipeline) -> None:  # type: ignore[no-untyped-def]
    from eventcoder.pipeline import Pipeline

    every = Pipeline(resolver=pipeline.resolver, parser=pipeline.parser, stages=pipeline.stages,
                     relevance=pipeline.relevance, keep_all=True).code_text(MIXED).events
    threshold = pipeline.min_confidence
    assert any(e.confidence < threshold for e in every), "the mixed text has no event under the threshold any more"
    default, kept = _code(runner), _code(runner, "--keep-all")
    assert len(kept) == len(every) > len(default) == len(pipeline.code_text(MIXED).events)
    assert {r["id"] for r in default} < {r["id"] for r in kept}
    assert all(isinstance(r["confidence"], float) for r in kept)
    assert {r["id"] for r in kept if r["confidence"] >= threshold} <= {r["id"] for r in default}  # type: ignore[operator]


@pytest.mark.parametrize("floor", [0.0, 0.9])
def test_cli_code_min_confidence_sets_the_threshold(runner: CliRunner, floor: float) -> None:
    kept = _code(runner, "--keep-all")
    chosen = _code(runner, "--min-confidence", str(floor))
    disputing = {i for r in chosen for i in r["disputed_by"]}  # type: ignore[attr-defined]
    assert chosen == [r for r in kept if r["confidence"] >= floor or r["id"] in disputing]  # type: ignore[operator]
    if floor > 0:
        assert len(chosen) < len(kept)


@pytest.mark.parametrize(("options", "message"), [
    (["--min-confidence", "1.5"], "--min-confidence"),
    (["--min-confidence", "x"], "--min-confidence"),
    (["--keep-all", "--min-confidence", "0.2"], "not both"),
])
def test_cli_code_refuses_bad_confidence_options(runner: CliRunner, options: list[str], message: str) -> None:
    result = runner.invoke(main, ["code", "-", *options], input=MIXED)
    assert result.exit_code == 2
    assert message in result.output


def test_cli_code_stores_the_political_score_and_summary_counts_low_events(runner: CliRunner, tmp_path: Path) -> None:
    from eventcoder.store import Store

    db = str(tmp_path / "events.sqlite")
    result = runner.invoke(main, ["code", "-", "-q", "--keep-all", "--db", db], input=MIXED)
    assert result.exit_code == 0, result.output
    store = Store.open(db)
    try:
        [record] = list(store.records())[:1]
        political = store.political(str(record["doc_id"]))
        low = sum(1 for r in store.records() if r["confidence"] < 0.5)
    finally:
        store.close()
    assert political is not None and 0 <= political <= 1
    assert low >= 1
    summary = runner.invoke(main, ["summary", "--db", db], env={"EVENTCODER_MIN_CONFIDENCE": None})
    assert f"{low} event(s) under confidence 0.5" in summary.output


def test_cli_watch_keep_all_stores_every_event(runner: CliRunner, tmp_path: Path) -> None:
    from eventcoder.store import Store

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "mixed.txt").write_text(MIXED, "utf-8")
    counts = []
    for options in ([], ["--keep-all"]):
        db = str(tmp_path / f"watch{len(options)}.sqlite")
        result = runner.invoke(main, ["watch", str(folder), "--db", db, "--once", "--settle", "0", "-q", *options])
        assert result.exit_code == 0, result.output
        store = Store.open(db)
        counts.append(store.summary().events)
        assert all(store.political(str(r["doc_id"])) is not None for r in store.records())
        store.close()
    assert counts[1] == len(_code(runner, "--keep-all")) > counts[0] == len(_code(runner))
