// Filters, each with an API parameter of the same meaning (so the export links give what the page shows).

// The cleared form; DEFAULTS is what a fresh page (and "Clear") applies: events that happened, as told.
export const EMPTY = {
  event_type: "", country: "", actor: "", status: "", date_from: "", date_to: "", text: "",
  modality: "", mode: "", fatalities: "", min_conf: "", area: "",
};
export const DEFAULTS = { ...EMPTY, modality: "asserted" };

// Prepare one dataset event for fast filtering: upper-cased codes, lower-cased names, searchable text.
export function indexEvent(event) {
  const actor = event.actor || {};
  const recipient = event.recipient || {};
  const place = event.location || {};
  const words = [event.event_type, event.mode, actor.text, actor.name, recipient.text, recipient.name, place.name,
    place.admin1, ...(event.publishers || [])];
  for (const source of event.sources || []) words.push(source.text, source.actor && source.actor.name);
  for (const report of event.reports || []) words.push(report.evidence && report.evidence.sentence, report.title);
  const dead = (event.fatalities && event.fatalities.dead) || 0;
  const injured = (event.fatalities && event.fatalities.injured) || 0;
  return {
    event,
    countries: [place.country, actor.country, recipient.country].filter(Boolean).map((c) => c.toUpperCase()),
    actorWords: [actor.name, actor.text, actor.country, recipient.name, recipient.text, recipient.country]
      .filter(Boolean).join(" \u0001 ").toLowerCase(),
    start: event.date_start || null,
    end: event.date_end || null,
    modality: event.modality || "asserted",
    dead,
    hurt: dead + injured,
    lat: typeof place.lat === "number" ? place.lat : null,
    lon: typeof place.lon === "number" ? place.lon : null,
    haystack: words.filter(Boolean).join(" \u0001 ").toLowerCase(),
  };
}

// Say why a date range cannot match anything ("" when it can).
export function rangeProblem(filters) {
  if (filters.date_from && filters.date_to && filters.date_from > filters.date_to) {
    return `“From” (${filters.date_from}) is after “To” (${filters.date_to}): no day is in that range.`;
  }
  return "";
}

// Return a predicate on indexed events; `skipDates` leaves the date range out (the timeline shows it);
// `bounds` ({south, west, north, east}) is the map area, used when filters.area is set.
export function matcher(filters, { skipDates = false, bounds = null } = {}) {
  const type = filters.event_type.toUpperCase();
  const country = filters.country.toUpperCase();
  const actor = filters.actor.trim().toLowerCase();
  const terms = filters.text.toLowerCase().split(/\s+/).filter(Boolean);
  const from = skipDates ? "" : filters.date_from;
  const to = skipDates ? "" : filters.date_to;
  const modality = filters.modality === "all" ? "" : filters.modality;
  const minConf = filters.min_conf ? Number(filters.min_conf) : 0;
  const area = filters.area && bounds ? bounds : null;
  return (item) => {
    const event = item.event;
    if (type && event.event_type !== type) return false;
    if (filters.status && event.claim_status !== filters.status) return false;
    if (modality && item.modality !== modality) return false;
    if (filters.mode && event.mode !== filters.mode) return false;
    if (filters.fatalities === "dead" && item.dead <= 0) return false;
    if (filters.fatalities === "hurt" && item.hurt <= 0) return false;
    if (minConf && event.confidence != null && event.confidence < minConf) return false;
    if (country && !item.countries.includes(country)) return false;
    if (actor && !item.actorWords.includes(actor)) return false;
    if (from && (item.end === null || item.end < from)) return false;
    if (to && (item.start === null || item.start > to)) return false;
    if (area && (item.lat === null || item.lat < area.south || item.lat > area.north
      || !inLongitudes(item.lon, area.west, area.east))) return false;
    for (const term of terms) if (!item.haystack.includes(term)) return false;
    return true;
  };
}

// The date range alone (the page tests it after the other filters, which the timeline shows without it).
export function datesMatcher(filters) {
  const from = filters.date_from;
  const to = filters.date_to;
  return (item) => !(from && (item.end === null || item.end < from)) && !(to && (item.start === null || item.start > to));
}

// Longitude in [west, east], the view possibly wider than the world or past ±180 (the map is not repeated,
// but a panned view can reach past the edge).
function inLongitudes(lon, west, east) {
  if (east - west >= 360) return true;
  for (const shift of [-360, 0, 360]) if (lon + shift >= west && lon + shift <= east) return true;
  return false;
}

// Filters <-> the URL's hash (only what differs from DEFAULTS; `all` keeps "every modality" in the URL).
export function filtersToHash(filters, extra = {}) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) {
    if (!(key in DEFAULTS) || value === DEFAULTS[key]) continue;
    query.set(key, value === "" ? "-" : value);
  }
  for (const [key, value] of Object.entries(extra)) if (value) query.set(key, value);
  return query.toString();
}

export function hashToState(hash) {
  const query = new URLSearchParams(hash.replace(/^#/, ""));
  const filters = { ...DEFAULTS };
  const extra = {};
  for (const [key, value] of query) {
    if (key in DEFAULTS) filters[key] = value === "-" ? "" : value;
    else extra[key] = value;
  }
  return { filters, extra };
}
