"""The web page against the real server and a real store of 10,000 events: first sight, filters and a paste.

Usage: PYTHONPATH=src .venv/bin/python bench/web_first_sight.py [--events N] [--simple-coder] [--json]

Builds a SQLite store of N dataset events (synthetic articles saved through Store.save, so /events answers from
the store as in use), serves it with the real API app (uvicorn), opens the page in Debian's chromium at
1280x800 and prints:
- first_events_visible_ms: navigation start to the first page of events drawn (target: 1,500 ms or less);
- all_events_ms: navigation start to every page fetched and drawn;
- each filter's time from the change to the next painted frame, the table, timeline and first map markers
  drawn (target: 300 ms or less), and to the map's last marker batch (map_settled_ms);
- paste_visible_ms: submitting an article in the page to its event selected in the table, and how many
  GET /events list requests the paste made (a full reload would make one per page; the target is none).
The pasted article is coded by the real pipeline unless --simple-coder (one event per article, no models).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

TYPES = {
    "AGREE": "verbal-cooperation", "CONSULT": "verbal-cooperation", "SUPPORT": "verbal-cooperation",
    "REQUEST": "verbal-cooperation", "CONCEDE": "material-cooperation", "COOPERATE": "material-cooperation",
    "AID": "material-cooperation", "RETREAT": "material-cooperation", "ACCUSE": "verbal-conflict",
    "REJECT": "verbal-conflict", "THREATEN": "verbal-conflict", "PROTEST": "verbal-conflict",
    "SANCTION": "material-conflict", "MOBILIZE": "material-conflict", "COERCE": "material-conflict",
    "ASSAULT": "material-conflict",
}
ACTORS = [("Azerbaijan", "AZE", "MIL"), ("Armenia", "ARM", "MIL"), ("Russia", "RUS", "GOV"), ("Ukraine", "UKR", "MIL"),
          ("Sudan", "SDN", "MIL"), ("Rapid Support Forces", "SDN", "REB"), ("Israel", "ISR", "MIL"),
          ("Hamas", "PSE", "REB"), ("Kenya", "KEN", "COP"), ("protesters", None, "CVL")]
MODALITIES = ["asserted"] * 8 + ["negated", "hypothetical", "future", "historical"]
STATUSES = ["uncontested"] * 6 + ["corroborated"] * 2 + ["disputed"] * 2
OUTLETS = ["AFP", "Reuters", "AP", "TASS", "APA", "Armenpress", "Al Jazeera", "BBC"]
PER_DOCUMENT = 10

# Run in the page: apply one change, then wait for the frame after it to be painted.
MEASURE = """async (change) => {
  const app = window.eventcoder;
  const started = performance.now();
  const script = change.sort ? (app.table.sortBy(change.sort, change.descending), 0) : app.setFilters(change);
  await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
  const painted = performance.now() - started;
  const map = document.querySelector("#map");
  while (map.dataset.settled !== "1") await new Promise((done) => setTimeout(done, 10));
  return {script_ms: script, painted_ms: painted, map_settled_ms: app.map.settledAt - started,
          rows: Number(document.querySelector("#events").dataset.rows),
          markers: Number(document.querySelector("#map").dataset.markers)};
}"""
CLEAR = {"event_type": "", "country": "", "actor": "", "status": "", "date_from": "", "date_to": "", "text": "",
         "modality": "asserted", "mode": "", "fatalities": "", "min_conf": "", "area": ""}
CHANGES: list[tuple[str, dict[str, Any]]] = [
    ("type ASSAULT", {"event_type": "ASSAULT"}),
    ("country SDN", {**CLEAR, "country": "SDN"}),
    ("actor substring 'support'", {**CLEAR, "actor": "support"}),
    ("status disputed", {**CLEAR, "status": "disputed"}),
    ("every modality", {**CLEAR, "modality": ""}),
    ("modality negated", {**CLEAR, "modality": "negated"}),
    ("confidence >= 0.7", {**CLEAR, "min_conf": "0.7"}),
    ("fatalities: dead", {**CLEAR, "fatalities": "dead"}),
    ("mode shelling", {**CLEAR, "mode": "shelling"}),
    ("date range 30 days", {**CLEAR, "date_from": "2023-02-01", "date_to": "2023-03-02"}),
    ("text search 'khartoum'", {**CLEAR, "text": "khartoum"}),
    ("map area", {**CLEAR, "area": "1"}),
    ("type + date + text", {**CLEAR, "event_type": "ASSAULT", "date_from": "2023-03-01", "date_to": "2023-05-31",
                            "text": "armenia"}),
    ("clear", CLEAR),
    ("sort by confidence", {"sort": "confidence", "descending": True}),
    ("sort by date", {"sort": "date", "descending": True}),
]


def build_store(path: str, n: int, seed: int = 7) -> int:
    """Save n synthetic events (PER_DOCUMENT per article) into a store at ``path``; return the dataset size."""
    from eventcoder.model import ActorRef, Document, Event, Evidence, Fatalities, Location
    from eventcoder.store import Store

    rng = random.Random(seed)
    places = [(f"Place {k:02d}", rng.uniform(-40, 60), rng.uniform(-120, 150), rng.choice(ACTORS)[1] or "KEN")
              for k in range(60)]
    start = date(2023, 1, 1)
    store = Store.open(path)
    for doc in range(0, n, PER_DOCUMENT):
        day = start + timedelta(days=rng.randrange(365))
        outlet = rng.choice(OUTLETS)
        sentences = []
        found = []
        for number in range(doc, min(n, doc + PER_DOCUMENT)):
            kind = rng.choice(list(TYPES))
            (a_name, a_code, a_sector), (r_name, r_code, r_sector) = rng.sample(ACTORS, 2)
            name, lat, lon, country = rng.choice(places)
            sentence = f"Event {number}: {a_name} and {r_name} near {name} ({kind.lower()})."
            sentences.append(sentence)
            found.append((kind, sentence, ActorRef(a_name, a_name, a_code, a_sector),
                          ActorRef(r_name, r_name, r_code, r_sector),
                          Location(name, lat + rng.gauss(0, 0.3), lon + rng.gauss(0, 0.3), country, None, None,
                                   rng.choice(["city", "city", "city", "admin1", "country"]))))
        text = " ".join(sentences)
        document = Document(id=f"bench-{doc:06d}", text=text, published=day, publisher=outlet,
                            url=f"https://news.example.org/{doc}", title=f"Report {doc} from {outlet}")
        events = []
        for kind, sentence, actor, recipient, place in found:
            offset = text.index(sentence)
            when = day - timedelta(days=rng.randrange(3))
            events.append(Event(
                doc_id=document.id, event_type=kind, quad_class=TYPES[kind], published=day, publisher=outlet,
                date=when, date_precision="day", modality=rng.choice(MODALITIES),  # type: ignore[arg-type]
                claim_status=rng.choice(STATUSES), confidence=round(rng.uniform(0.3, 1.0), 2),  # type: ignore[arg-type]
                mode=rng.choice([None, None, "shelling", "air", "ground"]),
                evidence=Evidence(sentence, offset, offset + len(sentence), kind.lower()), actor=actor,
                recipient=recipient, location=place,
                fatalities=Fatalities(dead=rng.choice([None] * 8 + [1, 5]))))
        store.save(document, events)
    size = store.count()
    store.close()
    return size


def simple_coder(document: Any) -> Any:
    """One ASSAULT per article, from its last sentence (for a bench without the coding models)."""
    from eventcoder.model import ActorRef, Event, Evidence, Location
    from eventcoder.pipeline import CodedDocument

    sentence = document.text.strip().splitlines()[-1]
    event = Event(doc_id=document.id, event_type="ASSAULT", quad_class="material-conflict",
                  published=document.published, publisher=document.publisher, date=document.published,
                  date_precision="day", evidence=Evidence(sentence, 0, len(sentence), "shelled"),
                  actor=ActorRef("Azerbaijan", "Azerbaijan", "AZE", "MIL"),
                  location=Location("Stepanakert", 39.815, 46.752, "AZE", None, None, "city"), confidence=0.9)
    return CodedDocument(document, (event,))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=10_000, help="events in the store (default 10,000)")
    parser.add_argument("--simple-coder", action="store_true", help="code the pasted article without the models")
    parser.add_argument("--json", action="store_true", help="print only the JSON line")
    args = parser.parse_args()

    from _browser import chromium_or_exit
    from playwright.sync_api import sync_playwright

    from eventcoder.api import create_app
    from eventcoder.config import load_config
    from live_server import TOKEN, live_server

    chromium = chromium_or_exit()
    coder = simple_coder if args.simple_coder else None
    paste = (ROOT / "corpus" / "karabakh-2020-09-27.txt").read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as folder:
        db = str(Path(folder) / "bench.sqlite")
        started = time.perf_counter()
        size = build_store(db, args.events)
        build_s = time.perf_counter() - started
        config = load_config(env={}, db=db, token=TOKEN, max_page_size=500, min_confidence=0.0)
        with live_server(create_app(config, coder=coder)) as url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium)
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.goto(url + "/")
            page.wait_for_selector("body.first", timeout=120_000)
            page.wait_for_selector("body.ready", timeout=300_000)
            first_ms, ready_ms, rows = page.evaluate(
                "[window.eventcoder.firstVisibleMs, window.eventcoder.readyMs, window.eventcoder.items.length]")
            filters = [{"filter": name, **page.evaluate(MEASURE, change)} for name, change in CHANGES]
            listed: list[str] = []
            page.on("request", lambda request: listed.append(request.url) if "/events?" in request.url else None)
            page.click("#paste-toggle")
            page.fill("#paste-text", paste)
            page.fill("#paste-token", TOKEN)
            began = time.perf_counter()
            page.click("#paste-submit")
            page.wait_for_function("document.querySelector('#paste-result').dataset.ids !== undefined",
                                   timeout=300_000)
            ids = (page.get_attribute("#paste-result", "data-ids") or "").split()
            if ids:
                page.wait_for_function("document.querySelector('#events tr.new') !== null || /hidden by the filters/"
                                       ".test(document.querySelector('#paste-result').textContent)", timeout=30_000)
            paste_ms = (time.perf_counter() - began) * 1000
            paste_result = page.inner_text("#paste-result")
            browser.close()
    worst = max(f["painted_ms"] for f in filters)
    settled = max(f["map_settled_ms"] for f in filters)
    result = {
        "bench": "web_first_sight", "dataset_events": size, "events_loaded": rows,
        "store_build_s": round(build_s, 1),
        "first_events_visible_ms": round(first_ms, 1), "all_events_ms": round(ready_ms, 1),
        "filters": [{k: round(v, 1) if isinstance(v, float) else v for k, v in f.items()} for f in filters],
        "worst_filter_ms": round(worst, 1), "worst_map_settled_ms": round(settled, 1),
        "paste_visible_ms": round(paste_ms, 1),
        "paste_coder": "simple" if coder else "pipeline", "paste_list_requests": len(listed),
        "paste_result": paste_result,
        "targets_met": first_ms <= 1500 and worst <= 300 and not listed,
    }
    if not args.json:
        print(f"{size} events: first visible {first_ms:.0f} ms, all {ready_ms:.0f} ms, worst filter {worst:.0f} ms, "
              f"(map settled {settled:.0f} ms), paste visible {paste_ms:.0f} ms with {len(listed)} list requests",
              file=sys.stderr)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
