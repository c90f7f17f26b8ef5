// The event panel: claim status in plain words, facts, and every report with its highlighted evidence and sources.
import { MODALITY_WORDS, STATUS_HELP, STATUS_WORDS, typeColour } from "./palette.js";
import { actorLabel, articleOf, confidenceLabel, safeUrl } from "./table.js";

const PRONOUNS = new Set(["he", "she", "they", "it", "we", "i", "you", "him", "her", "them"]);

export class EventPanel {
  constructor(element, onSelect, onClose, countryName = (code) => code) {
    this.element = element;
    this.countryName = countryName;
    this.onSelect = onSelect;
    this.onClose = onClose;
    this.reports = new Map(); // report id -> {event, report}
    this.denials = new Map(); // report id of a denial -> dataset events it disputes
  }

  // Index reports across the dataset so denials can be named and followed.
  setEvents(events) {
    this.reports.clear();
    this.denials.clear();
    this.addEvents(events);
  }

  // Index more events (a page streamed in, or the events of a pasted article).
  addEvents(events) {
    for (const event of events) {
      for (const report of event.reports || []) this.reports.set(report.id, { event, report });
    }
    for (const event of events) {
      for (const id of event.disputed_by || []) {
        const list = this.denials.get(id) || [];
        list.push(event);
        this.denials.set(id, list);
      }
    }
  }

  show(event) {
    const box = this.element;
    box.replaceChildren();
    box.dataset.id = event.id;
    const close = element("button", "close", "×");
    close.type = "button";
    close.setAttribute("aria-label", "Close");
    close.addEventListener("click", () => this.onClose());
    const title = element("h2", "", event.event_type);
    title.id = "panel-title";
    title.tabIndex = -1; // focus moves here when an event is opened from the keyboard
    title.style.borderColor = typeColour(event.event_type);
    if (event.mode) title.append(element("small", "", ` ${event.mode}`));
    box.setAttribute("aria-labelledby", "panel-title");
    const claim = element("p", `claim ${event.claim_status}`);
    claim.title = STATUS_HELP[event.claim_status] || "";
    claim.append(element("strong", "", `${STATUS_WORDS[event.claim_status] || event.claim_status}: `),
      claimWords(event, this.reports));
    box.append(close, title);
    if (event.modality && event.modality !== "asserted") {
      box.append(element("p", "modality-note", `Not told as having happened: ${MODALITY_WORDS[event.modality] || event.modality}.`));
    }
    box.append(claim, articleBlock(articleOf(event), "article"), this.facts(event));
    const denied = this.disputedEvents(event);
    if (denied.length) box.append(this.links("Denies", denied));
    const deniers = (event.disputed_by || []).map((id) => this.reports.get(id)).filter(Boolean).map((r) => r.event);
    if (deniers.length) box.append(this.links("Denied in", unique(deniers)));
    const reports = event.reports && event.reports.length ? event.reports : [event];
    box.append(element("h3", "", reports.length === 1 ? "1 report" : `${reports.length} reports`));
    const list = element("ol", "reports");
    for (const report of reports) list.append(reportItem(report));
    box.append(list);
    box.hidden = false;
    box.scrollTop = 0;
  }

  hide() {
    this.element.hidden = true;
    delete this.element.dataset.id;
  }

  focus() {
    const title = this.element.querySelector("#panel-title");
    if (title) title.focus();
  }

  facts(event) {
    const rows = [
      ["Date", [event.date || "unknown", event.date_precision && `(${event.date_precision})`,
        event.date_text && `“${event.date_text}”`].filter(Boolean).join(" ")],
      ["Place", placeLabel(event.location, this.countryName)],
      ["Actor", withCountry(event.actor, this.countryName) || "unknown"],
      ["Recipient", withCountry(event.recipient, this.countryName) || "none"],
      ["Class", [event.quad_class, event.cameo_root && `CAMEO ${event.cameo_root}`].filter(Boolean).join(", ")],
      ["Modality", MODALITY_WORDS[event.modality] || event.modality],
      ["Confidence", confidenceWords(event)],
      ["Fatalities", fatalities(event.fatalities)],
      ["Outlets", (event.publishers || []).join(", ")],
    ];
    const list = element("dl", "facts");
    for (const [term, value] of rows) {
      if (!value) continue;
      list.append(element("dt", "", term), element("dd", "", value));
    }
    return list;
  }

