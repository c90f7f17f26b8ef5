"""The web page as an analyst uses it, in a real browser (Playwright driving Debian's chromium) against a live server.

The server holds hand-built events in a real store (no coding models needed): what happened and what did not,
how sure, where exactly (a town, a region, a whole country), who disputes it, with and without an article title
and link. Every test fails on a console error and on any request off the page's own server. Screenshots go to
tests/output/web/ (git-ignored).
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from eventcoder.api import WEB, create_app
from eventcoder.config import load_config
from eventcoder.model import ActorRef, Document, Event, Evidence, Fatalities, Location
from eventcoder.pipeline import CodedDocument
from eventcoder.store import Store
from live_server import TOKEN, live_server
from page_search import page_finds

playwright_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright (a dev dependency)")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parent / "output" / "web"
PALETTE = Path(__file__).resolve().parent.parent / "web" / "src" / "palette.js"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="no chromium: run scripts/ensure-chromium")

ARMENIA = ActorRef("Armenia", "Armenia", "ARM", "GOV")
AZERBAIJAN = ActorRef("the Azerbaijani army", "Azerbaijan", "AZE", "MIL")
PLACES = {
    "Stepanakert": Location("Stepanakert", 39.815, 46.752, "AZE", "Xankendi", 1, "city"),
    "Yerevan": Location("Yerevan", 40.177, 44.513, "ARM", "Yerevan", 2, "city"),
    "Armenia": Location("Armenia", 40.25, 45.0, "ARM", None, 3, "country"),
    "Syunik": Location("Syunik", 39.5, 46.0, "ARM", "Syunik", 4, "admin1"),
    "Kyiv": Location("Kyiv", 50.45, 30.52, "UKR", "Kyiv", 5, "city"),
}
# (type, quad class, modality, status, place, day offset from 2020-09-27, confidence, dead, mode)
SPECS: list[tuple[str, str, str, str, str | None, int, float | None, int | None, str | None]] = [
    ("ASSAULT", "material-conflict", "asserted", "disputed", "Stepanakert", 0, 0.93, 12, "shelling"),
    ("ASSAULT", "material-conflict", "asserted", "uncontested", "Stepanakert", 1, 0.81, None, "air"),
    ("ASSAULT", "material-conflict", "asserted", "corroborated", "Syunik", 2, 0.66, 3, "shelling"),
    ("COERCE", "material-conflict", "asserted", "uncontested", "Yerevan", 3, 0.55, None, None),
    ("ACCUSE", "verbal-conflict", "asserted", "disputed", "Yerevan", 4, 0.74, None, None),
    ("CONSULT", "verbal-cooperation", "asserted", "uncontested", "Armenia", 5, None, None, None),
    ("AGREE", "verbal-cooperation", "asserted", "uncontested", "Kyiv", 6, 0.91, None, None),
    ("PROTEST", "verbal-conflict", "asserted", "uncontested", None, 7, 0.6, None, None),
    ("ASSAULT", "material-conflict", "negated", "disputed", "Stepanakert", 2, 0.7, None, None),
    ("THREATEN", "verbal-conflict", "hypothetical", "uncontested", "Yerevan", 3, 0.5, None, None),
    ("AID", "material-cooperation", "future", "uncontested", "Kyiv", 9, 0.8, None, None),
    ("ASSAULT", "material-conflict", "historical", "uncontested", "Stepanakert", -78_000, 0.6, None, None),
]
START = date(2020, 9, 27)


def _event(number: int) -> tuple[Document, Event]:
    kind, quad, modality, status, place, offset, confidence, dead, mode = SPECS[number]
    day = START + timedelta(days=offset)
    actor, recipient = (AZERBAIJAN, ARMENIA) if number % 2 == 0 else (ARMENIA, AZERBAIJAN)
    sentence = f"Report {number}: {actor.text} and {recipient.text} ({kind.lower()})."
    document = Document(id=f"doc-{number}", text=sentence, published=day, publisher=["AFP", "Reuters"][number % 2])
    event = Event(doc_id=document.id, event_type=kind, quad_class=quad, published=day, publisher=document.publisher,
                  date=day, date_precision="day", modality=modality,  # type: ignore[arg-type]
                  claim_status=status, confidence=confidence, mode=mode,  # type: ignore[arg-type]
                  evidence=Evidence(sentence, 0, len(sentence), kind.lower()), actor=actor, recipient=recipient,
                  location=PLACES[place] if place else None, fatalities=Fatalities(dead=dead))
    return document, event


def _pasted_event(document: Document) -> CodedDocument:
    """Code a pasted article as one asserted ASSAULT in Stepanakert (the paste test is about the page, not coding)."""
    sentence = document.text.strip().splitlines()[-1]
    event = Event(doc_id=document.id, event_type="ASSAULT", quad_class="material-conflict",
                  published=document.published, publisher=document.publisher, date=document.published,
                  date_precision="day",
                  evidence=Evidence(sentence, 0, len(sentence), "shelled"), actor=AZERBAIJAN,
                  location=PLACES["Stepanakert"], confidence=0.9)
    return CodedDocument(document, (event,))


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    assert (WEB / "app.js").is_file(), "the web page is not built: run `make web` (npm ci && npm run build in web/)"
    db = str(tmp_path_factory.mktemp("web-analyst") / "web.sqlite")
    store = Store.open(db)
    for number in range(len(SPECS)):
        document, event = _event(number)
        store.save(document, [event])
    store.close()
    config = load_config(env={}, db=db, token=TOKEN, min_confidence=0.0)
    with live_server(create_app(config, coder=_pasted_event)) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM)
        yield launched
        launched.close()


class Opened:
    """A page on the live server, with what it reported: console errors and requests off the server."""

    def __init__(self, browser: Any, base_url: str, viewport: dict[str, int], path: str = "/",
                 wait: str = "body.ready") -> None:
        self.base_url = base_url
        self.outside: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(viewport=viewport, accept_downloads=True)
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))
        self.page.on("console", lambda message: self.errors.append(f"console: {message.text}")
                     if message.type == "error" else None)
        self.page.goto(base_url + path)
        if wait:
            self.page.wait_for_selector(wait, timeout=30_000)

    def _route(self, route: Any) -> None:
        if route.request.url.startswith(self.base_url):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def close(self, expected_errors: str | None = None) -> None:
        """Close; fail on console errors (but those matching ``expected_errors``) and on outside requests."""
        self.context.close()
        errors = [e for e in self.errors if not (expected_errors and re.search(expected_errors, e))]
        assert errors == [], errors
        assert self.outside == [], f"the page asked outside its server for {self.outside}"


@pytest.fixture()
def opened(browser: Any, base_url: str) -> Iterator[Opened]:
    page = Opened(browser, base_url, DESKTOP)
    yield page
    page.close()


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def _dataset(base_url: str) -> list[dict[str, Any]]:
    return list(httpx.get(f"{base_url}/events", params={"limit": 500}, timeout=60).json()["items"])


def _rows(page: Any) -> int:
    return int(page.get_attribute("#events", "data-rows"))


def _wait_rows(page: Any, n: int) -> None:
    page.wait_for_function(f"document.querySelector('#events').dataset.rows === '{n}'")


def _shown_ids(page: Any) -> list[str]:
    return list(page.evaluate("window.eventcoder.table.sorted.map(item => item.event.id)"))


def _choose(page: Any, name: str, value: str) -> None:
    page.select_option(f"#filters [name={name}]", value)


# 1. What happened, and how sure --------------------------------------------------------------------------------

def test_web_modality_default_shows_asserted_events_and_marks_the_rest(opened: Opened, base_url: str) -> None:
    page = opened.page
    events = _dataset(base_url)
    asserted = [e for e in events if e["modality"] == "asserted"]
    assert 0 < len(asserted) < len(events)
    assert page.input_value("#filters [name=modality]") == "asserted"
    assert sorted(_shown_ids(page)) == sorted(e["id"] for e in asserted)
    assert page.locator("#events tr.not-asserted").count() == 0
    # the timeline covers the current events, not the 1805 background
    years = page.evaluate("window.eventcoder.timeline.x.domain().map(d => d.getUTCFullYear())")
    assert years[0] >= 2020, years

    _choose(page, "modality", "")
    _wait_rows(page, len(events))
    others = [e for e in events if e["modality"] != "asserted"]
    rows = page.locator("#events tr.not-asserted")
    assert rows.count() == len(others)
    assert set(rows.locator(".modality").all_inner_texts()) == {e["modality"] for e in others}
    classes = page.evaluate("""ids => ids.map(id => { const m = window.eventcoder.map.markers.get(id);
                                                      return m ? m.options.icon.options.className : null; })""",
                            [e["id"] for e in others])
    located = [c for c in classes if c is not None]
    assert located and all("not-asserted" in c for c in located)
    # with everything shown, the 1805 event is counted, not drawn over two centuries
    years = page.evaluate("window.eventcoder.timeline.x.domain().map(d => d.getUTCFullYear())")
    assert years[0] >= 2020 and page.get_attribute("#timeline", "data-outside") == "1"
    assert "1 event outside" in page.locator(".outside-note").inner_text()

    _choose(page, "modality", "negated")
    negated = [e["id"] for e in events if e["modality"] == "negated"]
    _wait_rows(page, len(negated))
    assert _shown_ids(page) == negated


def test_web_confidence_filter_keeps_events_at_or_over_it(opened: Opened, base_url: str) -> None:
    page = opened.page
    events = [e for e in _dataset(base_url) if e["modality"] == "asserted"]
    _choose(page, "min_conf", "0.7")
    expected = {e["id"] for e in events if e["confidence"] is None or e["confidence"] >= 0.7}
    _wait_rows(page, len(expected))
    assert set(_shown_ids(page)) == expected
    assert "min_confidence=0.7" in page.get_attribute(".exports a[data-format=csv]", "href")
    texts = page.locator("#events td.confidence").all_inner_texts()
    assert all(t == "–" or float(t) >= 0.7 for t in texts)


# 2. The article --------------------------------------------------------------------------------------------------

def test_web_article_title_outlet_date_and_link_in_panel_and_table(opened: Opened, base_url: str) -> None:
    page = opened.page
    records = [e for e in _dataset(base_url) if e["modality"] == "asserted"][:3]
    records[0]["reports"][0].update(url="https://news.example.org/a/1", title="Shelling of Stepanakert resumes",
                                    publisher="AFP")
    records[1]["reports"][0].update(url="javascript:alert(1)", title="A title with a bad link")
    page.evaluate("records => window.eventcoder.load(records)", records)
    first = page.locator(f'#events tr[data-id="{records[0]["id"]}"] td.article')
    link = first.locator("a")
    assert link.inner_text() == "Shelling of Stepanakert resumes"
    assert link.get_attribute("href") == "https://news.example.org/a/1"
    assert link.get_attribute("rel") == "noopener noreferrer" and link.get_attribute("target") == "_blank"
    assert "AFP" in first.inner_text()
    assert page.locator(f'#events tr[data-id="{records[1]["id"]}"] td.article a').count() == 0  # never javascript:
    page.evaluate("id => window.eventcoder.select(id)", records[0]["id"])
    article = page.locator("#panel .article")
    assert article.locator("a").get_attribute("href") == "https://news.example.org/a/1"
    assert "AFP" in article.inner_text() and records[0]["reports"][0]["published"] in article.inner_text()
    # a record without title or link (what the store gives today): the outlet and day, nothing made up
    page.evaluate("id => window.eventcoder.select(id)", records[2]["id"])
    plain = page.locator("#panel .article")
    assert plain.locator("a").count() == 0
    assert plain.inner_text() == f"{records[2]['publisher']} · {records[2]['published']}"
    assert "unknown outlet" not in page.locator("#panel").inner_text()


# 3. The table ------------------------------------------------------------------------------------------------------

def _many(page: Any, n: int) -> None:
    """Load n copies of the stored events (new ids, spread dates and confidences) into the page."""
    page.evaluate("""n => { const app = window.eventcoder; const base = app.items.map(i => i.event); const out = [];
        for (let k = 0; k < n; k++) { const e = structuredClone(base[k % base.length]);
          e.id = `many-${String(k).padStart(5, "0")}`; e.confidence = (k % 97) / 100; e.modality = "asserted";
          const day = new Date(Date.UTC(2020, 0, 1) + (k % 700) * 86400000).toISOString().slice(0, 10);
          e.date = e.date_start = e.date_end = day; out.push(e); }
        app.load(out, { fit: false }); }""", n)


def test_web_table_is_sortable_and_every_row_reachable(opened: Opened) -> None:
    page = opened.page
    _many(page, 3000)
    _wait_rows(page, 3000)
    assert page.locator("#events tbody tr[data-id]").count() < 120  # virtual: a screenful is drawn
    header = page.locator("#events th[data-sort=confidence]")
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "descending"
    confidences = [float(t) for t in page.locator("#events td.confidence").all_inner_texts()[:10]]
    assert confidences == sorted(confidences, reverse=True) and confidences[0] == 0.96
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "ascending"
    assert float(page.locator("#events td.confidence").first.inner_text()) == 0.0
    assert "sort=confidence.asc" in page.evaluate("location.hash")
    page.locator("#events th[data-sort=date] button").click()
    assert "sort=" not in page.evaluate("location.hash")  # newest first: the default
    last = page.evaluate("window.eventcoder.table.sorted.at(-1).event.id")
    page.locator(".table-scroll").evaluate("box => { box.scrollTop = box.scrollHeight; }")
    page.wait_for_selector(f'#events tr[data-id="{last}"]')
    # an event far down, chosen elsewhere (e.g. on the map), is scrolled into view
    target = page.evaluate("window.eventcoder.table.sorted[1500].event.id")
    page.evaluate("id => window.eventcoder.select(id, { revealRow: true })", target)
    row = page.locator(f'#events tr.selected[data-id="{target}"]')
    row.wait_for()
    box, view = row.bounding_box(), page.locator(".table-scroll").bounding_box()
    assert view["y"] <= box["y"] and box["y"] + box["height"] <= view["y"] + view["height"]


def test_web_selection_is_synced_between_map_and_table(opened: Opened, base_url: str) -> None:
    page = opened.page
    located = [e for e in _dataset(base_url) if e["modality"] == "asserted" and e["location"]]
    target = located[0]
    page.locator(f'#events tr[data-id="{target["id"]}"]').click()
    assert page.evaluate("window.eventcoder.map.selected") == target["id"]
    page.wait_for_selector(f'#map .ec-marker.selected[data-id="{target["id"]}"]')
    page.keyboard.press("Escape")
    other = next(e for e in located if e["location"]["name"] == "Kyiv")  # alone there: a marker, not a cluster
    marker = page.locator(f'#map .ec-marker[data-id="{other["id"]}"]')
    page.evaluate("([lat, lon]) => { window.eventcoder.map.map.setView([lat, lon], 9, { animate: false }); }",
                  [other["location"]["lat"], other["location"]["lon"]])
    marker.wait_for()
    marker.click()
    page.wait_for_selector(f'#events tr.selected[data-id="{other["id"]}"]')
    assert page.get_attribute("#panel", "data-id") == other["id"]


# 4. State in the URL, paste, exports --------------------------------------------------------------------------------

def test_web_state_lives_in_the_url_and_survives_reload_and_paste(browser: Any, base_url: str) -> None:
    first = Opened(browser, base_url, DESKTOP)
    page = first.page
    _choose(page, "status", "disputed")
    page.fill("#filters [name=actor]", "azer")
    rows = _shown_ids(page)
    assert rows
    page.wait_for_function("location.hash.includes('actor=azer')")  # (written once the frame is painted)
    hash_ = page.evaluate("location.hash")
    assert "status=disputed" in hash_ and "actor=azer" in hash_
    first.close()

    again = Opened(browser, base_url, DESKTOP, "/" + hash_)
    page = again.page
    assert page.input_value("#filters [name=status]") == "disputed"
    assert page.input_value("#filters [name=actor]") == "azer"
    assert _shown_ids(page) == rows
    # a paste adds its events without reloading the store, and keeps the filters
    page.fill("#filters [name=actor]", "")
    listed: list[str] = []
    page.on("request", lambda request: listed.append(request.url) if "/events?" in request.url else None)
    before = _rows(page)
    page.click("#paste-toggle")
    page.fill("#paste-text", "date 2020-10-02\nThe Azerbaijani army shelled Stepanakert, a local official said.")
    page.fill("#paste-token", TOKEN)
    page.click("#paste-submit")
    page.wait_for_function("document.querySelector('#paste-result').dataset.ids !== undefined")
    [new] = (page.get_attribute("#paste-result", "data-ids") or "").split()
    assert listed == [], "a paste must not reload the store"
    assert page.input_value("#filters [name=status]") == "disputed"  # the filter stays: the new event is hidden
    assert "hidden by the filters" in page.locator("#paste-result").inner_text()
    assert _rows(page) == before
    page.get_by_role("button", name="Show all of them").click()
    page.wait_for_selector(f'#events tr.new[data-id="{new}"]')
    assert "status=" not in page.evaluate("location.hash") or "status=disputed" not in page.evaluate("location.hash")
    again.close()


def test_web_export_applies_the_page_filters(opened: Opened, base_url: str) -> None:
    page = opened.page
    assert "modality=asserted" in page.get_attribute(".exports a[data-format=jsonl]", "href")  # the default
    _choose(page, "modality", "")
    _choose(page, "mode", "shelling")
    _choose(page, "fatalities", "dead")
    page.fill("#filters [name=actor]", " Azerb ")
    expected = sorted(e["id"] for e in _dataset(base_url) if e["mode"] == "shelling"
                      and ((e.get("fatalities") or {}).get("dead") or 0) > 0
                      and "azerb" in " ".join(str(v) for role in ("actor", "recipient")
                                              for v in (e.get(role) or {}).values()).lower())
    assert expected
    _wait_rows(page, len(expected))
    assert sorted(_shown_ids(page)) == expected
    href = page.get_attribute(".exports a[data-format=jsonl]", "href")
    assert "mode=shelling" in href and "fatalities=dead" in href and "actor_contains=Azerb" in href
    assert "modality=" not in href
    assert page.locator("#export-note").inner_text() == ""  # nothing the export leaves out
    with page.expect_download() as waiting:
        page.click(".exports a[data-format=jsonl]")
    lines = Path(waiting.value.path()).read_text("utf-8").splitlines()
    assert sorted(json.loads(line)["id"] for line in lines) == expected


def test_web_export_applies_the_text_search(opened: Opened, base_url: str) -> None:
    page = opened.page
    _choose(page, "modality", "")
    page.fill("#filters [name=text]", "  Reuters STEPANAKERT ")
    events = _dataset(base_url)
    expected = sorted(e["id"] for e in events if page_finds(e, "reuters stepanakert"))
    assert 0 < len(expected) < len(events)
    _wait_rows(page, len(expected))
    assert sorted(_shown_ids(page)) == expected
    href = page.get_attribute(".exports a[data-format=jsonl]", "href")
    assert "q=Reuters+STEPANAKERT" in href
    assert page.locator("#export-note").inner_text() == ""  # nothing the export leaves out
    with page.expect_download() as waiting:
        page.click(".exports a[data-format=jsonl]")
    lines = Path(waiting.value.path()).read_text("utf-8").splitlines()
    assert sorted(json.loads(line)["id"] for line in lines) == expected


def test_web_typed_search_filters_the_table_at_once_and_the_map_after_the_last_key(opened: Opened,
                                                                                    base_url: str) -> None:
    page = opened.page
    page.click("#filters [name=text]")
    page.keyboard.type("stepanakert shell", delay=5)  # keys faster than the map is redrawn
    events = [e for e in _dataset(base_url) if e["modality"] == "asserted"]
    expected = sorted(e["id"] for e in events if page_finds(e, "stepanakert shell"))
    assert 0 < len(expected) < len(events)
    _wait_rows(page, len(expected))
    assert sorted(_shown_ids(page)) == expected
    located = sorted(e["id"] for e in events if e["id"] in expected and e["location"])
    page.wait_for_function("!window.eventcoder.mapDue && document.querySelector('#map').dataset.settled === '1'")
    on_map = page.evaluate("() => { const map = window.eventcoder.map; return [...map.markers]"
                           ".filter(([, marker]) => map.shown.has(marker)).map(([id]) => id); }")
    assert sorted(on_map) == located
    assert f"{len(expected)} of" in page.inner_text("#summary") and f"{len(located)} on the map" in page.inner_text(
        "#summary")


def test_web_cluster_says_when_it_holds_a_disputed_event(opened: Opened, base_url: str) -> None:
    page = opened.page
    _choose(page, "modality", "")
    events = [e for e in _dataset(base_url) if e["location"]]
    page.evaluate("() => { window.eventcoder.map.map.setView([45, 38], 3, { animate: false }); }")
    page.wait_for_function("document.querySelector('#map').dataset.settled === '1' "
                           "&& !document.querySelector('#map .leaflet-cluster-anim')")  # the zoom's clusters drawn
    # each cluster on the map: whether it is marked as holding a disputed event, and its events
    clusters = page.evaluate("""() => {
      const map = window.eventcoder.map;
      const found = new Map();
      for (const [id, marker] of map.markers) {
        const parent = map.shown.has(marker) ? map.cluster.getVisibleParent(marker) : null;
        if (!parent || parent === marker) continue;
        if (!found.has(parent)) found.set(parent, [parent.getElement().classList.contains("has-disputed"), []]);
        found.get(parent)[1].push(id);
      }
      return [...found.values()];
    }""")
    status = {e["id"]: e["claim_status"] for e in events}
    marked = [(badge, any(status[i] == "disputed" for i in ids)) for badge, ids in clusters]
    assert all(badge == disputed for badge, disputed in marked), marked
    assert {disputed for _, disputed in marked} == {True, False}  # Kyiv's two events, none disputed, and others
    assert sum(len(ids) for _, ids in clusters) == len(events)


def test_web_exports_download_without_leaving_the_page(opened: Opened) -> None:
    page = opened.page
    with page.expect_download() as waiting:
        page.click(".exports a[data-format=csv]")
    assert waiting.value.suggested_filename == "events.csv"
    page.wait_for_function("document.querySelector('#export-note').textContent.startsWith('saved events.csv')")
    url = page.url
    page.context.route("**/export?*", lambda route: route.abort())  # the server is down
    page.click(".exports a[data-format=jsonl]")
    note = page.locator("#export-note.error")
    note.wait_for()
    assert "Export failed: the server cannot be reached" in note.inner_text()
    assert page.url == url and page.locator("#map").is_visible()
    assert note.get_by_role("button", name="Retry").is_visible()
    _shot(page, "export-failed-1280x800")
    opened.errors[:] = [e for e in opened.errors if "ERR_FAILED" not in e]  # the refused request, made on purpose


# 5. Keyboard and touch ------------------------------------------------------------------------------------------------

def test_web_keyboard_opens_markers_and_rows_and_focus_goes_back(opened: Opened, base_url: str) -> None:
    page = opened.page
    page.keyboard.press("Tab")
    skip = page.locator("a.skip")
    assert skip.evaluate("node => node === document.activeElement") and skip.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "events-start"

    event = next(e for e in _dataset(base_url) if e["modality"] == "asserted" and e["location"])
    page.evaluate("id => window.eventcoder.map.cluster.zoomToShowLayer(window.eventcoder.map.markers.get(id))",
                  event["id"])
    marker = page.locator(f'#map .ec-marker[data-id="{event["id"]}"]')
    marker.wait_for()
    marker.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("#panel:not([hidden])")
    assert page.get_attribute("#panel", "data-id") == event["id"]
    assert page.evaluate("document.activeElement.id") == "panel-title"
    page.keyboard.press("Escape")
    assert page.locator("#panel").is_hidden()
    assert page.evaluate("document.activeElement.dataset.id") == event["id"]  # back on the marker

    row = page.locator("#events tbody tr[data-id]").nth(1)
    row_id = row.get_attribute("data-id")
    row.focus()
    page.keyboard.press(" ")
    assert page.get_attribute("#panel", "data-id") == row_id
    assert page.evaluate("document.activeElement.id") == "panel-title"
    page.locator("#panel .close").click()
    assert page.evaluate("document.activeElement.dataset.id") == row_id  # back on the row
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.dataset.id") != row_id


def test_web_phone_touch_targets_are_44_px_and_nothing_is_cut(browser: Any, base_url: str) -> None:
    phone = Opened(browser, base_url, PHONE)
    page = phone.page
    summary = page.locator("#summary")
    assert summary.evaluate("node => node.scrollWidth <= node.clientWidth + 1"), "the header count is cut"
    small = page.evaluate("""() => {
        const found = [];
        const targets = document.querySelectorAll(
          'button, select, input:not([type=checkbox]), .exports a, #events tbody tr[data-id], .ec-marker, '
          + '.ec-cluster, .leaflet-bar a');
        for (const node of targets) {
          const box = node.getBoundingClientRect();
          if (!box.width || !box.height) continue;  // not shown
          if (box.height < 44 || (node.matches('.ec-marker, .ec-cluster, .leaflet-bar a, button') && box.width < 44))
            found.push(`${node.tagName}.${node.className} "${node.textContent.trim()}" `
                       + `${Math.round(box.width)}x${Math.round(box.height)}`);
        }
        return found; }""")
    assert small == [], small
    phone.close()


# 6. Empty, loading and error states ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "viewport"), [("1280x800", DESKTOP), ("390x844", PHONE)])
def test_web_error_state_offers_a_retry(browser: Any, base_url: str, name: str, viewport: dict[str, int]) -> None:
    failing = {"on": True}
    opened = Opened(browser, base_url, viewport, wait="")
    page = opened.page
    opened.context.unroute("**/*")

    def events(route: Any) -> None:
        if failing["on"]:
            route.fulfill(status=503, content_type="application/json", body='{"detail": "store busy"}')
        else:
            route.continue_()

    opened.context.route("**/*", lambda route: events(route) if "/events?" in route.request.url
                         else opened._route(route))
    page.reload()
    page.wait_for_selector("body.failed")
    state = page.locator("#state")
    assert state.get_attribute("data-state") == "error"
    assert "Cannot load events: the server answered 503" in state.inner_text()
    assert page.locator(".timeline").is_hidden()  # no made-up axis
    _shot(page, f"error-{name}")
    failing["on"] = False
    state.get_by_role("button", name="Retry").click()
    page.wait_for_selector("body.ready:not(.failed)")
    assert _rows(page) > 0 and state.is_hidden()
    opened.close(expected_errors="status of 503")


@pytest.mark.parametrize(("name", "viewport"), [("1280x800", DESKTOP), ("390x844", PHONE)])
def test_web_empty_and_invalid_range_states_say_why(browser: Any, base_url: str, name: str,
                                                    viewport: dict[str, int]) -> None:
    opened = Opened(browser, base_url, viewport)
    page = opened.page
    page.fill("#filters [name=text]", "no such words anywhere")
    _wait_rows(page, 0)
    state = page.locator("#state")
    assert state.get_attribute("data-state") == "empty"
    assert "No events match these filters" in state.inner_text()
    assert page.locator(".timeline-empty").is_visible() and page.locator(".timeline").is_hidden()
    _shot(page, f"empty-{name}")
    state.get_by_role("button", name="Clear the filters").click()
    page.wait_for_function("Number(document.querySelector('#events').dataset.rows) > 0")

    page.fill("#filters [name=date_from]", "2020-10-05")
    page.fill("#filters [name=date_to]", "2020-09-28")
    problem = page.locator("#range-problem")
    problem.wait_for()
    assert "“From” (2020-10-05) is after “To” (2020-09-28)" in problem.inner_text()
    assert page.get_attribute("#filters [name=date_from]", "aria-invalid") is not None
    _wait_rows(page, 0)
    problem.get_by_role("button", name="Swap the dates").click()
    assert page.input_value("#filters [name=date_from]") == "2020-09-28"
    page.wait_for_function("Number(document.querySelector('#events').dataset.rows) > 0")
    assert problem.is_hidden()
    opened.close()


def test_web_loading_state_shows_before_the_first_events(browser: Any, base_url: str) -> None:
    opened = Opened(browser, base_url, DESKTOP, wait="")
    page = opened.page
    opened.context.unroute("**/*")
    held: list[Any] = []
    holding = {"on": True}

    def hold(route: Any) -> None:
        if "/events?" in route.request.url and holding["on"]:
            held.append(route)
        else:
            opened._route(route)

    opened.context.route("**/*", hold)
    page.reload()
    page.wait_for_function("document.querySelector('#state').dataset.state === 'loading'")
    assert page.locator("#state").inner_text() == "Loading events…"
    assert page.locator("#summary").inner_text() == "loading events…"
    holding["on"] = False
    while held:
        held.pop().continue_()
    page.wait_for_selector("body.ready")
    opened.close()


# 7. The map ---------------------------------------------------------------------------------------------------------

def test_web_map_names_places_zooms_to_towns_and_draws_precision_honestly(opened: Opened, base_url: str) -> None:
    page = opened.page
    page.wait_for_function("Number(document.querySelector('#map').dataset.labels) > 0", timeout=30_000)
    assert page.evaluate("window.eventcoder.map.map.getMaxZoom()") >= 14
    page.evaluate("() => { window.eventcoder.map.map.setView([39.82, 46.75], 12, { animate: false }); }")
    page.wait_for_function("document.querySelector('#map').dataset.labelZoom === '12'", timeout=30_000)
    towns = page.locator("#map .ec-label.town").all_inner_texts()
    assert towns, "no town names at town zoom"
    _shot(page, "zoomed-town-1280x800")
    events = _dataset(base_url)
    coarse = [e for e in events if e["location"] and e["location"]["precision"] in ("country", "admin1")]
    exact = [e for e in events if e["location"] and e["location"]["precision"] == "city"]
    classes = page.evaluate("""ids => ids.map(id => window.eventcoder.map.marker(
        window.eventcoder.byId.get(id).event).options.icon.options)""", [e["id"] for e in coarse + exact])
    for options, event in zip(classes, coarse + exact, strict=True):
        is_coarse = event["location"]["precision"] != "city"
        assert ("coarse" in options["className"]) == is_coarse
        assert ('class="halo"' in options["html"]) == is_coarse
    title = page.evaluate("id => window.eventcoder.map.marker(window.eventcoder.byId.get(id).event).options.title",
                          next(e["id"] for e in coarse if e["location"]["precision"] == "country"))
    assert "only the country is known" in title


def test_web_map_has_no_antimeridian_stripes_and_fits_the_filtered_events(opened: Opened, base_url: str) -> None:
    page = opened.page
    jumps = page.evaluate("""() => { let worst = 0; const map = window.eventcoder.map.map;
        map.eachLayer(layer => { if (!layer.feature || !layer.getLatLngs) return;
          const rings = layer.getLatLngs().flat(3).length ? [layer.getLatLngs()].flat(2) : [];
          for (const ring of rings) { if (!Array.isArray(ring)) continue;
            if (ring.some(p => p.lat < -85)) continue;  // a ring around the pole (Antarctica) spans the world
            for (let i = 1; i < ring.length; i++) {
              worst = Math.max(worst, Math.abs(ring[i].lng - ring[i - 1].lng)); } } });
        return worst; }""")
    assert jumps < 180, f"a country outline jumps {jumps}° across the map"
    _choose(page, "country", "UKR")
    ukraine = [e for e in _dataset(base_url) if e["modality"] == "asserted" and e["location"]
               and "UKR" in (e["location"]["country"], e["actor"]["country"], (e["recipient"] or {}).get("country"))]
    _wait_rows(page, len(ukraine))
    page.get_by_role("button", name="Fit to events").click()
    inside = page.evaluate("""points => { const b = window.eventcoder.map.map.getBounds();
        return points.every(([lat, lon]) => b.contains([lat, lon])) && window.eventcoder.map.map.getZoom() >= 5; }""",
                           [[e["location"]["lat"], e["location"]["lon"]] for e in ukraine])
    assert inside


# 8. Claim status, country names, filters ---------------------------------------------------------------------------

def test_web_claim_status_on_the_map_and_a_legend_that_explains_it(opened: Opened, base_url: str) -> None:
    page = opened.page
    legend = page.locator(".legend-keys").inner_text()
    assert "Disputed: one side says it happened, another denies it" in legend
    assert "Corroborated: both sides of the conflict say it happened" in legend
    disputed = [e for e in _dataset(base_url) if e["claim_status"] == "disputed" and e["location"]]
    html = page.evaluate(
        "id => window.eventcoder.map.marker(window.eventcoder.byId.get(id).event).options.icon.options.html",
        disputed[0]["id"])
    assert 'class="badge disputed"' in html
    _choose(page, "status", "disputed")
    assert page.locator("#events .status.disputed").count() == _rows(page) > 0


def test_web_country_names_actor_substring_mode_fatalities_and_area_filters(opened: Opened, base_url: str) -> None:
    page = opened.page
    events = [e for e in _dataset(base_url) if e["modality"] == "asserted"]
    options = page.locator("#filters [name=country] option").all_inner_texts()
    assert "Armenia (ARM)" in options and "Azerbaijan (AZE)" in options
    place = page.locator(f'#events tr[data-id="{events[0]["id"]}"] td.place').inner_text()
    assert place == "Stepanakert, Azerbaijan"

    page.fill("#filters [name=actor]", "azerb")  # part of a name
    expected = {e["id"] for e in events if "azerb" in " ".join(filter(None, [
        e["actor"]["name"], e["actor"]["text"], (e["recipient"] or {}).get("name"),
        (e["recipient"] or {}).get("text")])).lower()}
    _wait_rows(page, len(expected))
    page.fill("#filters [name=actor]", "")

    _choose(page, "mode", "shelling")
    _wait_rows(page, sum(e["mode"] == "shelling" for e in events))
    _choose(page, "mode", "")
    _choose(page, "fatalities", "dead")
    _wait_rows(page, sum((e["fatalities"]["dead"] or 0) > 0 for e in events))
    _choose(page, "fatalities", "")

    page.evaluate("() => { window.eventcoder.map.map.fitBounds([[39.0, 43.5], [41.5, 46.0]], { animate: false }); }")
    page.check("#filters [name=area]")
    bounds = page.evaluate("""() => { const b = window.eventcoder.map.map.getBounds();
        return [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()]; }""")
    inside = {e["id"] for e in events if e["location"] and bounds[0] <= e["location"]["lat"] <= bounds[2]
              and bounds[1] <= e["location"]["lon"] <= bounds[3]}
    _wait_rows(page, len(inside))
    assert 0 < len(inside) < len(events)
    assert "bbox=" in page.get_attribute(".exports a[data-format=csv]", "href")
    _shot(page, "filtered-1280x800")


# 9. Colour ------------------------------------------------------------------------------------------------------------

def _palette() -> dict[str, dict[str, str]]:
    text = PALETTE.read_text(encoding="utf-8")
    block = text[text.index("TYPES_BY_QUAD"):text.index("};", text.index("TYPES_BY_QUAD"))]
    quads: dict[str, dict[str, str]] = {}
    for quad, body in re.findall(r'"([a-z-]+)": \{([^}]*)\}', block):
        quads[quad] = dict(re.findall(r"([A-Z]+): \"(#[0-9a-f]{6})\"", body))
    return quads


def _luminance(rgb: tuple[float, float, float]) -> float:
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


# Machado et al. (2009) matrices, severity 1.0, on linear-ish sRGB: how the colours look without one kind of cone
CVD = {
    "none": ((1, 0, 0), (0, 1, 0), (0, 0, 1)),
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881)),
    "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602), (0.004733, 0.691367, 0.303900)),
}


def _seen(colour: str, matrix: tuple[tuple[float, float, float], ...]) -> tuple[float, float, float]:
    rgb = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    out = [sum(row[k] * rgb[k] for k in range(3)) for row in matrix]
    return (min(1.0, max(0.0, out[0])), min(1.0, max(0.0, out[1])), min(1.0, max(0.0, out[2])))


def test_web_palette_types_of_one_quad_class_stay_apart_for_colour_blind_readers() -> None:
    quads = _palette()
    assert sorted(len(types) for types in quads.values()) == [4, 4, 4, 4]
    for quad, types in quads.items():
        names = sorted(types)
        for kind, matrix in CVD.items():
            for i, a in enumerate(names):
                for b in names[i + 1:]:
                    la, lb = _luminance(_seen(types[a], matrix)), _luminance(_seen(types[b], matrix))
                    ratio = (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
                    assert ratio >= 1.5, f"{quad}: {a} and {b} are too alike ({ratio:.2f}) for {kind}"


def test_web_type_name_is_always_next_to_its_colour(opened: Opened) -> None:
    page = opened.page
    chips = page.locator("#events .chip").evaluate_all(
        "nodes => nodes.map(n => [n.textContent, getComputedStyle(n).backgroundColor])")
    assert chips and all(text.strip() for text, _ in chips)
    legend = page.locator(".legend-list div").evaluate_all(
        "rows => rows.map(r => [r.textContent.trim(), !!r.querySelector('.swatch')])")
    assert legend and all(name and swatch for name, swatch in legend)
    quads = page.locator(".quad-legend [data-quad]").all_inner_texts()
    assert "material conflict" in quads


# Screenshots ----------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "viewport"), [("1280x800", DESKTOP), ("390x844", PHONE)])
def test_web_screens_first_view_disputed_filtered_and_town_zoom(browser: Any, base_url: str, name: str,
                                                                viewport: dict[str, int]) -> None:
    opened = Opened(browser, base_url, viewport)
    page = opened.page
    page.wait_for_function("Number(document.querySelector('#map').dataset.labels) > 0", timeout=30_000)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"the page is {width}px wide"
    _shot(page, f"first-view-{name}")
    disputed = next(e for e in _dataset(base_url) if e["claim_status"] == "disputed" and e["modality"] == "asserted"
                    and e["location"])
    page.evaluate("id => window.eventcoder.select(id, { revealMarker: true, revealRow: true })", disputed["id"])
    panel = page.locator("#panel")
    panel.wait_for(state="visible")
    assert panel.locator(".claim").inner_text().startswith("Disputed")
    if viewport is DESKTOP:  # the panel leaves the filters and the table free
        for control in ("[name=status]", "[name=date_from]", "button[type=reset]"):
            box, shade = page.locator(f"#filters {control}").bounding_box(), panel.bounding_box()
            assert box["x"] >= shade["x"] + shade["width"], control
    _shot(page, f"disputed-selected-{name}")
    page.keyboard.press("Escape")
    _choose(page, "event_type", "ASSAULT")
    page.wait_for_timeout(800)  # the map fits the filtered events once the filters settle
    _shot(page, f"filtered-{name}")
    page.evaluate("() => { window.eventcoder.map.map.setView([39.82, 46.75], 13, { animate: false }); }")
    page.wait_for_function("document.querySelector('#map').dataset.labelZoom === '13'", timeout=30_000)
    page.evaluate("window.scrollTo(0, 0)")  # (on a phone, the map is at the top of the page)
    _shot(page, f"zoomed-town-{name}")
    opened.close()


def test_web_labels_endpoint_answers_names_for_a_view(base_url: str) -> None:
    world = httpx.get(f"{base_url}/places/labels", params={"bbox": "-180,-85,180,85", "zoom": 2}, timeout=60).json()
    assert any(label["kind"] == "country" and label["name"] == "China" for label in world)
    town = httpx.get(f"{base_url}/places/labels", params={"bbox": "46.5,39.6,47.0,40.0", "zoom": 12}).json()
    assert any(label["kind"] == "city" for label in town)
    assert not any(label["kind"] == "country" for label in town)  # town zoom: towns and regions
    assert all(46.5 <= label["lon"] <= 47.0 and 39.6 <= label["lat"] <= 40.0 for label in town)
    assert httpx.get(f"{base_url}/places/labels", params={"bbox": "1,2,3", "zoom": 2}).status_code == 422
    names = httpx.get(f"{base_url}/places/countries").json()
    assert names["ARM"] == "Armenia" and names["AZE"] == "Azerbaijan"
