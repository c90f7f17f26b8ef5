// The timeline: events per day, stacked by quad class; brushing a range filters the map and the table.
import { axisBottom, axisLeft } from "d3-axis";
import { brushX } from "d3-brush";
import { scaleLinear, scaleUtc } from "d3-scale";
import { select } from "d3-selection";
import { OTHER_COLOUR, QUADS, QUAD_COLOURS } from "./palette.js";

const DAY = 86400000;
const MARGIN = { top: 8, right: 24, bottom: 22, left: 34 };
const KEYS = [...QUADS, "unknown"]; // events without a quad class get a grey bar
const COLOURS = { ...QUAD_COLOURS, unknown: OTHER_COLOUR };

export class Timeline {
  constructor(element, onBrush) {
    this.element = element;
    this.onBrush = onBrush; // (date_from, date_to) as ISO days, or ("", "") when cleared
    this.items = [];
    this.range = null;
    this.svg = select(element).append("svg").attr("class", "timeline").attr("role", "img");
    this.bars = this.svg.append("g").attr("class", "bars");
    this.xAxis = this.svg.append("g").attr("class", "axis x");
    this.yAxis = this.svg.append("g").attr("class", "axis y");
    this.brushLayer = this.svg.append("g").attr("class", "brush");
    this.legend = select(element).append("div").attr("class", "quad-legend");
    this.outsideNote = this.legend.append("span").attr("class", "outside-note");
    for (const quad of KEYS) {
      const row = this.legend.append("span").attr("data-quad", quad);
      row.append("span").attr("class", "swatch").style("background", COLOURS[quad]);
      row.append("span").text(quad === "unknown" ? "no quad class" : quad.replace("-", " "));
    }
    this.empty = select(element).append("p").attr("class", "timeline-empty").attr("hidden", true);
    this.brush = brushX().on("end", (event) => this.brushed(event));
    new ResizeObserver(() => this.resized()).observe(element);
  }

  // Draw day counts of these indexed events (all filters but the dates); keep the brushed range. The same events
  // (a change of the dates alone) are not drawn again.
  setEvents(items) {
    const same = items.length === this.items.length && items.every((item, index) => item === this.items[index]);
    this.items = items;
    if (!same || !this.drawn) this.draw();
  }

  // The element's size changed: measure it again and draw.
  resized() {
    this.size = null;
    this.draw();
  }

  // Move the brush to a range of ISO days without calling back ("" clears it).
  setRange(from, to) {
    this.range = from || to ? [from, to] : null;
    this.placeBrush();
  }

  draw() {
    this.drawn = true;
    // measured once per size (resized() forgets it): reading it after the page changed would lay the page out
    this.size ||= [this.element.clientWidth, this.element.clientHeight];
    const width = Math.max(240, this.size[0] || 600);
    const height = Math.max(90, (this.size[1] || 140) - 24);
    this.svg.attr("viewBox", `0 0 ${width} ${height}`).attr("width", width).attr("height", height);
    const days = binDays(this.items);
    const keys = [...days.keys()].sort();
    const nothing = keys.length === 0;
    this.svg.style("display", nothing ? "none" : null); // no made-up axis when no dated event matches
    this.empty.attr("hidden", nothing ? null : true)
      .text(this.items.length ? "None of the matching events has a date." : "No events match: nothing to draw.");
    this.element.dataset.outside = "0";
    if (nothing) {
      this.x = null;
      return;
    }
    // the range drawn covers the bulk of the events: a few far older or newer ones (history told as background,
    // a wrong year) do not stretch it over centuries; they are counted instead
    const [low, high] = bulk(keys, days);
    const first = Date.parse(low);
    const last = Date.parse(high);
    let outside = 0;
    for (const [day, counts] of days) if (day < low || day > high) outside += KEYS.reduce((sum, q) => sum + counts[q], 0);
    this.element.dataset.outside = String(outside);
    const span = Math.max(1, Math.round((last - first) / DAY) + 1);
    const bars = Math.max(10, Math.floor((width - MARGIN.left - MARGIN.right) / 3));
    const step = Math.ceil(span / bars); // bars stay 3 px wide or more: long ranges bin several days
    this.first = first;
    this.step = step;
    this.x = scaleUtc().domain([new Date(first), new Date(first + Math.ceil(span / step) * step * DAY)])
      .range([MARGIN.left, width - MARGIN.right]);
    const bins = new Map();
    for (const [day, counts] of days) {
      if (day < low || day > high) continue;
      const index = Math.floor((Date.parse(day) - first) / DAY / step);
      const bin = bins.get(index) || Object.fromEntries(KEYS.map((q) => [q, 0]));
      for (const quad of KEYS) bin[quad] += counts[quad];
      bins.set(index, bin);
    }
    let highest = 1;
    for (const bin of bins.values()) highest = Math.max(highest, KEYS.reduce((sum, q) => sum + bin[q], 0));
    const y = scaleLinear().domain([0, highest]).nice().range([height - MARGIN.bottom, MARGIN.top]);
    const barWidth = Math.max(1, this.x(new Date(first + step * DAY)) - this.x(new Date(first)) - 1);
    const rects = [];
    for (const [index, bin] of bins) {
      let base = 0;
      const left = this.x(new Date(first + index * step * DAY));
      for (const quad of KEYS) {
        if (!bin[quad]) continue;
        rects.push({ left, top: y(base + bin[quad]), bottom: y(base), quad, count: bin[quad], index });
        base += bin[quad];
      }
    }
    this.bars.selectAll("rect").data(rects).join("rect")
      .attr("x", (d) => d.left).attr("width", barWidth)
      .attr("y", (d) => d.top).attr("height", (d) => Math.max(0.5, d.bottom - d.top))
      .attr("fill", (d) => COLOURS[d.quad])
      .attr("data-quad", (d) => d.quad);
    this.xAxis.attr("transform", `translate(0,${height - MARGIN.bottom})`)
      .call(axisBottom(this.x).ticks(Math.max(2, Math.floor(width / 90))));
    this.yAxis.attr("transform", `translate(${MARGIN.left},0)`).call(axisLeft(y).ticks(3));
    this.svg.attr("aria-label", `${this.items.length} events over ${span} days`
      + (outside ? `; ${outside} outside this range not drawn` : ""));
    this.outsideNote.text(outside ? `${outside} event${outside === 1 ? "" : "s"} outside ${low} – ${high} not drawn` : "");
    const present = new Set(rects.map((d) => d.quad));
    this.legend.selectAll("[data-quad]").style("display", (_, i, nodes) =>
      KEYS.indexOf(nodes[i].dataset.quad) < QUADS.length || present.has("unknown") ? null : "none");
    this.brush.extent([[MARGIN.left, MARGIN.top], [width - MARGIN.right, height - MARGIN.bottom]]);
    this.brushLayer.call(this.brush);
    this.placeBrush();
  }