  disputedEvents(event) {
    const found = [];
    for (const report of event.reports || []) found.push(...(this.denials.get(report.id) || []));
    return unique(found);
  }

  links(label, events) {
    const box = element("p", "links", `${label}: `);
    events.forEach((other, index) => {
      const link = element("a", "", `${other.event_type} by ${actorName(other.actor) || "unknown"}`
        + (other.date ? ` (${other.date})` : ""));
      link.href = "#";
      link.addEventListener("click", (click) => {
        click.preventDefault();
        this.onSelect(other.id);
      });
      box.append(index ? ", " : "", link);
    });
    return box;
  }
}

// Say who claims an event and who denies it: "claimed by the Armenian Defense Ministry, denied by Azerbaijan".
// A denial is a REJECT event named in `disputed_by`, or a report of the same event told as negated.
export function claimWords(event, reports) {
  const told = event.reports && event.reports.length ? event.reports : [event];
  const claimants = [];
  const deniers = [];
  for (const report of told) {
    const names = (report.sources || []).map(sourceName).filter(Boolean);
    if (report.modality === "negated") deniers.push(...(names.length ? names : [actorName(report.actor)]));
    else claimants.push(...names);
  }
  for (const id of event.disputed_by || []) {
    const found = reports.get(id);
    if (found) deniers.push(actorName(found.report.actor || found.event.actor));
  }
  const byWord = (name) => name.toLowerCase();
  const claimed = unique(claimants, byWord);
  const outlets = event.publishers || [event.publisher].filter(Boolean);
  const said = claimed.length ? `claimed by ${joinWords(claimed)}`
    : `reported by ${joinWords(outlets) || "an unnamed outlet"}`;
  if (event.claim_status === "corroborated") return `${said}; both sides say so`;
  if (event.claim_status !== "disputed") return `${said}; no one denies it`;
  const denied = unique(deniers.filter(Boolean), byWord);
  return `${said}, denied by ${denied.length ? joinWords(denied) : "another party"}`;
}

function sourceName(source) {
  const text = (source.text || "").trim();
  if (text && !PRONOUNS.has(text.toLowerCase())) return text;
  return (source.actor && source.actor.name) || ""; // an unresolved "he" names no one
}

function actorName(actor) {
  return actor ? actor.name || actor.text : "";
}

function reportItem(report) {
  const item = element("li", "report");
  item.dataset.report = report.id;
  item.append(articleBlock(articleOf({ ...report, reports: [report] }), "report-article"));
  const head = element("p", "report-head");
  head.textContent = [report.modality && report.modality !== "asserted" ? report.modality : "",
    report.claim_status || "", report.confidence != null ? `confidence ${confidenceLabel(report.confidence)}` : ""]
    .filter(Boolean).join(" · ");
  const evidence = report.evidence || {};
  const sentence = element("blockquote", "evidence");
  sentence.append(...highlight(evidence.sentence || "", [
    { text: evidence.trigger, kind: "trigger" },
    { text: report.actor && report.actor.text, kind: "actor" },
    { text: report.recipient && report.recipient.text, kind: "recipient" },
  ]));
  if (head.textContent) item.append(head);
  item.append(sentence);
  const sources = report.sources || [];
  const list = element("ul", "sources");
  if (!sources.length) list.append(element("li", "", `the outlet itself (${report.publisher || "not given"})`));
  for (const source of sources) {
    const actor = source.actor || {};
    const who = [actor.name !== source.text && actor.name, actor.country, actor.sector].filter(Boolean);
    const line = element("li", "source");
    line.append(element("strong", "", source.text || "unnamed"));
    if (who.length) line.append(` (${who.join(", ")})`);
    if (source.cue) line.append(` — ${source.cue}`);
    list.append(line);
  }
  item.append(element("p", "label", "Sources:"), list);
  return item;
}

