// The event table: every filtered event, sortable by any column, drawn a screenful at a time (virtual rows:
// 10,000 events scroll like 40), so any event is reachable and a selected one is scrolled into view.
import { MODALITY_WORDS, STATUS_WORDS, inkOn, typeColour } from "./palette.js";

const OVERSCAN = 8;
const STATUS_ORDER = { disputed: 0, corroborated: 1, uncontested: 2 };

// column key -> how it sorts (a value compared ascending; missing values sort last)
const SORTS = {
  date: (item) => item.start || "",
  type: (item) => item.event.event_type,
  who: (item) => actorLabel(item.event.actor).toLowerCase(),
  place: (item) => (item.event.location ? item.event.location.name.toLowerCase() : ""),
  article: (item) => articleOf(item.event).outlet.toLowerCase(),
  status: (item) => STATUS_ORDER[item.event.claim_status] ?? 3,
  confidence: (item) => (item.event.confidence == null ? -1 : item.event.confidence),
  reports: (item) => item.event.n_reports || 1,
};

export class EventTable {
  constructor(table, { onSelect, countryName }) {
    this.table = table;
    this.body = table.tBodies[0];
    this.scroller = table.closest(".table-scroll");
    this.onSelect = onSelect;
    this.countryName = countryName;
    this.items = [];
    this.sorted = [];
    this.sort = { key: "date", descending: true }; // newest first
    this.selected = null;
    this.fresh = new Set(); // dataset events the last pasted article joined
    this.rowHeight = 0;
    this.window = [-1, -1];
    this.body.addEventListener("click", (event) => {
      if (event.target.closest("a")) return; // the article link opens the article
      const row = event.target.closest("tr[data-id]");
      if (row) this.onSelect(row.dataset.id, { from: row });
    });
    this.body.addEventListener("keydown", (event) => {
      const row = event.target.closest("tr[data-id]");
      if (!row || event.target.closest("a")) return;
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        this.onSelect(row.dataset.id, { focus: true, from: row });
      } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        this.moveFocus(row.dataset.id, event.key === "ArrowDown" ? 1 : -1);
      }
    });
    for (const header of table.tHead.querySelectorAll("th[data-sort]")) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      button.append(...header.childNodes);
      header.append(button);
      button.addEventListener("click", () => this.sortBy(header.dataset.sort));
    }
    this.scroller.addEventListener("scroll", () => this.draw(), { passive: true });
    new ResizeObserver(() => {
      this.headSize = 0;
    }).observe(table.tHead);
    this.showSort();
  }

  setEvents(items) {
    this.items = items;
    this.order();
  }

  sortBy(key, descending) {
    if (descending === undefined) descending = this.sort.key === key ? !this.sort.descending : key !== "type" && key !== "who" && key !== "place" && key !== "article";
    this.sort = { key, descending };
    this.showSort();
    this.order();
    this.onSort?.(this.sort);
  }

  showSort() {
    for (const header of this.table.tHead.querySelectorAll("th[data-sort]")) {
      const on = header.dataset.sort === this.sort.key;
      header.setAttribute("aria-sort", on ? (this.sort.descending ? "descending" : "ascending") : "none");
    }
  }

  order() {
    const value = SORTS[this.sort.key] || SORTS.date;
    const keyed = this.items.map((item) => [value(item), item]);
    const sign = this.sort.descending ? -1 : 1;
    keyed.sort((a, b) => {
      const [x, y] = [a[0], b[0]];
      if (x === y) return a[1].event.id < b[1].event.id ? -1 : 1;
      if (x === "" || x === -1) return 1; // missing values last either way
      if (y === "" || y === -1) return -1;
      return (x < y ? -1 : 1) * sign;
    });
    this.sorted = keyed.map((pair) => pair[1]);
    this.position = new Map(this.sorted.map((item, index) => [item.event.id, index]));
    this.table.dataset.rows = String(this.sorted.length);
    this.window = [-1, -1];
    this.draw();
  }

  measure() {
    if (this.rowHeight) return this.rowHeight;
    // a probe row added beside the others (emptying the body would collapse it and lose the scroll position)
    const probe = this.row(this.sorted[0].event);
    this.body.append(probe);
    this.rowHeight = Math.max(24, probe.getBoundingClientRect().height || 32);
    probe.remove();
    return this.rowHeight;
  }

  // Draw the rows in view (and a few more), with spacers standing for the rest.
  draw() {
    const total = this.sorted.length;
    if (!total) {
      this.body.replaceChildren();
      this.window = [0, 0];
      return;
    }
    const height = this.measure();
    const headHeight = this.headHeight();
    const top = Math.max(0, this.scroller.scrollTop - headHeight);
    const first = Math.max(0, Math.floor(top / height) - OVERSCAN);
    const last = Math.min(total, Math.ceil((top + (this.scroller.clientHeight || 600)) / height) + OVERSCAN);
    if (first === this.window[0] && last === this.window[1]) return;
    const focused = document.activeElement && document.activeElement.closest
      && document.activeElement.closest("tr[data-id]");
    const focusedId = focused && this.body.contains(focused) ? focused.dataset.id : null;
    this.window = [first, last];
    // a spacer spans the columns shown (spanning hidden ones too would add phantom columns to the table)
    this.span ||= [...this.table.tHead.rows[0].cells].filter((th) => getComputedStyle(th).display !== "none").length;
    const span = this.span;
    const rows = [spacer(first * height, span)];
    for (let index = first; index < last; index++) rows.push(this.row(this.sorted[index].event, index));
    rows.push(spacer((total - last) * height, span));
    this.body.replaceChildren(...rows);
    if (focusedId) this.rowOf(focusedId)?.focus({ preventScroll: true });
  }

  // The header's height, measured once per size (resized() forgets it, with the columns shown).
  headHeight() {
    this.headSize ||= this.table.tHead.getBoundingClientRect().height;
    return this.headSize;
  }

  resized() {
    this.rowHeight = 0;
    this.headSize = 0;
    this.span = 0;
    this.window = [-1, -1];
    this.draw();
  }

  rowOf(id) {
    return id ? this.body.querySelector(`tr[data-id="${CSS.escape(id)}"]`) : null;
  }

  // Scroll so the event's row shows; returns the row (or null when the event is filtered out).
  reveal(id) {
    const index = this.position.get(id);
    if (index === undefined) return null;
    const height = this.measure();
    const headHeight = this.headHeight();
    const rowTop = headHeight + index * height;
    const view = this.scroller.clientHeight;
    if (rowTop < this.scroller.scrollTop + headHeight || rowTop + height > this.scroller.scrollTop + view) {
      this.scroller.scrollTop = Math.max(0, rowTop - headHeight - Math.max(0, (view - headHeight) / 3));
    }
    this.draw();
    return this.rowOf(id);
  }

  moveFocus(id, step) {
    const index = this.position.get(id);
    const next = this.sorted[index + step];
    if (!next) return;
    this.reveal(next.event.id)?.focus();
  }

  row(event, index) {
    const row = document.createElement("tr");
    row.dataset.id = event.id;
    row.tabIndex = 0;
    if (index !== undefined) row.setAttribute("aria-rowindex", String(index + 2));
    const asserted = !event.modality || event.modality === "asserted";
    if (!asserted) row.classList.add("not-asserted");
    if (event.id === this.selected) row.classList.add("selected");
    if (this.fresh.has(event.id)) row.classList.add("new");
    const place = event.location;
    const colour = typeColour(event.event_type);
    const type = document.createElement("span");
    type.className = "chip";
    type.style.background = colour;
    type.style.color = inkOn(colour);
    type.textContent = event.event_type;
    const typeCell = [type];
    if (!asserted) typeCell.push(Object.assign(document.createElement("span"),
      { className: "modality", textContent: event.modality, title: MODALITY_WORDS[event.modality] || "" }));
    const status = document.createElement("span");
    status.className = `status ${event.claim_status}`;
    status.textContent = STATUS_WORDS[event.claim_status] || event.claim_status;
    status.title = status.textContent;
    const placeText = place ? [place.name, place.country && place.country !== place.name
      ? this.countryName(place.country) : ""].filter(Boolean).join(", ") : "";
    row.append(
      cell(when(event)), cell(typeCell, "type"), cell(who(event), "who", true),
      cell(placeText, "place hide-narrow", true), cell(articleCell(event), "article hide-narrow"),
      cell(status), cell(confidenceLabel(event.confidence), "confidence"),
    );
    return row;
  }

  // Mark the rows of these dataset events as new (from the article just coded).
  mark(ids) {
    this.fresh = new Set(ids);
    for (const row of this.body.querySelectorAll("tr[data-id]")) row.classList.toggle("new", this.fresh.has(row.dataset.id));
  }

  select(id, { reveal = false } = {}) {
    this.selected = id;
    for (const row of this.body.querySelectorAll("tr.selected")) row.classList.remove("selected");
    const row = reveal ? this.reveal(id) : this.rowOf(id);
    if (row) row.classList.add("selected");
    return row;
  }
}

