// The page: load the dataset from the API, then keep map, timeline, table and panel on one filter state.
import "./style.css";
import { exportUrl, fetchAllEvents, postDocument } from "./api.js";
import { EMPTY, indexEvent, matcher } from "./filters.js";
import { EventMap } from "./map.js";
import { EventPanel } from "./panel.js";
import { EventTable } from "./table.js";
import { Timeline } from "./timeline.js";

class App {
  constructor() {
    this.items = [];
    this.byId = new Map();
    // the client-side filters (EMPTY's keys) and `include_low`: ask the server for low-confidence events too
    this.filters = { ...EMPTY, include_low: false };
    this.loads = 0; // the latest reload wins when the checkbox is toggled quickly
    this.selected = null;
    this.form = document.getElementById("filters");
    this.summary = document.getElementById("summary");
    this.map = new EventMap(document.getElementById("map"), (id) => this.select(id));
    this.timeline = new Timeline(document.getElementById("timeline"), (from, to) => this.brushed(from, to));
    this.table = new EventTable(document.getElementById("events"), document.getElementById("more"),
      (id) => this.select(id, { reveal: true }));
    this.panel = new EventPanel(document.getElementById("panel"), (id) => this.select(id, { reveal: true }),
      () => this.select(null));
    this.form.addEventListener("input", () => this.readForm());
    this.form.addEventListener("reset", () => setTimeout(() => this.readForm(), 0));
    this.form.addEventListener("submit", (event) => event.preventDefault());
    new ResizeObserver(() => this.resized()).observe(document.querySelector(".layout"));
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && this.selected) this.select(null);
    });
    setupPaste(this);
  }

  // Replace the dataset (from the API, or given by a script such as the bench); returns ms spent.
  load(events, { fit = true } = {}) {
    const started = performance.now();
    this.items = events.map(indexEvent);
    this.byId = new Map(this.items.map((item) => [item.event.id, item]));
    this.panel.setEvents(events);
    this.fillChoices();
    this.apply({ fit });
    if (this.selected && !this.byId.has(this.selected)) this.select(null);
    return performance.now() - started;
  }

  async reload(options) {
    const started = performance.now();
    const ticket = ++this.loads;
    const events = await fetchAllEvents({ includeLow: this.filters.include_low });
    if (ticket !== this.loads) return events.length; // a later reload (another filter) is on its way
    this.fetchMs = performance.now() - started;
    this.renderMs = this.load(events, options);
    document.body.dataset.includeLow = String(this.filters.include_low); // what the shown events were asked with
    return events.length;
  }

  // Show (or stop showing) the events under the server's confidence setting: fetch the dataset again.
  async setIncludeLow(on) {
    this.filters.include_low = Boolean(on);
    this.writeForm();
    this.updateExports();
    try {
      await this.reload({ fit: false });
    } catch (error) {
      this.summary.textContent = `Cannot load events: ${error.message}`;
    }
  }

  // Change some filters (keys of EMPTY) as if typed in the form; returns ms spent.
  setFilters(changes) {
    Object.assign(this.filters, changes);
    this.writeForm();
    this.timeline.setRange(this.filters.date_from, this.filters.date_to);
    return this.apply();
  }

  apply({ fit = false } = {}) {
    const started = performance.now();
    const match = matcher(this.filters);
    const matchUndated = matcher(this.filters, { skipDates: true });
    const shown = [];
    const timeline = [];
    for (const item of this.items) {
      if (!matchUndated(item)) continue;
      timeline.push(item);
      if (match(item)) shown.push(item);
    }
    this.shownItems = shown;
    const located = this.map.setEvents(shown, { fit });
    this.table.setEvents(shown);
    this.timeline.setEvents(timeline);
    this.summary.textContent = `${shown.length} of ${this.items.length} events · ${located} on the map`
      + (this.filters.include_low ? " · low-confidence included" : "");
    this.updateExports();
    return performance.now() - started;
  }

  brushed(from, to) {
    this.filters.date_from = from;
    this.filters.date_to = to;
    this.writeForm();
    this.apply();
  }

  readForm() {
    const data = new FormData(this.form);
    for (const key of Object.keys(EMPTY)) this.filters[key] = String(data.get(key) || "");
    this.timeline.setRange(this.filters.date_from, this.filters.date_to);
    this.apply();
    const includeLow = data.get("include_low") !== null;
    if (includeLow !== this.filters.include_low) this.setIncludeLow(includeLow);
  }

  writeForm() {
    for (const key of Object.keys(EMPTY)) {
      const field = this.form.elements.namedItem(key);
      if (field && field.value !== this.filters[key]) field.value = this.filters[key];
    }
    this.form.elements.namedItem("include_low").checked = this.filters.include_low;
  }

  fillChoices() {
    const types = new Set();
    const countries = new Set();
    for (const item of this.items) {
      types.add(item.event.event_type);
      for (const code of item.countries) countries.add(code);
    }
    fillSelect(this.form.elements.namedItem("event_type"), [...types].sort(), this.filters.event_type);
    fillSelect(this.form.elements.namedItem("country"), [...countries].sort(), this.filters.country);
  }

  updateExports() {
    for (const link of document.querySelectorAll(".exports a[data-format]")) {
      link.href = exportUrl(link.dataset.format, this.filters);
    }
    document.getElementById("export-note").textContent = this.filters.text
      ? "(the text search is not part of the export)" : "";
  }

  select(id, { reveal = false } = {}) {
    this.selected = id;
    this.table.select(id);
    this.map.select(id, { reveal });
    const item = id && this.byId.get(id);
    if (item) this.panel.show(item.event);
    else this.panel.hide();
    document.body.classList.toggle("panel-open", Boolean(item));
  }

  resized() {
    this.map.resize();
    this.timeline.draw();
  }
}

