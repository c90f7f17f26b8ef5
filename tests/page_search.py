"""The web page's text search (web/src/filters.js: indexEvent's haystack, matcher's terms), re-written in Python
for the tests that check the API and the exports select what the page does."""

from __future__ import annotations

from typing import Any


def page_haystack(event: dict[str, Any]) -> str:
    """Return what the page's text search reads in a dataset event, lower case, fields joined by " \\x01 "."""
    actor = event.get("actor") or {}
    recipient = event.get("recipient") or {}
    place = event.get("location") or {}
    parts = [event["event_type"], event.get("mode"), actor.get("text"), actor.get("name"), recipient.get("text"),
             recipient.get("name"), place.get("name"), place.get("admin1"), *(event.get("publishers") or [])]
    for source in event.get("sources") or []:
        parts += [source.get("text"), (source.get("actor") or {}).get("name")]
    for report in event.get("reports") or []:
        parts += [(report.get("evidence") or {}).get("sentence"), report.get("title")]
    return " \x01 ".join(p for p in parts if p).lower()


def page_finds(event: dict[str, Any], text: str) -> bool:
    """Whether the page's text search ``text`` keeps the event: every word (ASCII white space here) in it."""
    haystack = page_haystack(event)
    return all(term in haystack for term in text.lower().split())
