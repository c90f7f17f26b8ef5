// The page: stream the dataset from the API, then keep map, timeline, table and panel on one filter state,
// which lives in the URL's hash (shareable; kept across reloads and pastes).
import "./style.css";
import { download, exportUrl, fetchCountryNames, fetchEvent, postDocument, streamEvents } from "./api.js";
import { DEFAULTS, EMPTY, datesMatcher, filtersToHash, hashToState, indexEvent, matcher, rangeProblem }
  from "./filters.js";
import { EventMap } from "./map.js";
import { EventPanel } from "./panel.js";
import { EventTable } from "./table.js";
import { Timeline } from "./timeline.js";

const TYPED = new Set(["text", "actor"]); // the form's text boxes
const TYPING_MS = 150;

class App {
  constructor() {
    this.items = [];
    this.byId = new Map();
    this.countries = {};
    const state = hashToState(location.hash);
    // the filters (DEFAULTS' keys) and `include_low`: ask the server for low-confidence events too
    this.filters = { ...state.filters, include_low: state.extra.low === "1" };
    this.loads = 0; // the latest load wins when the checkbox is toggled quickly
    this.selected = null;
    this.opener = null; // what had focus when the panel opened, to go back to on close
    this.form = document.getElementById("filters");
    this.summary = document.getElementById("summary");
    this.state = document.getElementById("state");
    const countryName = (code) => this.countries[code] || code;
    this.map = new EventMap(document.getElementById("map"), {
      onSelect: (id, options) => this.select(id, { ...options, revealRow: true }),
      onMove: () => this.mapMoved(),
      countryName,
    });
    this.timeline = new Timeline(document.getElementById("timeline"), (from, to) => this.brushed(from, to));
    this.table = new EventTable(document.getElementById("events"), {
      onSelect: (id, options) => this.select(id, { ...options, revealMarker: true }),
      countryName,
    });
    if (state.extra.sort) {
      const [key, way] = state.extra.sort.split(".");
      this.table.sortBy(key, way !== "asc");
    }
    this.table.onSort = () => this.writeUrl();
    this.panel = new EventPanel(document.getElementById("panel"), (id) => this.select(id, { revealMarker: true, revealRow: true }),
      () => this.select(null), countryName);
    this.pendingSelect = state.extra.event || null;
    if (state.extra.map) this.map.setView(state.extra.map);
    this.userMovedMap = Boolean(state.extra.map);
    this.writeForm();
    // keys typed into a text box filter the table and timeline at once; the map (the costly part) follows at
    // most every TYPING_MS while typing goes on, and always after the last key
    this.form.addEventListener("input", (event) => this.readForm({ typed: TYPED.has(event.target.name) }));
    this.form.addEventListener("change", () => this.readForm());
    this.form.addEventListener("reset", (event) => {
      event.preventDefault();
      this.setFilters({ ...DEFAULTS }, { fit: true });
      if (this.filters.include_low) this.setIncludeLow(false); // a reset clears it with the other filters
    });
    this.form.addEventListener("submit", (event) => event.preventDefault());
    window.addEventListener("hashchange", () => this.hashChanged());
    new ResizeObserver(() => this.resized()).observe(document.querySelector(".layout"));
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && this.selected) this.select(null);
    });
    for (const link of document.querySelectorAll(".exports a[data-format]")) {
      link.addEventListener("click", (event) => {
        event.preventDefault();
        this.exportAs(link);
      });
    }
    setupPaste(this);
  }

  // Load the dataset from the server, drawing the first page as soon as it comes; resolves when all is in.
  // Country names and map labels are asked for once the first events show: reading the gazetteer takes the
  // server a moment, which must not delay the first sight of the events.
  async start() {
    this.afterFirst = () => {
      this.afterFirst = null;
      this.map.startLabels();
      fetchCountryNames().then((countries) => {
        this.countries = countries;
        this.fillChoices();
        this.table.order(); // place names with their countries
      });
    };
    await this.reload({ fit: !this.userMovedMap });
    if (this.afterFirst) this.afterFirst(); // (the first load failed)
  }

  async reload({ fit = false } = {}) {
    const ticket = ++this.loads;
    const started = performance.now();
    this.loading = true;
    this.failed = null;
    this.items = [];
    this.byId = new Map();
    this.panel.setEvents([]);
    document.body.classList.remove("ready", "failed", "first");
    this.showState();
    let pending = null;
    const flush = () => {
      pending = null;
      if (ticket === this.loads) this.apply({ fit: false });
    };
    try {
      await streamEvents({
        includeLow: this.filters.include_low,
        onPage: (events) => {
          if (ticket !== this.loads) return;
          this.addEvents(events);
          if (!document.body.classList.contains("first")) {
            this.apply({ fit });
            this.firstMs = performance.now() - started;
            this.firstVisibleMs = performance.now(); // from navigation start (the bench reads it)
            document.body.classList.add("first"); // the first events are on screen
            if (this.afterFirst) this.afterFirst();
          } else if (!pending) {
            pending = setTimeout(flush, 400); // the rest joins a few pages at a time
          }
        },
      });
    } catch (error) {
      if (ticket !== this.loads) return;
      clearTimeout(pending);
      this.loading = false;
      this.failed = error.message || String(error);
      this.apply();
      document.body.classList.add("ready", "failed");
      return;
    }
    if (ticket !== this.loads) return;
    clearTimeout(pending);
    this.loading = false;
    this.loadMs = performance.now() - started;
    this.fetchMs = this.loadMs; // (names the render bench reads)
    this.renderMs = this.apply({ fit });
    document.body.dataset.includeLow = String(this.filters.include_low); // what the shown events were asked with
    if (this.pendingSelect && this.byId.has(this.pendingSelect)) this.select(this.pendingSelect, { revealRow: true, revealMarker: !this.userMovedMap });
    this.pendingSelect = null;
    this.readyMs = performance.now(); // from navigation start: every page fetched and drawn (the benches read it)
    document.body.classList.add("ready");
  }

  addEvents(events) {
    for (const event of events) {
      const item = indexEvent(event);
      const known = this.byId.get(event.id);
      if (known) this.items[this.items.indexOf(known)] = item;
      else this.items.push(item);
      this.byId.set(event.id, item);
    }
    this.panel.addEvents(events);
    this.fillChoices();
  }

  // Forget shown events whose reports the new records now hold, or told by the same article (the store
  // re-grouped them, or the article was coded again): ask the server for each; one it no longer has
  // goes, one it still has is shown as it is now.
  async dropRegrouped(records, ids) {
    const fresh = new Set(ids);
    const moved = new Set(records.flatMap((record) => (record.reports || []).map((report) => report.id)));
    const articles = new Set(records.flatMap((record) => record.doc_ids || []));
    const stale = this.items.filter((item) => !fresh.has(item.event.id)
      && ((item.event.reports || []).some((report) => moved.has(report.id))
        || (item.event.doc_ids || []).some((id) => articles.has(id)))).map((item) => item.event.id);
    const answers = await Promise.allSettled(stale.map((id) => fetchEvent(id)));
    const gone = new Set(stale.filter((_, i) => answers[i].status === "rejected"));
    const kept = answers.filter((answer) => answer.status === "fulfilled").map((answer) => answer.value);
    if (gone.size) {
      this.items = this.items.filter((item) => !gone.has(item.event.id));
      for (const id of gone) this.byId.delete(id);
      this.panel.setEvents(this.items.map((item) => item.event));
      if (this.selected && gone.has(this.selected)) this.select(null);
    }
    if (kept.length) this.addEvents(kept);
  }

  // Replace the dataset with these records (a script such as a test may give them); returns ms spent.
  load(events, { fit = true } = {}) {
    const started = performance.now();
    this.items = [];
    this.byId = new Map();
    this.panel.setEvents([]);
    this.addEvents(events);
    this.apply({ fit });
    if (this.selected && !this.byId.has(this.selected)) this.select(null);
    return performance.now() - started;
  }

  // Show (or stop showing) the events under the server's confidence setting: fetch the dataset again.
  async setIncludeLow(on) {
    this.filters.include_low = Boolean(on);
    this.writeForm();
    this.writeUrl();
    await this.reload({ fit: false });
  }

  // Change some filters (keys of DEFAULTS) as if chosen in the form; returns ms spent.
  setFilters(changes, { fit = false } = {}) {
    Object.assign(this.filters, changes);
    this.writeForm();
    this.timeline.setRange(this.filters.date_from, this.filters.date_to);
    return this.apply({ fit });
  }

  // Filter the events and show them; `typed`: a key in a text box (the map may follow a moment later).
  apply({ fit = false, typed = false } = {}) {
    const started = performance.now();
    const problem = rangeProblem(this.filters);
    const bounds = this.filters.area ? this.map.bounds() : null;
    const matchUndated = matcher(this.filters, { skipDates: true, bounds });
    const inDates = datesMatcher(this.filters);
    const shown = [];
    const timeline = [];
    for (const item of this.items) {
      if (!matchUndated(item)) continue;
      timeline.push(item);
      if (!problem && inDates(item)) shown.push(item);
    }
    this.shownItems = shown;
    const matched = performance.now();
    // the table and timeline first: they read the layout the last frame left (the map's new markers would make
    // the browser lay the page out again for those reads), then write; the map only writes
    this.table.setEvents(shown);
    const tabled = performance.now();
    this.timeline.setEvents(timeline);
    this.timeline.setRange(this.filters.date_from, this.filters.date_to);
    const timed = performance.now();
    if (typed) this.mapSoon();
    else this.showOnMap({ fit: fit && !this.filters.area });
    const mapped = performance.now();
    const located = shown.reduce((sum, item) => sum + (item.lat !== null && item.lon !== null), 0);
    const total = this.items.length;
    this.summary.textContent = `${shown.length} of ${total}${this.loading ? "+" : ""} events · ${located} on the map`
      + (this.filters.include_low ? " · low-confidence included" : "");
    this.summary.title = this.summary.textContent;
    this.showProblem(problem);
    this.showState();
    this.updateExports();
    this.writeUrlSoon();
    if (this.selected && !shown.some((item) => item.event.id === this.selected)) this.table.select(null);
    else if (this.selected) this.table.select(this.selected);
    const ended = performance.now();
    // where the time went (the bench prints it)
    this.applyParts = { match_ms: matched - started, table_ms: tabled - matched, timeline_ms: timed - tabled,
      map_ms: mapped - timed, rest_ms: ended - mapped };
    return ended - started;
  }

  showProblem(problem) {
    const box = document.getElementById("range-problem");
    box.hidden = !problem;
    box.replaceChildren();
    for (const name of ["date_from", "date_to"]) {
      this.form.elements.namedItem(name).toggleAttribute("aria-invalid", Boolean(problem));
    }
    if (!problem) return;
    const swap = button("Swap the dates", () => this.setFilters({ date_from: this.filters.date_to, date_to: this.filters.date_from }));
    box.append(`${problem} `, swap);
  }

  // Loading, error (with a retry) and empty states, in words, above the table.
  showState() {
    const box = this.state;
    box.replaceChildren();
    let kind = "";
    if (this.failed) {
      kind = "error";
      box.append(`Cannot load events: ${this.failed}. `, button("Retry", () => this.reload({ fit: true })));
    } else if (this.loading && !this.items.length) {
      kind = "loading";
      box.append("Loading events…");
    } else if (!this.items.length) {
      kind = "empty";
      box.append("The store holds no events yet. Use “Code an article” to add some.");
    } else if (!this.shownItems || !this.shownItems.length) {
      kind = "empty";
      box.append(rangeProblem(this.filters) ? "No events: the date range is reversed. "
        : "No events match these filters. ", button("Clear the filters", () => this.setFilters({ ...DEFAULTS }, { fit: true })));
    } else if (this.loading) {
      kind = "loading";
      box.append(`Loading more events… (${this.items.length} so far)`);
    }
    box.dataset.state = kind;
    box.hidden = !kind;
    document.body.dataset.state = kind || "shown";
  }

  brushed(from, to) {
    this.filters.date_from = from;
    this.filters.date_to = to;
    this.writeForm();
    this.apply();
  }

  mapMoved() {
    this.userMovedMap = true;
    if (this.filters.area) this.apply();
    else this.writeUrl();
  }

  readForm({ typed = false } = {}) {
    const data = new FormData(this.form);
    const before = { ...this.filters };
    for (const key of Object.keys(DEFAULTS)) this.filters[key] = String(data.get(key) || "");
    const includeLow = data.get("include_low") !== null;
    const changed = Object.keys(DEFAULTS).some((key) => before[key] !== this.filters[key]);
    if (changed) {
      this.timeline.setRange(this.filters.date_from, this.filters.date_to);
      this.apply({ typed });
      if (!this.filters.area && before.area === this.filters.area) this.scheduleFit();
    }
    if (includeLow !== this.filters.include_low) this.setIncludeLow(includeLow);
  }

  // Show the filtered events on the map now if it was not redrawn in the last TYPING_MS, else once that time is
  // up (`mapDue` says a redraw waits).
  mapSoon() {
    if (this.mapTimer) {
      this.mapDue = true;
      return;
    }
    this.showOnMap();
    this.mapTimer = setTimeout(() => {
      this.mapTimer = null;
      if (this.mapDue) this.mapSoon();
    }, TYPING_MS);
  }

  showOnMap({ fit = false } = {}) {
    this.mapDue = false;
    this.map.setEvents(this.shownItems, { fit });
  }

  // After the filters settle, fit the map to what they leave (not while typing each letter).
  scheduleFit() {
    clearTimeout(this.fitTimer);
    this.fitTimer = setTimeout(() => this.map.fit(), 600);
  }

  writeForm() {
    for (const key of Object.keys(DEFAULTS)) {
      const field = this.form.elements.namedItem(key);
      if (!field) continue;
      if (field.type === "checkbox") field.checked = Boolean(this.filters[key]);
      else if (field.value !== this.filters[key]) {
        if (field.tagName === "SELECT" && ![...field.options].some((o) => o.value === this.filters[key])) {
          field.append(new Option(this.filters[key], this.filters[key]));
        }
        field.value = this.filters[key];
      }
    }
    this.form.elements.namedItem("include_low").checked = this.filters.include_low;
  }

  // Write the URL once the next frame is painted: the browser's history call takes time a filter need not wait for.
  writeUrlSoon() {
    if (this.urlDue) return;
    this.urlDue = true;
    requestAnimationFrame(() => setTimeout(() => {
      if (this.urlDue) this.writeUrl();
    }, 0));
  }

  writeUrl() {
    this.urlDue = false;
    const hash = filtersToHash(this.filters, {
      low: this.filters.include_low ? "1" : "",
      sort: this.table.sort.key === "date" && this.table.sort.descending ? ""
        : `${this.table.sort.key}.${this.table.sort.descending ? "desc" : "asc"}`,
      event: this.selected || "",
      map: this.userMovedMap ? this.map.view() : "",
    });
    if (location.hash.slice(1) !== hash) {
      this.ownHash = hash;
      history.replaceState(null, "", hash ? `#${hash}` : location.pathname + location.search);
    }
  }

  hashChanged() {
    if (location.hash.slice(1) === this.ownHash) return;
    const state = hashToState(location.hash);
    const low = state.extra.low === "1";
    this.setFilters(state.filters);
    if (state.extra.map) this.map.setView(state.extra.map);
    if (state.extra.event && this.byId.has(state.extra.event)) this.select(state.extra.event, { revealRow: true });
    if (low !== this.filters.include_low) this.setIncludeLow(low);
  }

  fillChoices() {
    const types = new Set();
    const countries = new Set();
    const modes = new Set();
    for (const item of this.items) {
      types.add(item.event.event_type);
      if (item.event.mode) modes.add(item.event.mode);
      for (const code of item.countries) countries.add(code);
    }
    const name = (code) => (this.countries[code] ? `${this.countries[code]} (${code})` : code);
    fillSelect(this.form.elements.namedItem("event_type"), [...types].sort(), this.filters.event_type);
    fillSelect(this.form.elements.namedItem("mode"), [...modes].sort(), this.filters.mode);
    fillSelect(this.form.elements.namedItem("country"),
      [...countries].sort((a, b) => name(a).localeCompare(name(b))), this.filters.country, name);
  }

  updateExports() {
    const bbox = this.filters.area ? this.map.bbox() : null;
    for (const link of document.querySelectorAll(".exports a[data-format]")) {
      link.href = exportUrl(link.dataset.format, this.filters, bbox);
    }
    const note = document.getElementById("export-note");
    if (!note.dataset.busy) note.textContent = ""; // (a saved or failed export's words go with the filters)
  }

  // Fetch the export and save it, staying on the page; a server that is down gets a message, not an error page.
  async exportAs(link) {
    const note = document.getElementById("export-note");
    note.dataset.busy = "1";
    note.className = "note";
    note.textContent = `preparing ${link.dataset.format.toUpperCase()}…`;
    try {
      const size = await download(link.href, `events.${link.dataset.format}`);
      note.textContent = `saved events.${link.dataset.format} (${Math.max(1, Math.round(size / 1024))} kB)`;
      note.dataset.done = link.dataset.format;
    } catch (error) {
      note.className = "note error";
      note.textContent = `Export failed: ${error.message}. `;
      note.append(button("Retry", () => this.exportAs(link)));
    } finally {
      delete note.dataset.busy;
    }
  }

  select(id, { revealRow = false, revealMarker = false, focus = false, from = null } = {}) {
    const opening = id && !this.selected;
    if (opening || focus) this.opener = from || (document.activeElement !== document.body ? document.activeElement : null);
    this.selected = id;
    const item = id && this.byId.get(id);
    this.table.select(id, { reveal: revealRow });
    const panelOpen = Boolean(item);
    document.body.classList.toggle("panel-open", panelOpen);
    if (item) this.panel.show(item.event);
    else this.panel.hide();
    const panelBox = document.getElementById("panel").getBoundingClientRect();
    const mapBox = document.getElementById("map").getBoundingClientRect();
    const clearLeft = panelOpen && panelBox.left <= mapBox.left + 1 ? Math.min(panelBox.width, mapBox.width / 2) : 0;
    this.map.select(id, { reveal: revealMarker, clearLeft });
    if (item && focus) this.panel.focus();
    if (!item && this.returnFocus) this.returnFocus();
    this.returnFocus = item ? () => this.backToOpener(id) : null;
    this.writeUrl();
  }

  // Give focus back to what opened the panel (its row or marker when that was redrawn meanwhile).
  backToOpener(id) {
    const opener = this.opener;
    this.opener = null;
    this.returnFocus = null;
    if (opener && opener.isConnected) {
      opener.focus();
      return;
    }
    const row = this.table.reveal(id);
    if (row) row.focus();
  }

  resized() {
    this.map.resize();
    this.table.resized(); // (the timeline watches its own size)
  }
}