// Keep the chosen value as a choice even when no event has it now (e.g. low-confidence events switched off),
// so the form shows the filter that is applied.
function fillSelect(select, values, current) {
  const choices = current && !values.includes(current) ? [...values, current].sort() : values;
  const options = [new Option("all", "")];
  for (const value of choices) options.push(new Option(value, value));
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
    const button = document.getElementById("paste-submit");
    const body = { text: document.getElementById("paste-text").value };
    const published = document.getElementById("paste-published").value;
    const publisher = document.getElementById("paste-publisher").value.trim();
    if (published) body.published = published;
    if (publisher) body.publisher = publisher;
    sessionStorage.setItem("eventcoder-token", token.value);
    button.disabled = true;
    result.className = "result";
    result.hidden = false;
    delete result.dataset.ids;
    result.textContent = "coding…";
    try {
      const coded = await postDocument(body, token.value);
      await app.reload({ fit: false });
      app.setFilters({ ...EMPTY });
      app.table.mark(coded.dataset_ids);
      result.textContent = `Coded ${coded.events} event${coded.events === 1 ? "" : "s"}; `
        + `${coded.dataset_ids.length} dataset event${coded.dataset_ids.length === 1 ? "" : "s"} marked new in the table.`
        + (coded.notices && coded.notices.length ? ` Note: ${coded.notices.join(" ")}` : "");
      result.dataset.ids = coded.dataset_ids.join(" ");
      form.hidden = true; // give the screen back to the map and the table
      toggle.setAttribute("aria-expanded", "false");
      if (coded.dataset_ids.length) app.select(coded.dataset_ids[0], { reveal: true });
    } catch (error) {
      result.className = "result error";
      result.textContent = `Not coded: ${error.message}`;
    } finally {
      button.disabled = false;
    }
  });
}

const app = new App();
window.eventcoder = app; // for scripts: tests and the bench drive the same object the page uses
app.reload().then(
  () => {
    app.readyMs = performance.now(); // from navigation start: fetch, parse and first render (the bench reads it)
    document.body.classList.add("ready");
  },
  (error) => {
    app.summary.textContent = `Cannot load events: ${error.message}`;
    document.body.classList.add("ready", "failed");
  },
);
