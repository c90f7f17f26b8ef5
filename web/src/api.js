// The REST API, called with paths relative to the page so it works behind a path prefix too.

const FIRST = 100; // a small first page shows events sooner; the rest come in pages of PAGE
const PAGE = 500;

// Fetch every dataset event a page at a time, handing each page to `onPage(items, total)` as it comes (the first
// page first, so the page shows events before the rest arrive). The server leaves out events under its confidence
// setting unless `includeLow` asks for every one (min_confidence=0). Resolves to the number of events.
export async function streamEvents({ includeLow = false, onPage, signal } = {}) {
  const first = await getPage(0, FIRST, includeLow, signal);
  onPage(first.items, first.total);
  const size = first.limit < FIRST ? first.limit : PAGE; // (a server with smaller pages gave its own size)
  const offsets = [];
  for (let offset = first.items.length; offset < first.total; offset += size) offsets.push(offset);
  // pages are handed over in order, so the table and timeline grow the way the server sorts
  const pending = offsets.map(() => null);
  let handed = 0;
  await runLimited(offsets.map((offset, index) => async () => {
    pending[index] = await getPage(offset, size, includeLow, signal);
    while (handed < pending.length && pending[handed]) {
      onPage(pending[handed].items, first.total);
      pending[handed] = true;
      handed += 1;
    }
  }), 3);
  return first.total;
}

export async function fetchAllEvents({ includeLow = false } = {}) {
  const items = [];
  await streamEvents({ includeLow, onPage: (page) => items.push(...page) });
  return items;
}

function confidenceQuery(includeLow) {
  return includeLow ? { min_confidence: "0" } : {};
}

async function getPage(offset, limit, includeLow, signal) {
  const extra = confidenceQuery(includeLow);
  let answer = await fetch(`events?${new URLSearchParams({ limit, offset, ...extra })}`, { signal });
  if (answer.status === 422 && offset === 0) { // a server with a smaller page size
    answer = await fetch(`events?${new URLSearchParams(extra)}`, { signal });
  }
  if (!answer.ok) throw new Error(`the server answered ${answer.status} to GET events`);
  return answer.json();
}

// One dataset event with all its reports (after a paste).
export async function fetchEvent(id) {
  const answer = await fetch(`events/${encodeURIComponent(id)}`);
  if (!answer.ok) throw new Error(`the server answered ${answer.status} to GET events/${id}`);
  return answer.json();
}

// ISO-3 code -> country name; {} when the server cannot say (the page then shows codes alone).
export async function fetchCountryNames() {
  try {
    const answer = await fetch("places/countries");
    return answer.ok ? await answer.json() : {};
  } catch {
    return {};
  }
}

// Base-map labels for a view: [{name, lat, lon, kind, population, capital}].
export async function fetchLabels(bbox, zoom, signal) {
  const answer = await fetch(`places/labels?${new URLSearchParams({ bbox: bbox.join(","), zoom: String(zoom) })}`,
    { signal });
  if (!answer.ok) throw new Error(`the server answered ${answer.status} to GET places/labels`);
  return answer.json();
}

async function runLimited(tasks, width) {
  let next = 0;
  async function worker() {
    while (next < tasks.length) {
      const index = next++;
      await tasks[index]();
    }
  }
  await Promise.all(Array.from({ length: Math.min(width, tasks.length) }, worker));
}

// Code and store one article; resolve to {doc_id, events, dataset_ids} or throw with the server's words.
export async function postDocument(body, token) {
  let answer;
  try {
    answer = await fetch("documents", {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
  } catch {
    throw new Error("the server cannot be reached; try again when it is back");
  }
  const reply = await answer.json().catch(() => ({}));
  if (!answer.ok) {
    const detail = typeof reply.detail === "string" ? reply.detail : JSON.stringify(reply.detail ?? "");
    throw new Error(`${answer.status}: ${detail || answer.statusText}`);
  }
  return answer.status === 202 ? waitForJob(reply.status_url) : reply;
}

// A 202: the article waits in the coding queue; poll its job until it is done (or failed).
async function waitForJob(statusUrl, everyMs = 1000, limitMs = 30 * 60 * 1000) {
  const url = statusUrl.replace(/^\//, ""); // relative, like every other call: the page may live under a prefix
  for (let waited = 0; waited < limitMs; waited += everyMs) {
    await new Promise((resolve) => setTimeout(resolve, everyMs));
    const answer = await fetch(url);
    const job = await answer.json().catch(() => ({}));
    if (!answer.ok) throw new Error(`${answer.status}: ${job.detail || answer.statusText}`);
    if (job.status === "done") return job.result;
    if (job.status === "failed") throw new Error(job.error || "the article could not be coded");
  }
  throw new Error("still waiting in the coding queue; it will be stored when its turn comes");
}

// The /export URL for a format and the page's filters; the page's actor box is a substring, which the API calls
// actor_contains (its `actor` is a whole name or code), and its text search is the API's `q`.
export function exportUrl(format, filters, bbox = null) {
  const query = new URLSearchParams({ format, ...confidenceQuery(filters.include_low) });
  for (const key of ["event_type", "country", "status", "date_from", "date_to", "mode", "fatalities"]) {
    if (filters[key]) query.set(key, filters[key]);
  }
  if (filters.modality && filters.modality !== "all") query.set("modality", filters.modality);
  if (filters.actor && filters.actor.trim()) query.set("actor_contains", filters.actor.trim());
  if (filters.text && filters.text.trim()) query.set("q", filters.text.trim());
  if (filters.min_conf && !filters.include_low) query.set("min_confidence", filters.min_conf);
  if (filters.area && bbox) query.set("bbox", bbox.join(","));
  return `export?${query}`;
}

// Download an export without leaving the page: fetch it, then save the answer; throws with what went wrong.
export async function download(url, name) {
  let answer;
  try {
    answer = await fetch(url);
  } catch {
    throw new Error("the server cannot be reached");
  }
  if (!answer.ok) {
    const reply = await answer.json().catch(() => ({}));
    const detail = typeof reply.detail === "string" ? reply.detail : `HTTP ${answer.status}`;
    throw new Error(detail);
  }
  const blob = await answer.blob();
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  return blob.size;
}
