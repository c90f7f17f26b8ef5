"""Publication dates in the future: refused (more than a day ahead) unless the user allows them.

A day of slack covers time zones: an article published tomorrow in Auckland is today in Lima. Past that,
a date is most likely a typo (2099 for 2009) that would date every event of the article wrongly.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, timedelta

from eventcoder.errors import InputError
from eventcoder.model import Document

FUTURE_SLACK_DAYS = 1


def latest_allowed(today: date | None = None) -> date:
    """Return the latest publication date accepted without ``--allow-future``."""
    return (today or datetime.now(UTC).date()) + timedelta(days=FUTURE_SLACK_DAYS)


def future_problem(published: date | None, origin: str, today: date | None = None) -> InputError | None:
    """Return the error for a publication date more than a day ahead, else None."""
    if published is None or published <= latest_allowed(today):
        return None
    return InputError(origin, f"publication date {published.isoformat()} is in the future",
                      "check the date, or allow it with --allow-future")


def not_future(documents: Iterable[Document], problems: list[InputError], allow_future: bool = False,
               today: date | None = None) -> Iterator[Document]:
    """Yield the documents not dated in the future (all with ``allow_future``); add a problem for each other."""
    for document in documents:
        problem = None if allow_future else future_problem(document.published, document.origin or document.id, today)
        if problem is None:
            yield document
        else:
            problems.append(problem)
