"""The web page and confidence, in a real browser: each event's score in the table and the panel, and the
"include low-confidence events" switch that asks the server for the events under its threshold.

The server holds hand-built events (confident, unsure, never scored); nothing here needs the coding models.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from eventcoder.api import WEB, create_app
from eventcoder.config import load_config
from eventcoder.model import ActorRef, Document, Event, Evidence, Location
from eventcoder.store import Store
from live_server import TOKEN, live_server, no_events

playwright_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright (a dev dependency)")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parent / "output" / "web"
# event type -> (confidence, the article's political score); PROTEST is under the setting's 0.5
STORED = {"ASSAULT": (0.93, 0.88), "PROTEST": (0.21, 0.34), "CONSULT": (None, None)}

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="no chromium: run scripts/ensure-chromium")


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    assert (WEB / "app.js").is_file(), "the web page is not built: run `make web` (npm ci && npm run build in web/)"
    db = str(tmp_path_factory.mktemp("web-confidence") / "web.sqlite")
    store = Store.open(db)
    for number, (kind, (confidence, political)) in enumerate(STORED.items()):
        sentence = f"Armenia and Azerbaijan, report {number}."
        document = Document(id=f"doc-{number}", text=sentence, published=date(2020, 9, 27), publisher="AFP")
        event = Event(doc_id=document.id, event_type=kind, published=document.published, publisher="AFP",
                      confidence=confidence, evidence=Evidence(sentence, 0, len(sentence), "and"),
                      actor=ActorRef("Armenia", "Armenia", "ARM", "GOV"),
                      location=Location("Yerevan", 40.18, 44.51, "ARM", "Yerevan", 616052, "city"))
        store.save(document, [event], political=political)
    store.close()
    with live_server(create_app(load_config(env={}, db=db, token=TOKEN), coder=no_events)) as url:
        yield url


@pytest.fixture()
def page(base_url: str) -> Iterator[Any]:
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        opened = browser.new_page(viewport={"width": 1280, "height": 800})
        errors: list[str] = []
        opened.on("pageerror", lambda error: errors.append(str(error)))
        opened.goto(base_url + "/")
        opened.wait_for_selector("body.ready", timeout=30_000)
        yield opened
        assert not errors, errors
        browser.close()


def _rows(page: Any) -> dict[str, str]:
    """Return event type -> the confidence the table shows, for every row."""
    cells = page.locator("#events tbody tr[data-id]").evaluate_all(
        "rows => rows.map(r => [r.querySelector('.chip').textContent, r.querySelector('td.confidence').textContent])")
    return dict(cells)


def _wait_rows(page: Any, n: int) -> None:
    page.wait_for_function(f"document.querySelector('#events').dataset.rows === '{n}'")


def test_web_table_shows_each_events_confidence_and_hides_low_ones(page: Any) -> None:
    assert page.locator("#events thead th[data-sort=confidence]").inner_text().strip() == "Conf."
    assert _rows(page) == {"ASSAULT": "0.93", "CONSULT": "–"}  # PROTEST is under the threshold; never scored shows
    assert not page.get_by_label("include low-confidence events").is_checked()
    assert "min_confidence" not in page.get_attribute(".exports a[data-format=csv]", "href")


def test_web_include_low_confidence_asks_the_server_for_every_event(page: Any, base_url: str) -> None:
    control = page.get_by_label("include low-confidence events")
    control.check()
    _wait_rows(page, 3)
    assert _rows(page) == {"ASSAULT": "0.93", "PROTEST": "0.21", "CONSULT": "–"}
    assert page.evaluate("window.eventcoder.filters.include_low") is True  # in the page's filter state
    assert page.locator("#summary").inner_text() == "3 of 3 events · 3 on the map · low-confidence included"
    for fmt in ("jsonl", "csv", "geojson", "parquet"):
        href = page.get_attribute(f".exports a[data-format={fmt}]", "href")
        assert "min_confidence=0" in href
        assert httpx.get(f"{base_url}/{href}").status_code == 200
    csv_text = httpx.get(f"{base_url}/{page.get_attribute('.exports a[data-format=csv]', 'href')}").text
    assert len(csv_text.splitlines()) == 4  # a header and every event
    page.select_option("#filters [name=event_type]", "PROTEST")  # the other filters go on working with it
    _wait_rows(page, 1)
    assert "min_confidence=0" in page.get_attribute(".exports a[data-format=csv]", "href")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "09-low-confidence-included.png"))

    control.uncheck()
    _wait_rows(page, 0)
    assert page.input_value("#filters [name=event_type]") == "PROTEST"  # the form still shows the filter applied
    page.get_by_role("button", name="Clear", exact=True).click()
    _wait_rows(page, 2)
    control.check()
    _wait_rows(page, 3)
    page.get_by_role("button", name="Clear", exact=True).click()  # a reset clears it with the other filters
    _wait_rows(page, 2)
    assert not control.is_checked() and page.evaluate("window.eventcoder.filters.include_low") is False


@pytest.mark.parametrize(("kind", "words", "report"), [
    ("ASSAULT", "0.93 · the article reads 0.88 political", "confidence 0.93"),
    ("CONSULT", "not scored", None),
])
def test_web_panel_shows_the_confidence(page: Any, kind: str, words: str, report: str | None) -> None:
    page.locator("#events tbody tr", has_text=kind).click()
    panel = page.locator("#panel")
    panel.wait_for(state="visible")
    facts = dict(zip(panel.locator(".facts dt").all_inner_texts(), panel.locator(".facts dd").all_inner_texts(),
                     strict=True))
    assert facts["Confidence"] == words
    head = panel.locator(".report-head").inner_text()
    assert (report in head) if report else ("confidence" not in head)
