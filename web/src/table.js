// The event table: the filtered events by date, a page of rows at a time (fast with 10,000 events).
import { STATUS_WORDS, typeColour } from "./palette.js";

const ROWS = 200;

export class EventTable {
  constructor(table, moreButton, onSelect) {
    this.body = table.tBodies[0];
    this.table = table;
    this.more = moreButton;
    this.onSelect = onSelect;
    this.items = [];
    this.shown = 0;
    this.selected = null;
    this.fresh = new Set(); // dataset events the last pasted article joined
    this.body.addEventListener("click", (event) => {
      const row = event.target.closest("tr[data-id]");
      if (row) this.onSelect(row.dataset.id);
    });
    this.body.addEventListener("keydown", (event) => {
      const row = event.target.closest("tr[data-id]");
      if (row && (event.key === "Enter" || event.key === " ")) {
        event.preventDefault();
        this.onSelect(row.dataset.id);
      }
    });
    this.more.addEventListener("click", () => this.append(ROWS));
  }

  setEvents(items) {
    this.items = items;
    this.shown = 0;
    this.body.replaceChildren();
    this.append(ROWS);
    this.table.dataset.rows = String(items.length);
  }

  append(count) {
    const rows = document.createDocumentFragment();
    const end = Math.min(this.items.length, this.shown + count);
    for (let index = this.shown; index < end; index++) rows.append(this.row(this.items[index].event));
    this.body.append(rows);
    this.shown = end;
    this.more.hidden = this.shown >= this.items.length;
    this.more.textContent = `Show more (${this.items.length - this.shown} left)`;
  }

  row(event) {
    const row = document.createElement("tr");
    row.dataset.id = event.id;
    row.tabIndex = 0;
    if (event.id === this.selected) row.classList.add("selected");
    if (this.fresh.has(event.id)) row.classList.add("new");
    const place = event.location;
    const type = document.createElement("span");
    type.className = "chip";
    type.style.borderColor = typeColour(event.event_type);
    type.textContent = event.event_type;
    const status = document.createElement("span");
    status.className = `status ${event.claim_status}`;
    status.textContent = STATUS_WORDS[event.claim_status] || event.claim_status;
    row.append(
      cell(when(event)), cell(type), cell(who(event), "who"),
      cell(place ? place.name : "", "hide-narrow"), cell(status), cell(confidenceLabel(event.confidence), "confidence"),
      cell(String(event.n_reports || 1), "hide-narrow"),
    );
    return row;
  }

  // Mark the rows of these dataset events as new (from the article just coded).
  mark(ids) {
    this.fresh = new Set(ids);
    for (const row of this.body.rows) row.classList.toggle("new", this.fresh.has(row.dataset.id));
  }

  select(id) {
    this.selected = id;
    for (const row of this.body.querySelectorAll("tr.selected")) row.classList.remove("selected");
    const row = id && this.body.querySelector(`tr[data-id="${CSS.escape(id)}"]`);
    if (row) row.classList.add("selected");
  }
}

export function actorLabel(actor) {
  if (!actor) return "";
  const code = [actor.country, actor.sector].filter(Boolean).join(" ");
  const name = actor.name || actor.text || "";
  return code ? `${name} (${code})` : name;
}

// A confidence (0-1) to two decimals; "–" when the event was never scored.
export function confidenceLabel(confidence) {
  return confidence === null || confidence === undefined ? "–" : Number(confidence).toFixed(2);
}

// The event's date, or the day it was reported (muted) when the text gives none.
function when(event) {
  if (event.date) return event.date;
  const day = document.createElement("span");
  day.className = "muted";
  day.title = "no date in the text: the day it was published";
  day.textContent = event.date_start ? `${event.date_start}*` : "undated";
  return day;
}

function who(event) {
  const actor = actorLabel(event.actor) || "unknown";
  return event.recipient ? `${actor} → ${actorLabel(event.recipient)}` : actor;
}

function cell(content, className) {
  const td = document.createElement("td");
  if (className) td.className = className;
  td.append(content);
  return td;
}