function button(text, onClick) {
  const node = document.createElement("button");
  node.type = "button";
  node.textContent = text;
  node.addEventListener("click", onClick);
  return node;
}

// Keep the chosen value as a choice even when no event has it now (e.g. low-confidence events switched off),
// so the form shows the filter that is applied.
function fillSelect(select, values, current, label = (value) => value) {
  const choices = current && !values.includes(current) ? [...values, current] : values;
  const options = [new Option("all", "")];
  for (const value of choices) options.push(new Option(label(value), value));
  select.replaceChildren(...options);
  select.value = current;
}

function setupPaste(app) {
  const form = document.getElementById("paste");
  const toggle = document.getElementById("paste-toggle");
  const token = document.getElementById("paste-token");
  const result = document.getElementById("paste-result");
  token.value = sessionStorage.getItem("eventcoder-token") || "";
  toggle.addEventListener("click", () => {
    form.hidden = !form.hidden;
    toggle.setAttribute("aria-expanded", String(!form.hidden));
    if (!form.hidden) document.getElementById("paste-text").focus();
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button_ = document.getElementById("paste-submit");
    const body = { text: document.getElementById("paste-text").value };
    for (const [field, key] of [["paste-published", "published"], ["paste-publisher", "publisher"],
      ["paste-title", "title"], ["paste-url", "url"]]) {
      const value = document.getElementById(field).value.trim();
      if (value) body[key] = value;
    }
    sessionStorage.setItem("eventcoder-token", token.value);
    button_.disabled = true;
    result.className = "result";
    result.hidden = false;
    delete result.dataset.ids;
    result.textContent = "coding…";
    try {
      const started = performance.now();
      const coded = await postDocument(body, token.value);
      // add the article's dataset events to those shown: no reload of the store, the filters stay
      const records = await Promise.all(coded.dataset_ids.map((id) => fetchEvent(id)));
      await app.dropRegrouped(records, coded.dataset_ids);
      app.addEvents(records);
      app.table.mark(coded.dataset_ids);
      app.apply();
      app.pasteMs = performance.now() - started;
      const shownIds = new Set(app.shownItems.map((item) => item.event.id));
      const hidden = coded.dataset_ids.filter((id) => !shownIds.has(id));
      result.textContent = `Coded ${coded.events} event${coded.events === 1 ? "" : "s"}; `
        + `${coded.dataset_ids.length} dataset event${coded.dataset_ids.length === 1 ? "" : "s"} marked new in the table.`
        + (hidden.length ? ` ${hidden.length} of them ${hidden.length === 1 ? "is" : "are"} hidden by the filters. ` : "")
        + (coded.notices && coded.notices.length ? ` Note: ${coded.notices.join(" ")}` : "");
      if (hidden.length) result.append(button("Show all of them", () => app.setFilters({ ...EMPTY }, { fit: true })));
      result.dataset.ids = coded.dataset_ids.join(" ");
      form.hidden = true; // give the screen back to the map and the table
      toggle.setAttribute("aria-expanded", "false");
      const first = coded.dataset_ids.find((id) => shownIds.has(id)) || coded.dataset_ids[0];
      if (first) app.select(first, { revealRow: true, revealMarker: true });
    } catch (error) {
      result.className = "result error";
      result.textContent = `Not coded: ${error.message}`;
    } finally {
      button_.disabled = false;
    }
  });
}

const app = new App();
window.eventcoder = app; // for scripts: tests and the bench drive the same object the page uses
app.start();
