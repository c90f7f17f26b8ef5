"""The web page against the real server and a real store of 10,000 events: first sight, filters and a paste.

Usage: PYTHONPATH=src .venv/bin/python bench/web_first_sight.py [--events N] [--simple-coder] [--json]

Builds a SQLite store of N dataset events (synthetic articles saved through Store.save, so /events answers from
the store as in use), serves it with the real API app (uvicorn), opens the page in Debian's chromium at
1280x800 and prints:
- first_events_visible_ms: navigation start to the first page of events drawn (target: 1,500 ms or less);
- all_events_ms: navigation start to every page fetched and drawn;
- each filter's time from the change to the next painted frame, the table, timeline and first map markers
  drawn (target: 300 ms or less; the median of --repeats runs, each from the same start), the page's main
  thread CPU time for it, where apply() spent it (matching, map, table, timeline) and the time to the map's
  last marker batch (map_settled_ms): every filter of the form, the map area (set, then the map panned), keys
  typed into the text and actor boxes (timed from the last key) and two sorts;
- paste_visible_ms: submitting an article in the page to its event selected in the table, and how many
  GET /events list requests the paste made (a full reload would make one per page; the target is none).
The pasted article is coded by the real pipeline unless --simple-coder (one event per article, no models).
Each figure is printed with PASS or FAIL against its target and the load average before and after (stderr),
then the JSON line (stdout).
"""

from __future__ import annotations

import argparse
import json
import os
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

# Run in the page before each timed change (not timed): set the filters, sort and map view it starts from, then
# wait until the map is settled.
PREPARE = """async ({filters, sort, view}) => {
  const app = window.eventcoder;
  if (filters) app.setFilters(filters);
  if (sort) app.table.sortBy(sort[0], sort[1]);
  if (view) app.map.setView(view);
  await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
  const map = document.querySelector("#map");
  while (map.dataset.settled !== "1" || app.mapDue) await new Promise((done) => setTimeout(done, 10));
}"""
# Run in the page: apply one change as the page's controls do (a filter, a sort, a map move, keys typed into a
# text box), then wait for the frame after it to be painted (typed keys: the table and timeline; the map follows
# within the page's TYPING_MS, counted in map_settled_ms).
MEASURE = """async (change) => {
  const app = window.eventcoder;
  const frame = () => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
  const sleep = (ms) => new Promise((done) => setTimeout(done, ms));
  app.applyParts = null;
  let started = performance.now();
  let keys_ms = 0;
  if (change.sort) app.table.sortBy(change.sort, change.descending);
  else if (change.pan) app.map.setView(change.pan); // moveend: the page filters by the new area
  else if (change.typed) { // one key at a time, KEY_GAP_MS apart; timed from the last key
    const field = document.querySelector(`#filters [name=${change.typed}]`);
    for (let n = 1; n <= change.text.length; n++) {
      started = performance.now();
      field.value = change.text.slice(0, n);
      field.dispatchEvent(new Event("input", { bubbles: true }));
      keys_ms = Math.max(keys_ms, performance.now() - started);
      if (n < change.text.length) await sleep(change.gap);
    }
  } else app.setFilters(change.filters);
  await frame();
  const painted = performance.now() - started;
  return {painted_ms: painted, longest_key_ms: keys_ms, started_at: started, ...(app.applyParts || {}),
          rows: Number(document.querySelector("#events").dataset.rows),
          markers: Number(document.querySelector("#map").dataset.markers)};
}"""
SETTLE = """async () => {
  const map = document.querySelector("#map");
  while (map.dataset.settled !== "1" || window.eventcoder.mapDue) await new Promise((done) => setTimeout(done, 10));
  return window.eventcoder.map.settledAt;
}"""
CLEAR = {"event_type": "", "country": "", "actor": "", "status": "", "date_from": "", "date_to": "", "text": "",
         "modality": "asserted", "mode": "", "fatalities": "", "min_conf": "", "area": ""}
