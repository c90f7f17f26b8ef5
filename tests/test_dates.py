"""The dates stage: expressions resolved against the publication date, defaults, historical events."""

from __future__ import annotations

from datetime import date

import pytest

from eventcoder.dates import DateResolver, find_expressions, is_historical, load_words, resolve_expression
from eventcoder.model import Document, Event, Evidence


@pytest.fixture(scope="module")
def reference_coded(pipeline):  # type: ignore[no-untyped-def]
    """The reference article with every event kept: dates are read whatever an event's confidence."""
    from conftest import REFERENCE
    from eventcoder.ingest import read_documents
    from eventcoder.pipeline import Pipeline

    unfiltered = Pipeline(resolver=pipeline.resolver, parser=pipeline.parser, keep_all=True)
    [document] = list(read_documents([str(REFERENCE)], on_error="raise"))
    return next(unfiltered.code([document]))

SUNDAY = date(2020, 9, 27)
MONDAY = date(2020, 9, 28)


@pytest.mark.parametrize(("text", "published", "expected"), [
    ("on Sunday", SUNDAY, (SUNDAY, "day")),
    ("on Sunday", MONDAY, (SUNDAY, "day")),
    ("on Saturday", SUNDAY, (date(2020, 9, 26), "day")),
    ("last Sunday", SUNDAY, (date(2020, 9, 20), "day")),
    ("next Friday", SUNDAY, (date(2020, 10, 2), "day")),
    ("am Sonntag", MONDAY, (SUNDAY, "day")),
    ("v voskresenye", MONDAY, (SUNDAY, "day")),
    ("в воскресенье", MONDAY, (SUNDAY, "day")),
    ("yesterday", SUNDAY, (date(2020, 9, 26), "day")),
    ("gestern", SUNDAY, (date(2020, 9, 26), "day")),
    ("early in the morning", SUNDAY, (SUNDAY, "day")),
    ("three days ago", SUNDAY, (date(2020, 9, 24), "day")),
    ("last week", SUNDAY, (date(2020, 9, 20), "week")),
    ("last month", SUNDAY, (date(2020, 8, 1), "month")),
    ("In July there was heavy fighting", SUNDAY, (date(2020, 7, 1), "month")),
    ("in September", SUNDAY, (date(2020, 9, 1), "month")),
    ("in December", SUNDAY, (date(2019, 12, 1), "month")),
    ("im Juli", SUNDAY, (date(2020, 7, 1), "month")),
    ("in May 2019", SUNDAY, (date(2019, 5, 1), "month")),
    ("since 1994", SUNDAY, (date(1994, 1, 1), "year")),
    ("September 25", SUNDAY, (date(2020, 9, 25), "day")),
    ("on December 30", SUNDAY, (date(2019, 12, 30), "day")),
    ("on 12 March 2019", SUNDAY, (date(2019, 3, 12), "day")),
    ("2020-09-27", None, (SUNDAY, "day")),
    ("since 1994", None, (date(1994, 1, 1), "year")),
    ("on Sunday", None, None),
    ("they may march on the capital", SUNDAY, None),
    ("All residents aged 18 and over", SUNDAY, None),
    ("a force of 2000 troops", SUNDAY, None),
    ("in 2019", None, (date(2019, 1, 1), "year")),
])
def test_dates_resolve_expression(text: str, published: date | None, expected: tuple[date, str] | None) -> None:
    assert resolve_expression(text, published) == expected


def test_dates_time_of_day_takes_the_day_in_context() -> None:
    assert resolve_expression("early in the morning", MONDAY, context_day=SUNDAY) == (SUNDAY, "day")


def test_dates_words_file_parses() -> None:
    words = load_words()
    assert sorted(set(words.weekdays.values())) == list(range(1, 8))
    assert sorted(set(words.months.values())) == list(range(1, 13))
    for phrase in words.relative:
        assert [m.kind for m in find_expressions(phrase)] == ["relative"], phrase
    for phrase in words.times_of_day:
        assert [m.kind for m in find_expressions(phrase)] == ["time_of_day"], phrase


@pytest.mark.parametrize(("value", "precision", "expected"), [
    (date(2020, 9, 26), "day", False),
    (date(2020, 9, 10), "day", True),
    (date(2020, 9, 1), "month", False),
    (date(2020, 7, 1), "month", True),
    (date(2020, 1, 1), "year", False),
    (date(1994, 1, 1), "year", True),
])
def test_dates_historical(value: date, precision: str, expected: bool) -> None:
    assert is_historical(value, precision, SUNDAY) is expected


def _coded(pipeline, text: str, sentence: str, trigger: str, published: date | None):  # type: ignore[no-untyped-def]
    parsed = pipeline.parser(Document("d", text, published))
    start = text.index(sentence)
    event = Event(doc_id="d", event_type="ASSAULT", published=published,
                  evidence=Evidence(sentence, start, start + len(sentence), trigger, start + sentence.index(trigger)))
    return DateResolver()(parsed, [event])[0]


def test_dates_past_news_defaults_to_the_day_in_context(pipeline) -> None:  # type: ignore[no-untyped-def]
    text = "Rebels attacked the town on Saturday. Troops shelled the villages."
    event = _coded(pipeline, text, "Troops shelled the villages.", "shelled", MONDAY)
    assert (event.date, event.date_precision, event.date_text) == (date(2020, 9, 26), "day", None)
    alone = _coded(pipeline, "Troops shelled the villages.", "Troops shelled the villages.", "shelled", MONDAY)
    assert (alone.date, alone.date_precision) == (MONDAY, "day")


def test_dates_future_and_undated_stay_empty(pipeline) -> None:  # type: ignore[no-untyped-def]
    future = _coded(pipeline, "Troops will shell the villages.", "Troops will shell the villages.", "shell", MONDAY)
    assert future.date is None
    undated = _coded(pipeline, "Troops shelled the villages.", "Troops shelled the villages.", "shelled", None)
    assert undated.date is None


def test_dates_historical_modality(pipeline) -> None:  # type: ignore[no-untyped-def]
    text = "In July there was heavy fighting on the border."
    event = _coded(pipeline, text, text, "fighting", SUNDAY)
    assert event.to_dict()["date"] == "2020-07"
    assert event.modality == "historical" and event.date_text == "In July"


def test_dates_reference_article(reference_coded) -> None:  # type: ignore[no-untyped-def]
    events = reference_coded.events
    shelling = [e for e in events if e.evidence.trigger == "shelled"]
    assert shelling and shelling[0].date == SUNDAY and shelling[0].date_precision == "day"
    july = [e for e in events if e.evidence.sentence.startswith("In July")]
    assert july, "the events stage codes the July fighting"
    assert july[0].to_dict()["date"] == "2020-07" and july[0].date_precision == "month"
    assert july[0].modality == "historical"
    sunday = [e for e in events if e.date_text and "Sunday" in e.date_text]
    assert sunday and all(e.date == SUNDAY for e in sunday)
