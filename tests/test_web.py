"""The web page in a real browser (Playwright driving Debian's chromium) against a live server.

The server holds the sample corpus coded by the real pipeline: all of corpus/ but the reference article, which a
test pastes in. Each step saves a screenshot under tests/output/web/.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from eventcoder.api import WEB, create_app
from eventcoder.config import load_config
from eventcoder.model import Document
from eventcoder.pipeline import CodedDocument
from live_server import live_server

playwright_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright (a dev dependency)")

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
REFERENCE = CORPUS / "karabakh-2020-09-27.txt"
SHOTS = Path(__file__).resolve().parent / "output" / "web"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
TOKEN = "web-test-token"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="no chromium: run scripts/ensure-chromium")


@dataclass(frozen=True)
class Corpus:
    """What the server codes: stored documents, the one a test pastes, and how it codes them."""

    name: str
    stored: list[dict[str, Any]]  # POST /documents bodies
    paste: dict[str, Any]
    coder: Callable[[Document], CodedDocument]


@pytest.fixture(scope="module")
def corpus(pipeline: Any) -> Corpus:
    stored = [{"text": path.read_text(encoding="utf-8")} for path in sorted(CORPUS.glob("*.txt")) if path != REFERENCE]
    return Corpus("sample corpus", stored, {"text": REFERENCE.read_text(encoding="utf-8")},
                  lambda document: next(pipeline.code([document])))


@pytest.fixture(scope="module")
def base_url(corpus: Corpus, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    assert (WEB / "app.js").is_file(), "the web page is not built: run `make web` (npm ci && npm run build in web/)"
    db = str(tmp_path_factory.mktemp("web") / "web.sqlite")
    config = load_config(env={}, db=db, token=TOKEN, max_page_size=500, write_wait_s=60)  # 201 once stored
    with live_server(create_app(config, coder=corpus.coder)) as url:
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=120) as client:
            for body in corpus.stored:
                assert client.post("/documents", json=body).status_code == 201
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM)
        yield launched
        launched.close()


@pytest.fixture()
def outside() -> list[str]:
    """Collect every request the page makes off the test server (there must be none)."""
    return []


def _open(browser: Any, base_url: str, outside: list[str], viewport: dict[str, int]) -> Any:
    context = browser.new_context(viewport=viewport)

    def route(request_route: Any) -> None:
        if request_route.request.url.startswith(base_url):
            request_route.continue_()
        else:
            outside.append(request_route.request.url)
            request_route.abort()

    context.route("**/*", route)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(base_url + "/")
    page.wait_for_selector("body.ready", timeout=30_000)
    assert not errors, errors
    return page


@pytest.fixture()
def page(browser: Any, base_url: str, outside: list[str]) -> Iterator[Any]:
    opened = _open(browser, base_url, outside, DESKTOP)
    yield opened
    opened.context.close()
    assert outside == [], f"the page asked the internet for {outside}"


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def _dataset(base_url: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    with httpx.Client(base_url=base_url, timeout=30) as client:
        offset: int | None = 0
        while offset is not None:
            answer = client.get("/events", params={"limit": 500, "offset": offset}).json()
            items.extend(answer["items"])
            offset = answer["next_offset"]
    return items


def _located(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for e in events if e["location"] and e["location"]["lat"] is not None]


def _rows(page: Any) -> int:
    return int(page.get_attribute("#events", "data-rows"))


def _asserted(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The events the page shows by default: those told as having happened."""
    return [e for e in events if e["modality"] == "asserted"]


def test_web_page_loads_every_event_from_the_server_alone(page: Any, base_url: str, corpus: Corpus) -> None:
    events = _dataset(base_url)
    assert events, f"the {corpus.name} gave no events"
    assert _rows(page) == len(_asserted(events))
    assert page.locator("#summary").inner_text().startswith(f"{len(_asserted(events))} of {len(events)} events")
    assert page.locator(".timeline .bars rect").count() > 0
    _shot(page, "01-loaded-1280x800")


def test_web_map_has_a_marker_for_each_located_event(page: Any, base_url: str) -> None:
    located = _located(_asserted(_dataset(base_url)))
    assert located
    assert page.get_attribute("#map", "data-markers") == str(len(located))
    page.wait_for_selector("#map[data-settled='1']")
    page.wait_for_selector("#map .leaflet-cluster-anim", state="detached")
    singles = page.locator("#map .ec-marker").count()
    clustered = sum(int(text) for text in page.locator("#map .ec-cluster").all_inner_texts())
    assert singles + clustered == len(located)
    _shot(page, "02-markers")