VIEW = "2/20.000/10.000"  # the page's first view (the whole world)
ZOOMED = "4/15.000/40.000"  # a view of the Middle East and East Africa, for the map area filter
KEY_GAP_MS = 80  # a fast typist
FIRST_TARGET_MS = 1500
FILTER_TARGET_MS = 300
# (name, where it starts from, the change): every filter of the page's form, the map area, keys typed, sorts
CHANGES: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    ("type ASSAULT", {}, {"filters": {"event_type": "ASSAULT"}}),
    ("country SDN", {}, {"filters": {"country": "SDN"}}),
    ("actor substring 'support'", {}, {"filters": {"actor": "support"}}),
    ("status disputed", {}, {"filters": {"status": "disputed"}}),
    ("modality: every one", {}, {"filters": {"modality": ""}}),
    ("modality negated", {}, {"filters": {"modality": "negated"}}),
    ("mode shelling", {}, {"filters": {"mode": "shelling"}}),
    ("fatalities: dead", {}, {"filters": {"fatalities": "dead"}}),
    ("fatalities: dead or hurt", {}, {"filters": {"fatalities": "hurt"}}),
    ("confidence >= 0.7", {}, {"filters": {"min_conf": "0.7"}}),
    ("date range 30 days", {}, {"filters": {"date_from": "2023-02-01", "date_to": "2023-03-02"}}),
    ("text search 'sudan'", {}, {"filters": {"text": "sudan"}}),
    ("text search 'place 07 afp'", {}, {"filters": {"text": "place 07 afp"}}),
    ("map area (zoomed in)", {"view": ZOOMED}, {"filters": {"area": "1"}}),
    ("map area, map panned", {"view": ZOOMED, "filters": {"area": "1"}}, {"pan": "4/10.000/70.000"}),
    ("type + date + text", {}, {"filters": {"event_type": "ASSAULT", "date_from": "2023-03-01",
                                            "date_to": "2023-05-31", "text": "armenia"}}),
    ("clear (from type ASSAULT)", {"filters": {"event_type": "ASSAULT"}}, {"filters": CLEAR}),
    ("text typed 'sudan place 1'", {}, {"typed": "text", "text": "sudan place 1", "gap": KEY_GAP_MS}),
    ("actor typed 'rapid'", {}, {"typed": "actor", "text": "rapid", "gap": KEY_GAP_MS}),
    ("sort by confidence", {}, {"sort": "confidence", "descending": True}),
    ("sort by date", {"sort": ["confidence", True]}, {"sort": "date", "descending": True}),
]


