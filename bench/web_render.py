"""10,000 synthetic events in the web page (Debian's chromium): load, render and filter times, as JSON.

Usage: .venv/bin/python bench/web_render.py [--events N] [--json]

The page is served by the real API app; GET /events answers with the synthetic events (as a store would, a page
of 500 at a time), so the timings cover fetching, parsing, indexing and drawing the map, timeline and table.
Each filter time runs from the change to the next painted frame.
"""

from __future__ import annotations

import argparse
import json
import random
import socket
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

TYPES = {  # PLOVER type -> quad class
    "AGREE": "verbal-cooperation", "CONSULT": "verbal-cooperation", "SUPPORT": "verbal-cooperation",
    "CONCEDE": "material-cooperation", "COOPERATE": "material-cooperation", "AID": "material-cooperation",
    "RETREAT": "material-cooperation", "REQUEST": "verbal-cooperation", "ACCUSE": "verbal-conflict",
    "REJECT": "verbal-conflict", "THREATEN": "verbal-conflict", "PROTEST": "verbal-conflict",
    "SANCTION": "material-conflict", "MOBILIZE": "material-conflict", "COERCE": "material-conflict",
    "ASSAULT": "material-conflict",
}
ACTORS = [("Azerbaijan", "AZE", "MIL"), ("Armenia", "ARM", "MIL"), ("Russia", "RUS", "GOV"),
          ("Ukraine", "UKR", "MIL"), ("Sudan", "SDN", "MIL"), ("Rapid Support Forces", "SDN", "REB"),
          ("Israel", "ISR", "MIL"), ("Hamas", "PSE", "REB"), ("Kenya", "KEN", "COP"), ("protesters", None, "CVL")]
PLACES = [("Stepanakert", 39.815, 46.752, "AZE"), ("Yerevan", 40.177, 44.513, "ARM"), ("Kyiv", 50.45, 30.52, "UKR"),
          ("Khartoum", 15.55, 32.53, "SDN"), ("Gaza", 31.50, 34.47, "PSE"), ("Nairobi", -1.29, 36.82, "KEN"),
          ("Minsk", 53.90, 27.56, "BLR"), ("Moscow", 55.75, 37.62, "RUS")]
OUTLETS = ["AFP", "Reuters", "AP", "TASS", "APA", "Armenpress", "Al Jazeera", "BBC"]
STATUSES = ["uncontested"] * 6 + ["corroborated"] * 2 + ["disputed"] * 2


def synthetic_events(n: int, seed: int = 7) -> list[dict[str, Any]]:
    """Return n dataset event records shaped like GET /events items, spread over 180 days and 8 places."""
    rng = random.Random(seed)
    start = date(2023, 1, 1)
    events = []
    for number in range(n):
        kind = rng.choice(list(TYPES))
        actor, recipient = rng.sample(ACTORS, 2)
        name, lat, lon, country = rng.choice(PLACES)
        place = None if rng.random() < 0.1 else {
            "name": name, "lat": lat + rng.gauss(0, 0.6), "lon": lon + rng.gauss(0, 0.6), "country": country,
            "admin1": None, "geonameid": None, "precision": "city"}
        day = (start + timedelta(days=rng.randrange(180))).isoformat()
        reports = []
        for _ in range(rng.choice([1, 1, 2, 3])):
            outlet = rng.choice(OUTLETS)
            sentence = f"{actor[0]} forces were reported in {name} on {day}, an official of {recipient[0]} said."
            reports.append({
                "id": f"r{number:05d}{len(reports)}", "doc_id": f"d{number % 997}", "published": day,
                "publisher": outlet, "modality": "asserted", "claim_status": "uncontested",
                "sources": [{"text": f"an official of {recipient[0]}", "actor": None, "cue": "said"}],
                "disputed_by": [], "date": day, "date_precision": "day", "date_text": None, "location": place,
                "evidence": {"sentence": sentence, "start": 0, "end": len(sentence), "trigger": "reported"},
                "actor": _actor(actor), "recipient": _actor(recipient)})
        events.append({
            "id": f"{number:040x}", "event_type": kind, "quad_class": TYPES[kind], "mode": None, "contexts": [],
            "cameo_root": None, "actor": _actor(actor), "recipient": _actor(recipient), "date": day,
            "date_precision": "day", "date_text": None, "date_start": day, "date_end": day, "location": place,
            "modality": "asserted", "claim_status": rng.choice(STATUSES), "published": day,
            "publisher": reports[0]["publisher"], "publishers": sorted({r["publisher"] for r in reports}),
            "sources": [s for r in reports for s in r["sources"]][:3], "disputed_by": [],
            "doc_ids": sorted({r["doc_id"] for r in reports}), "n_reports": len(reports), "reports": reports,
            "fatalities": {"dead": None, "injured": None, "text": None}})
    return events