def _click_marker(page: Any, event_id: str) -> None:
    """Click clusters (as a reader would) until the event's own marker shows, then click it."""
    marker = page.locator(f'#map .ec-marker[data-id="{event_id}"]')
    for _ in range(20):
        if marker.count() and marker.is_visible():
            marker.click()
            return
        parent = page.evaluate_handle(
            """id => { const m = window.eventcoder.map.markers.get(id);
                       const p = window.eventcoder.map.cluster.getVisibleParent(m);
                       return p && p !== m ? p.getElement() : null; }""", event_id)
        element = parent.as_element()
        assert element is not None, "the marker is neither shown nor inside a shown cluster"
        element.click()
        page.wait_for_timeout(450)  # the cluster's zoom or spiderfy animation
    raise AssertionError(f"no marker for {event_id} after opening 20 clusters")


def test_web_clicking_a_marker_shows_its_sources_and_claim_status(page: Any, base_url: str) -> None:
    located = _located(_asserted(_dataset(base_url)))
    disputed = [e for e in located if e["claim_status"] == "disputed"]
    target = max(disputed or located, key=lambda e: (len(e["sources"]), e["id"]))
    _click_marker(page, target["id"])
    panel = page.locator("#panel")
    panel.wait_for(state="visible")
    assert panel.get_attribute("data-id") == target["id"]
    claim = panel.locator(".claim").inner_text()
    assert claim.lower().startswith(target["claim_status"])
    assert "claimed by" in claim or "reported by" in claim
    if target["claim_status"] == "disputed":
        assert "denied by" in claim
    sources = " ".join(panel.locator(".sources").all_inner_texts())
    for source in target["sources"]:
        assert source["text"] in sources
    reports = target["reports"]
    assert panel.locator("li.report").count() == len(reports)
    assert panel.locator("mark.trigger").count() >= 1
    assert page.locator("#events tr.selected").get_attribute("data-id") == target["id"]
    _shot(page, "03-marker-clicked-panel")


def test_web_brushing_the_timeline_shrinks_the_table_and_map(page: Any, base_url: str) -> None:
    events = _asserted(_dataset(base_url))
    days = sorted({e["date_start"] for e in events if e["date_start"]})
    assert len(days) >= 2, "the corpus needs events on two days or more to brush"
    before_rows = _rows(page)
    before_markers = int(page.get_attribute("#map", "data-markers"))
    rects = page.locator(".timeline .bars rect")
    bars = [rects.nth(i).bounding_box() for i in range(rects.count())]
    overlay = page.locator(".timeline .brush .overlay").bounding_box()
    first = min(bar["x"] for bar in bars)
    first_right = max(bar["x"] + bar["width"] for bar in bars if bar["x"] == first)
    y = overlay["y"] + overlay["height"] / 2
    page.mouse.move(max(overlay["x"] + 1, first - 2), y)  # drag over the first bar, a little wider
    page.mouse.down()
    page.mouse.move(first_right + 2, y, steps=5)
    page.mouse.up()
    page.wait_for_function(f"Number(document.querySelector('#events').dataset.rows) < {before_rows}")
    date_from = page.input_value("#filters [name=date_from]")
    date_to = page.input_value("#filters [name=date_to]")
    assert date_from <= days[0] <= date_to < days[-1]
    expected = [e for e in events if e["date_end"] and e["date_start"] and e["date_end"] >= date_from
                and e["date_start"] <= date_to]
    assert _rows(page) == len(expected) > 0
    assert int(page.get_attribute("#map", "data-markers")) == len(_located(expected)) <= before_markers
    href = page.get_attribute(".exports a[data-format=csv]", "href")
    assert f"date_from={date_from}" in href and f"date_to={date_to}" in href
    _shot(page, "04-timeline-brushed")


def test_web_table_filters_match_the_api(page: Any, base_url: str) -> None:
    events = _dataset(base_url)
    kind = max({e["event_type"] for e in events}, key=lambda t: (sum(e["event_type"] == t for e in events), t))
    page.select_option("#filters [name=modality]", "")  # every event, as the API gives them
    page.select_option("#filters [name=event_type]", kind)
    with httpx.Client(base_url=base_url) as client:
        total = client.get("/events", params={"event_type": kind}).json()["total"]
    assert _rows(page) == total
    page.get_by_role("button", name="Clear", exact=True).click()
    page.wait_for_function(f"document.querySelector('#events').dataset.rows === '{len(_asserted(events))}'")


