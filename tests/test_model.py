"""Records: every contract field present, stable ids, dates written at their precision."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from eventcoder.model import EVENT_FIELDS, ActorRef, Event, Evidence


def _event() -> Event:
    return Event(doc_id="d", event_type="ASSAULT",
                 evidence=Evidence("Three enemy tanks were hit.", 10, 37, "hit", 34))


def test_model_record_has_every_contract_field() -> None:
    record = _event().to_dict()
    assert tuple(record) == EVENT_FIELDS
    assert record["fatalities"] == {"dead": None, "injured": None, "text": None}
    assert set(record["evidence"]) == {"sentence", "start", "end", "trigger"}


def test_model_id_is_stable_and_depends_on_actor() -> None:
    event = _event()
    assert event.id == _event().id
    assert len(event.id) == 40
    assert replace(event, actor=ActorRef("Armenia", country="ARM")).id != event.id
    assert replace(event, modality="negated").id == event.id


@pytest.mark.parametrize(("precision", "written"), [
    ("day", "2020-07-01"), ("month", "2020-07"), ("year", "2020"), (None, "2020-07-01")])
def test_model_date_written_at_its_precision(precision: str | None, written: str) -> None:
    event = replace(_event(), date=date(2020, 7, 1), date_precision=precision)  # type: ignore[arg-type]
    assert event.to_dict()["date"] == written