// The article of an event: its first report's title, link, outlet and day (what the record says; nothing made up).
export function articleOf(event) {
  const report = (event.reports && event.reports[0]) || event;
  const outlet = report.publisher || event.publisher || (event.publishers && event.publishers[0]) || hostOf(report.url) || "";
  return { title: report.title || event.title || "", url: safeUrl(report.url || event.url), outlet,
    published: report.published || event.published || "" };
}

// Only web links become links (never javascript: or a local file).
export function safeUrl(url) {
  return typeof url === "string" && /^https?:\/\//i.test(url) ? url : "";
}

function hostOf(url) {
  try {
    return safeUrl(url) ? new URL(url).hostname.replace(/^www\./, "") : "";
  } catch {
    return "";
  }
}

function articleCell(event) {
  const article = articleOf(event);
  const box = document.createElement("span");
  const words = article.title || (article.outlet ? `${article.outlet} report` : "no outlet given");
  if (article.url) {
    const link = Object.assign(document.createElement("a"), { href: article.url, textContent: words,
      target: "_blank", rel: "noopener noreferrer" });
    link.title = `open the article${article.outlet ? ` (${article.outlet})` : ""}`;
    box.append(link);
  } else {
    box.append(words);
  }
  if (article.title && article.outlet) box.append(Object.assign(document.createElement("span"),
    { className: "muted", textContent: ` · ${article.outlet}` }));
  const more = (event.n_reports || 1) - 1;
  if (more > 0) box.append(Object.assign(document.createElement("span"),
    { className: "more-reports", textContent: ` +${more} report${more === 1 ? "" : "s"}` }));
  box.title = [article.title, article.outlet, article.published].filter(Boolean).join(" · ");
  return box;
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

function cell(content, className, titled = false) {
  const td = document.createElement("td");
  if (className) td.className = className;
  if (Array.isArray(content)) td.append(...content);
  else td.append(content);
  if (titled && typeof content === "string") td.title = content;
  return td;
}

function spacer(height, span) {
  const row = document.createElement("tr");
  row.className = "spacer";
  row.setAttribute("aria-hidden", "true");
  const td = document.createElement("td");
  td.colSpan = span;
  td.style.height = `${height}px`;
  row.append(td);
  return row;
}