def test_web_pasting_an_article_codes_it_and_shows_its_events(page: Any, base_url: str, corpus: Corpus) -> None:
    before = len(_dataset(base_url))
    page.click("#paste-toggle")
    page.fill("#paste-text", corpus.paste["text"])
    if corpus.paste.get("published"):
        page.fill("#paste-published", corpus.paste["published"])
    if corpus.paste.get("publisher"):
        page.fill("#paste-publisher", corpus.paste["publisher"])
    page.fill("#paste-token", TOKEN)
    _shot(page, "05-paste-filled")
    page.click("#paste-submit")
    result = page.locator("#paste-result")
    page.wait_for_function("document.querySelector('#paste-result').dataset.ids !== undefined", timeout=120_000)
    assert result.inner_text().startswith("Coded "), result.inner_text()
    ids = (result.get_attribute("data-ids") or "").split()
    assert ids, "the pasted article gave no events"
    after = _dataset(base_url)
    assert len(after) > before
    assert _rows(page) == len(_asserted(after))
    assert sorted(page.evaluate("[...window.eventcoder.table.fresh]")) == sorted(ids)
    shown = [i for i in ids if i in {e["id"] for e in _asserted(after)}]
    assert page.get_attribute("#panel", "data-id") == (shown or ids)[0]
    if shown:  # the selected new event's row is scrolled into view and marked new
        assert page.locator(f'#events tr.new[data-id="{shown[0]}"]').count() == 1
    _shot(page, "06-article-coded")


def test_web_a_wrong_token_is_refused_in_words(page: Any) -> None:
    page.click("#paste-toggle")
    page.fill("#paste-text", "date 2023-05-14\nRussia called for a ceasefire.")
    page.fill("#paste-token", "not-the-token")
    page.click("#paste-submit")
    result = page.locator("#paste-result.error")
    result.wait_for()
    assert "401" in result.inner_text() and "bearer token" in result.inner_text()


def _record(event_id: str, kind: str, actor: dict[str, Any], recipient: dict[str, Any] | None, sentence: str,
            trigger: str, sources: list[str], status: str, disputed_by: Sequence[str] = ()) -> dict[str, Any]:
    """Build a one-report dataset record as GET /events gives it."""
    report = {"id": f"report-{event_id}", "doc_id": "doc", "published": "2020-09-27", "publisher": "AFP",
              "modality": "asserted", "claim_status": status, "disputed_by": list(disputed_by),
              "sources": [{"text": s, "actor": None, "cue": "said"} for s in sources], "date": "2020-09-27",
              "date_precision": "day", "date_text": "on Sunday", "location": None, "actor": actor,
              "recipient": recipient,
              "evidence": {"sentence": sentence, "start": 0, "end": len(sentence), "trigger": trigger}}
    return {**{k: v for k, v in report.items() if k not in ("id", "doc_id")}, "id": event_id, "event_type": kind,
            "quad_class": "material-conflict", "date_start": "2020-09-27", "date_end": "2020-09-27",
            "publishers": ["AFP"], "n_reports": 1, "reports": [report], "doc_ids": ["doc"]}