  placeBrush() {
    if (!this.x) return;
    this.quiet = true;
    if (this.range && !(this.range[0] && this.range[1] && this.range[0] > this.range[1])) {
      const from = this.range[0] ? Date.parse(this.range[0]) : this.x.domain()[0].getTime();
      const to = this.range[1] ? Date.parse(this.range[1]) + DAY : this.x.domain()[1].getTime();
      const [left, right] = this.x.range();
      this.brushLayer.call(this.brush.move, [clamp(this.x(from), left, right), clamp(this.x(to), left, right)]);
    } else {
      this.brushLayer.call(this.brush.move, null);
    }
    this.quiet = false;
  }

  brushed(event) {
    if (this.quiet || !event.sourceEvent) return;
    if (!event.selection) {
      this.range = null;
      this.onBrush("", "");
      return;
    }
    // snap to the bars touched: whole bins of `step` days
    const bin = this.step * DAY;
    const [from, to] = event.selection.map((px) => this.x.invert(px).getTime() - this.first);
    const start = Math.floor(from / bin);
    const end = Math.max(start + 1, Math.ceil(to / bin));
    const first = isoDay(this.first + start * bin);
    const last = isoDay(this.first + end * bin - DAY);
    this.range = [first, last];
    this.placeBrush(); // show the snapped range
    this.onBrush(first, last);
  }
}

// The days that hold the bulk of the events: all of them, unless a few (under a tenth) lie over a year away from
// the rest and further than the rest spans; those ends are left out of the drawn range (and counted).
function bulk(keys, days) {
  const count = (day) => KEYS.reduce((sum, q) => sum + days.get(day)[q], 0);
  const total = keys.reduce((sum, day) => sum + count(day), 0);
  let low = 0;
  let high = keys.length - 1;
  let dropped = 0;
  const gap = (a, b) => (Date.parse(keys[b]) - Date.parse(keys[a])) / DAY;
  for (;;) {
    if (high - low < 1) break;
    const headGap = gap(low, low + 1);
    const tailGap = gap(high - 1, high);
    const atHead = headGap >= tailGap;
    const [size, rest] = atHead ? [headGap, gap(low + 1, high)] : [tailGap, gap(low, high - 1)];
    const n = count(keys[atHead ? low : high]);
    if (size <= 365 || size <= rest || (dropped + n) * 10 > total) break;
    dropped += n;
    if (atHead) low += 1;
    else high -= 1;
  }
  return [keys[low], keys[high]];
}

// Count events per start day and quad class; undated events have no bar.
function binDays(items) {
  const days = new Map();
  for (const item of items) {
    if (!item.start) continue;
    const counts = days.get(item.start) || Object.fromEntries(KEYS.map((q) => [q, 0]));
    const quad = QUADS.includes(item.event.quad_class) ? item.event.quad_class : "unknown";
    counts[quad] += 1;
    days.set(item.start, counts);
  }
  return days;
}

function isoDay(ms) {
  return new Date(ms).toISOString().slice(0, 10);
}

function clamp(value, low, high) {
  return Math.min(high, Math.max(low, value));
}
