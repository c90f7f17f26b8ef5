// The REST API, called with paths relative to the page so it works behind a path prefix too.

const PAGE = 500;

// Fetch every dataset event, a page at a time (the first page says how many there are). The server leaves
// out events under its confidence setting unless `includeLow` asks for every one (min_confidence=0).
export async function fetchAllEvents({ includeLow = false } = {}) {
  const first = await getPage(0, PAGE, includeLow);
  const items = [...first.items];
  const offsets = [];
  for (let offset = first.limit; offset < first.total; offset += first.limit) offsets.push(offset);
  const pages = await runLimited(offsets.map((offset) => () => getPage(offset, first.limit, includeLow)), 4);
  for (const page of pages) items.push(...page.items);
  return items;
}

function confidenceQuery(includeLow) {
  return includeLow ? { min_confidence: "0" } : {};
}

async function getPage(offset, limit, includeLow) {
  const extra = confidenceQuery(includeLow);
  let answer = await fetch(`events?${new URLSearchParams({ limit, offset, ...extra })}`);
  if (answer.status === 422 && offset === 0) { // a server with a smaller page size
    answer = await fetch(`events?${new URLSearchParams(extra)}`);
  }
  if (!answer.ok) throw new Error(`GET events answered ${answer.status}`);
  return answer.json();
}

async function runLimited(tasks, width) {
  const results = new Array(tasks.length);
  let next = 0;
  async function worker() {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await tasks[index]();
    }
  }
  await Promise.all(Array.from({ length: Math.min(width, tasks.length) }, worker));
  return results;
}

// Code and store one article; resolve to {doc_id, events, dataset_ids} or throw with the server's words.
export async function postDocument(body, token) {
  const answer = await fetch("documents", {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
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

// The /export URL for a format and the filters the API understands (text search is page-only).
export function exportUrl(format, filters) {
  const query = new URLSearchParams({ format, ...confidenceQuery(filters.include_low) });
  for (const key of ["event_type", "country", "actor", "status", "date_from", "date_to"]) {
    if (filters[key]) query.set(key, filters[key]);
  }
  return `export?${query}`;
}