@pytest.mark.parametrize(("status", "sources", "denier", "claim"), [
    ("disputed", ["the Armenian Defense Ministry"], {"text": "Baku", "name": "Azerbaijan"},
     "Disputed: claimed by the Armenian Defense Ministry, denied by Azerbaijan"),
    ("disputed", ["Pashinyan", "he"], None, "Disputed: claimed by Pashinyan, denied by another party"),
    ("corroborated", ["Armenia", "Azerbaijan"], None,
     "Corroborated: claimed by Armenia and Azerbaijan; both sides say so"),
    ("uncontested", [], None, "Uncontested: reported by AFP; no one denies it"),
])
def test_web_panel_says_the_claim_status_in_plain_words(page: Any, status: str, sources: list[str],
                                                        denier: dict[str, Any] | None, claim: str) -> None:
    azerbaijan = {"text": "the Azerbaijani side", "name": "Azerbaijan", "country": "AZE", "sector": "MIL"}
    stepanakert = {"text": "Stepanakert", "name": "Stepanakert", "country": "AZE", "sector": "PRE"}
    shelling = _record("e1", "ASSAULT", azerbaijan, stepanakert,
                       "The shelling of Stepanakert began early in the morning from the Azerbaijani side.",
                       "shelling", sources, status, ["report-e2"] if denier else [])
    records = [shelling]
    if denier:
        records.append(_record("e2", "REJECT", {**denier, "country": "AZE", "sector": "GOV"}, None,
                               "Baku denied this.", "denied", [], "uncontested"))
    page.evaluate("records => { window.eventcoder.load(records); window.eventcoder.select('e1'); }", records)
    panel = page.locator("#panel")
    assert panel.locator(".claim").inner_text() == claim
    assert page.locator('#events tr[data-id="e1"] td.confidence').inner_text() == "–"  # not scored
    marks = {kind: panel.locator(f"mark.{kind}").inner_text() for kind in ("trigger", "actor", "recipient")}
    assert marks == {"trigger": "shelling", "actor": "the Azerbaijani side", "recipient": "Stepanakert"}
    if denier:
        assert panel.locator(".links").inner_text() == "Denied in: REJECT by Azerbaijan (2020-09-27)"
        panel.get_by_role("link", name="REJECT by Azerbaijan (2020-09-27)").click()
        assert panel.get_attribute("data-id") == "e2"
        assert panel.locator(".links").inner_text() == "Denies: ASSAULT by Azerbaijan (2020-09-27)"


def test_web_an_empty_dataset_loads_and_says_so(browser: Any, base_url: str) -> None:
    context = browser.new_context(viewport=DESKTOP)
    empty = '{"total": 0, "limit": 500, "offset": 0, "next_offset": null, "items": []}'
    context.route("**/events?*", lambda route: route.fulfill(status=200, content_type="application/json", body=empty))
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(base_url + "/")
    page.wait_for_selector("body.ready")
    assert page.locator("#summary").inner_text() == "0 of 0 events · 0 on the map"
    assert (_rows(page), page.locator("#map .ec-marker").count(), errors) == (0, 0, [])
    context.close()


@pytest.mark.parametrize(("name", "viewport"), [("laptop", DESKTOP), ("phone", PHONE)])
def test_web_layout_fits_the_screen(browser: Any, base_url: str, outside: list[str], name: str,
                                    viewport: dict[str, int]) -> None:
    page = _open(browser, base_url, outside, viewport)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"{name}: the page is {width}px wide"
    for selector in ("#map", "#timeline svg", "#filters", "#events"):
        box = page.locator(selector).bounding_box()
        assert box and box["width"] > 0 and box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"] + 1, selector
    if name == "laptop":  # map, timeline and table all on one screen
        for selector in ("#map", "#timeline svg", "#events"):
            box = page.locator(selector).bounding_box()
            assert box["y"] + min(box["height"], 40) <= viewport["height"], selector
    _shot(page, f"07-layout-{name}")
    page.locator("#events tbody tr[data-id]").first.click()
    panel = page.locator("#panel").bounding_box()
    assert panel and panel["x"] >= 0 and panel["x"] + panel["width"] <= viewport["width"] + 1
    _shot(page, f"08-panel-{name}")
    page.context.close()
    assert outside == []


def test_web_index_says_how_to_build_when_the_page_is_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import eventcoder.api

    monkeypatch.setattr(eventcoder.api, "WEB", tmp_path / "web")
    app = create_app(load_config(env={}, db=str(tmp_path / "x.sqlite")))
    [index] = [route for route in app.routes if getattr(route, "path", None) == "/"]
    answer = index.endpoint()  # type: ignore[attr-defined]
    assert answer.status_code == 503 and b"make web" in answer.body
    assert not [route for route in app.routes if getattr(route, "path", None) == "/static"]


def test_web_bundle_is_served_compressed(base_url: str) -> None:
    plain = httpx.get(f"{base_url}/static/app.js", headers={"Accept-Encoding": "identity"})
    with httpx.stream("GET", f"{base_url}/static/app.js", headers={"Accept-Encoding": "gzip"}) as packed:
        body = packed.read()  # httpx decodes: the same bundle
        sent = packed.num_bytes_downloaded
    assert plain.status_code == packed.status_code == 200
    assert packed.headers.get("content-encoding") == "gzip"
    assert body == plain.content
    assert sent < len(plain.content) / 2
