// Filters with the API's meaning (so the export links give what the page shows), plus a page-only text search.

export const EMPTY = {
  event_type: "", country: "", actor: "", status: "", date_from: "", date_to: "", text: "",
};

// Prepare one dataset event for fast filtering: upper-cased codes, lower-cased names, searchable text.
export function indexEvent(event) {
  const actor = event.actor || {};
  const recipient = event.recipient || {};
  const place = event.location || {};
  const words = [event.event_type, event.mode, actor.text, actor.name, recipient.text, recipient.name, place.name,
    ...(event.publishers || [])];
  for (const source of event.sources || []) words.push(source.text, source.actor && source.actor.name);
  for (const report of event.reports || []) words.push(report.evidence && report.evidence.sentence);
  return {
    event,
    countries: [place.country, actor.country, recipient.country].filter(Boolean).map((c) => c.toUpperCase()),
    actorCodes: [actor.country, recipient.country].filter(Boolean).map((c) => c.toUpperCase()),
    actorNames: [actor.name, recipient.name].filter(Boolean).map((n) => n.toLowerCase()),
    start: event.date_start || null,
    end: event.date_end || null,
    haystack: words.filter(Boolean).join(" \u0001 ").toLowerCase(),
  };
}

// Return a predicate on indexed events; `skipDates` leaves the date range out (the timeline shows it).
export function matcher(filters, { skipDates = false } = {}) {
  const type = filters.event_type.toUpperCase();
  const country = filters.country.toUpperCase();
  const actorCode = filters.actor.trim().toUpperCase();
  const actorName = filters.actor.trim().toLowerCase();
  const terms = filters.text.toLowerCase().split(/\s+/).filter(Boolean);
  const from = skipDates ? "" : filters.date_from;
  const to = skipDates ? "" : filters.date_to;
  return (item) => {
    const event = item.event;
    if (type && event.event_type !== type) return false;
    if (filters.status && event.claim_status !== filters.status) return false;
    if (country && !item.countries.includes(country)) return false;
    if (actorName && !item.actorCodes.includes(actorCode) && !item.actorNames.includes(actorName)) return false;
    if (from && (item.end === null || item.end < from)) return false;
    if (to && (item.start === null || item.start > to)) return false;
    for (const term of terms) if (!item.haystack.includes(term)) return false;
    return true;
  };
}