def measure(page: Any, cdp: Any, start: dict[str, Any], change: dict[str, Any], repeats: int) -> dict[str, Any]:
    """Time one change ``repeats`` times from the same start; return the median run, with the renderer's main
    thread CPU time (``cpu_ms``) and when the map's last marker batch was drawn (``map_settled_ms``)."""
    runs = []
    for _ in range(repeats):
        page.evaluate(PREPARE, {"filters": {**CLEAR, **start.get("filters", {})},
                                "sort": start.get("sort", ["date", True]), "view": start.get("view", VIEW)})
        cpu = thread_ms(cdp)
        run = page.evaluate(MEASURE, change)
        began = run.pop("started_at")  # the change (typed: the last key)
        after = thread_ms(cdp)
        run["cpu_ms"] = after - cpu if cpu is not None and after is not None else None
        run["map_settled_ms"] = max(0.0, page.evaluate(SETTLE) - began)
        runs.append(run)
    runs.sort(key=lambda r: r["painted_ms"])
    middle = runs[len(runs) // 2]
    return {**middle, "best_ms": runs[0]["painted_ms"], "worst_ms": runs[-1]["painted_ms"]}


def thread_ms(cdp: Any) -> float | None:
    """The renderer's main thread CPU time so far (Chrome's ThreadTime metric), in ms; None if not reported."""
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    return metrics["ThreadTime"] * 1000 if "ThreadTime" in metrics else None


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
    parser.add_argument("--repeats", type=int, default=3, help="times each change is timed (the median is kept)")
    parser.add_argument("--simple-coder", action="store_true", help="code the pasted article without the models")
    parser.add_argument("--json", action="store_true", help="print only the JSON line")
    args = parser.parse_args()

    from _browser import chromium_or_exit
    from playwright.sync_api import sync_playwright

    from eventcoder.api import create_app
    from eventcoder.config import load_config
    from live_server import TOKEN, live_server

    chromium = chromium_or_exit()
    load_before = os.getloadavg()
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
            cdp = page.context.new_cdp_session(page)
            cdp.send("Performance.enable")
            page.goto(url + "/")
            page.wait_for_selector("body.first", timeout=120_000)
            page.wait_for_selector("body.ready", timeout=300_000)
            first_ms, ready_ms, rows = page.evaluate(
                "[window.eventcoder.firstVisibleMs, window.eventcoder.readyMs, window.eventcoder.items.length]")
            # the filters are timed once the page is idle: the detailed outlines (drawn after the first events) and
            # the first place labels in
            page.wait_for_function("document.querySelector('#map').dataset.outlines === '50m' "
                                   "&& document.querySelector('#map').dataset.labels !== undefined", timeout=120_000)
            filters = [{"filter": name, **measure(page, cdp, start, change, args.repeats)}
                       for name, start, change in CHANGES]
            page.evaluate(PREPARE, {"filters": CLEAR, "sort": ["date", True], "view": VIEW})
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
    load_after = os.getloadavg()
    worst = max(f["painted_ms"] for f in filters)
    settled = max(f["map_settled_ms"] for f in filters)
    result = {
        "bench": "web_first_sight", "dataset_events": size, "events_loaded": rows,
        "store_build_s": round(build_s, 1), "repeats": args.repeats,
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
        "first_events_visible_ms": round(first_ms, 1), "all_events_ms": round(ready_ms, 1),
        "filters": [{k: round(v, 1) if isinstance(v, float) else v for k, v in f.items()} for f in filters],
        "worst_filter_ms": round(worst, 1), "worst_map_settled_ms": round(settled, 1),
        "paste_visible_ms": round(paste_ms, 1),
        "paste_coder": "simple" if coder else "pipeline", "paste_list_requests": len(listed),
        "paste_result": paste_result,
        "targets_met": first_ms <= FIRST_TARGET_MS and worst <= FILTER_TARGET_MS and not listed,
    }
    if not args.json:
        report(result)
    print(json.dumps(result))


def report(result: dict[str, Any]) -> None:
    """Print each figure against its target, with the machine's load, to stderr."""
    def verdict(ok: bool) -> str:
        return "PASS" if ok else "FAIL"

    def number(value: float | None) -> str:
        return "-" if value is None else f"{value:.0f}"

    out = sys.stderr
    print(f"load average (1, 5, 15 min): before {result['load_average_before']}, after "
          f"{result['load_average_after']}  (on {os.cpu_count()} CPUs; wall times grow with it, CPU less)", file=out)
    first = result["first_events_visible_ms"]
    print(f"{result['dataset_events']} events; first events visible {first:.0f} ms (target <= {FIRST_TARGET_MS}) "
          f"{verdict(first <= FIRST_TARGET_MS)}; all events in {result['all_events_ms']:.0f} ms", file=out)
    print(f"filters (median of {result['repeats']}; painted: the change to the next frame, target <= "
          f"{FILTER_TARGET_MS} ms, typed: from the last key; cpu: the page's main thread (typed: every key); apply: "
          "match/table/timeline/map ms):", file=out)
    for f in result["filters"]:
        parts = "/".join(number(f.get(k)) for k in ("match_ms", "table_ms", "timeline_ms", "map_ms"))
        keys = f" longest key {f['longest_key_ms']:.0f} ms" if f.get("longest_key_ms") else ""
        print(f"  {f['filter']:<30} painted {f['painted_ms']:>5.0f} ms (best {f['best_ms']:.0f}, worst "
              f"{f['worst_ms']:.0f}) cpu {number(f['cpu_ms']):>4} ms apply {parts:<15} rows {f['rows']:>5} "
              f"map settled {f['map_settled_ms']:.0f} ms{keys}  {verdict(f['painted_ms'] <= FILTER_TARGET_MS)}",
              file=out)
    listed = result["paste_list_requests"]
    print(f"paste visible {result['paste_visible_ms']:.0f} ms ({result['paste_coder']} coder) with {listed} list "
          f"requests (target: none, no full reload) {verdict(listed == 0)}", file=out)
    print(f"targets met: {result['targets_met']}", file=out)


if __name__ == "__main__":
    main()