// Split a sentence into text and <mark> nodes for the trigger, actor and recipient (first match, no overlaps).
export function highlight(sentence, parts) {
  const spans = [];
  for (const part of parts) {
    if (!part.text) continue;
    const at = findWord(sentence, part.text, spans);
    if (at >= 0) spans.push({ start: at, end: at + part.text.length, kind: part.kind });
  }
  spans.sort((a, b) => a.start - b.start);
  const nodes = [];
  let cursor = 0;
  for (const span of spans) {
    nodes.push(document.createTextNode(sentence.slice(cursor, span.start)));
    const mark = element("mark", span.kind, sentence.slice(span.start, span.end));
    mark.title = span.kind;
    nodes.push(mark);
    cursor = span.end;
  }
  nodes.push(document.createTextNode(sentence.slice(cursor)));
  return nodes;
}

function findWord(sentence, text, taken) {
  const lower = sentence.toLowerCase();
  const needle = text.toLowerCase();
  for (let at = lower.indexOf(needle); at >= 0; at = lower.indexOf(needle, at + 1)) {
    const end = at + needle.length;
    const bounded = !/\w/.test(lower[at - 1] || "") && !/\w/.test(lower[end] || "");
    const free = taken.every((span) => end <= span.start || at >= span.end);
    if (bounded && free) return at;
  }
  return -1;
}

// The event's confidence in words: the best of its reports, and the document's political score where known.
function confidenceWords(event) {
  if (event.confidence == null) return "not scored";
  const words = [confidenceLabel(event.confidence)];
  if ((event.n_reports || 1) > 1) words.push("(the most confident report)");
  if (event.political != null) words.push(`· the article reads ${confidenceLabel(event.political)} political`);
  return words.join(" ");
}

function placeLabel(place, countryName) {
  if (!place) return "not located";
  const country = place.country ? `${countryName(place.country)} (${place.country})` : "";
  const where = [place.name, place.admin1, country].filter(Boolean);
  const unique_ = where.filter((part, index) => where.indexOf(part) === index);
  const precision = { country: "only the country is known", admin1: "only the region is known", city: "town",
    point: "exact place" }[place.precision] || place.precision;
  return `${unique_.join(", ")}${precision ? ` — ${precision}` : ""}`;
}

function withCountry(actor, countryName) {
  const label = actorLabel(actor);
  if (!label || !actor.country) return label;
  const name = countryName(actor.country);
  return name && name !== actor.country && name !== actor.name ? `${label}, ${name}` : label;
}

// The article: title (a link when the record has a web address), outlet and day; what is missing is not made up.
function articleBlock(article, className) {
  const box = element("p", className);
  if (article.title && safeUrl(article.url)) {
    const link = element("a", "", article.title);
    link.href = article.url;
    link.target = "_blank";
    link.rel = "noopener noreferrer";
    box.append(link);
  } else if (article.title) {
    box.append(element("strong", "", article.title));
  } else if (safeUrl(article.url)) {
    const link = element("a", "", "open the article");
    link.href = article.url;
    link.target = "_blank";
    link.rel = "noopener noreferrer";
    box.append(link);
  }
  const about = [article.outlet || "outlet not given", article.published].filter(Boolean).join(" · ");
  box.append(box.childNodes.length ? element("span", "muted", ` — ${about}`) : element("span", "", about));
  return box;
}

function fatalities(counts) {
  if (!counts) return "";
  const parts = [];
  if (counts.dead != null) parts.push(`${counts.dead} dead`);
  if (counts.injured != null) parts.push(`${counts.injured} injured`);
  if (!parts.length && counts.text) parts.push(`“${counts.text}”`);
  return parts.join(", ");
}

function joinWords(words) {
  if (words.length <= 1) return words.join("");
  return `${words.slice(0, -1).join(", ")} and ${words[words.length - 1]}`;
}

function unique(items, key = (item) => item.id ?? item) {
  const seen = new Set();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}