def _actor(actor: tuple[str, str | None, str]) -> dict[str, Any]:
    return {"text": actor[0], "name": actor[0], "country": actor[1], "sector": actor[2]}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# Run in the page: apply one change, then wait for the frame after it to be painted.
MEASURE = """async (change) => {
  const app = window.eventcoder;
  const started = performance.now();
  const script = change === null ? app.setFilters({event_type: "", country: "", actor: "", status: "",
                                                   date_from: "", date_to: "", text: ""}) : app.setFilters(change);
  await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
  return {script_ms: script, painted_ms: performance.now() - started,
          rows: Number(document.querySelector("#events").dataset.rows),
          markers: Number(document.querySelector("#map").dataset.markers)};
}"""

CHANGES: list[tuple[str, dict[str, str] | None]] = [
    ("type ASSAULT", {"event_type": "ASSAULT"}),
    ("clear", None),
    ("country SDN", {"country": "SDN"}),
    ("clear", None),
    ("status disputed", {"status": "disputed"}),
    ("clear", None),
    ("date range 30 days", {"date_from": "2023-02-01", "date_to": "2023-03-02"}),
    ("clear", None),
    ("text search 'khartoum'", {"text": "khartoum"}),
    ("clear", None),
    ("type + date + text", {"event_type": "ASSAULT", "date_from": "2023-03-01", "date_to": "2023-05-31",
                            "text": "armenia"}),
    ("clear", None),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=10_000, help="synthetic events (default 10,000)")
    parser.add_argument("--json", action="store_true", help="print only the JSON line")
    args = parser.parse_args()

    import uvicorn
    from _browser import chromium_or_exit
    from playwright.sync_api import Route, sync_playwright

    from eventcoder.api import create_app
    from eventcoder.config import load_config

    chromium = chromium_or_exit()
    events = synthetic_events(args.events)
    pages = {offset: json.dumps({"total": len(events), "limit": 500, "offset": offset,
                                 "next_offset": offset + 500 if offset + 500 < len(events) else None,
                                 "items": events[offset:offset + 500]}) for offset in range(0, len(events), 500)}

    def answer_events(route: Route) -> None:
        offset = int(parse_qs(urlparse(route.request.url).query).get("offset", ["0"])[0])
        route.fulfill(status=200, content_type="application/json", body=pages[offset])

    with tempfile.TemporaryDirectory() as folder:
        config = load_config(env={}, db=str(Path(folder) / "bench.sqlite"), port=_free_port())
        server = uvicorn.Server(uvicorn.Config(create_app(config), host="127.0.0.1", port=config.port,
                                               log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.02)
        url = f"http://127.0.0.1:{config.port}/"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium)
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.route("**/events?*", answer_events)
            started = time.perf_counter()
            page.goto(url)
            page.wait_for_selector("body.ready", timeout=120_000)
            wall_ms = (time.perf_counter() - started) * 1000
            ready_ms, fetch_ms, first_render_ms = page.evaluate(
                "[window.eventcoder.readyMs, window.eventcoder.fetchMs, window.eventcoder.renderMs]")
            reload_ms = page.evaluate("""() => { const app = window.eventcoder;
                const records = app.items.map((item) => item.event);
                const started = performance.now(); app.load(records);
                return new Promise((done) => requestAnimationFrame(() => setTimeout(
                    () => done(performance.now() - started), 0))); }""")
            filters = []
            for name, change in CHANGES:
                filters.append({"filter": name, **page.evaluate(MEASURE, change)})
            browser.close()
        server.should_exit = True
        thread.join(timeout=10)
    worst = max(f["painted_ms"] for f in filters)
    result = {"bench": "web_render", "events": len(events), "chromium": chromium,
              "page_ready_ms": round(ready_ms, 1), "page_ready_wall_ms": round(wall_ms, 1),
              "fetch_all_pages_ms": round(fetch_ms, 1), "first_render_ms": round(first_render_ms, 1),
              "render_all_ms": round(reload_ms, 1),
              "filters": [{k: round(v, 1) if isinstance(v, float) else v for k, v in f.items()} for f in filters],
              "worst_filter_ms": round(worst, 1), "under_a_second": reload_ms < 1000 and worst < 1000}
    if not args.json:
        print(f"{len(events)} events: page ready in {ready_ms:.0f} ms, render {reload_ms:.0f} ms, "
              f"worst filter {worst:.0f} ms", file=sys.stderr)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
