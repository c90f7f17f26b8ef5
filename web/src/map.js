// The map: country outlines from world-atlas (no tiles, nothing fetched from outside), place names from the
// project's gazetteer (served by the page's own server), and event markers, clustered when dense.
import L from "./leaflet-global.js";
import "leaflet.markercluster";
import "leaflet/dist/leaflet.css";
import "leaflet.markercluster/dist/MarkerCluster.css";
import { feature } from "topojson-client";
import world from "world-atlas/countries-110m.json";
import { fetchLabels } from "./api.js";
import { MODALITY_WORDS, STATUS_HELP, STATUS_WORDS, TYPE_COLOURS, OTHER_COLOUR, typeColour } from "./palette.js";

const COARSE = new Set(["country", "admin1"]); // places known only to the country or region: not a pin
export const MAX_ZOOM = 14; // town level

export class EventMap {
  constructor(element, { onSelect, onMove, countryName }) {
    this.element = element;
    this.onSelect = onSelect;
    this.onMove = onMove;
    this.countryName = countryName;
    this.markers = new Map(); // dataset event id -> marker, made once per event
    this.icons = new Map();
    this.shown = new Set(); // markers of the filtered events
    this.inCluster = new Set(); // markers in the cluster group now (all of `shown` once the batches are done)
    this.generation = 0;
    this.selected = null;
    this.big = window.matchMedia("(max-width: 760px), (pointer: coarse)").matches; // 44 px touch targets
    this.map = L.map(element, { preferCanvas: true, worldCopyJump: false, minZoom: 1, maxZoom: MAX_ZOOM,
      zoomSnap: 0.5, attributionControl: true, maxBounds: [[-89, -250], [89, 250]], maxBoundsViscosity: 0.7 });
    this.map.attributionControl.setPrefix(false)
      .addAttribution("Outlines: Natural Earth via world-atlas · names: GeoNames via the project's gazetteer");
    this.outlines = outlines(world).addTo(this.map);
    this.map.createPane("labels").style.zIndex = 450; // above the outlines, under the markers
    this.map.getPane("labels").style.pointerEvents = "none";
    this.labels = L.layerGroup().addTo(this.map);
    this.map.setView([20, 10], 2);
    this.cluster = this.newCluster().addTo(this.map);
    this.addLegend();
    this.addFitButton();
    this.map.on("moveend", () => {
      if (this.labelsOn) this.loadLabels();
      this.onMove();
    });
  }

  // Start naming places and swap in the detailed outlines (the page calls this once the first events show).
  startLabels() {
    this.labelsOn = true;
    this.loadLabels();
    fetch("static/countries-50m.json").then((answer) => (answer.ok ? answer.json() : null)).then((detailed) => {
      if (!detailed) return;
      const layer = outlines(detailed).addTo(this.map);
      this.outlines.remove();
      this.outlines = layer;
      this.element.dataset.outlines = "50m";
    }, () => {}); // the light outlines stay
  }

  // Show these indexed events (those with coordinates get a marker); fit the view when asked. Markers join the
  // clusters a batch at a time, those in view first, so a filter that brings back thousands of events does not
  // hold the page: the table and timeline show at once, the map fills in over the next frames.
  setEvents(items, { fit = false } = {}) {
    const next = new Set();
    const types = new Set();
    for (const item of items) {
      const marker = this.marker(item.event);
      if (marker) {
        next.add(marker);
        types.add(item.event.event_type);
      }
    }
    const generation = ++this.generation;
    const gone = [...this.inCluster].filter((marker) => !next.has(marker));
    if (gone.length > 300 || gone.length > next.size) {
      // a fresh group is far quicker than emptying one of thousands of markers
      this.map.removeLayer(this.cluster);
      this.cluster = this.newCluster().addTo(this.map);
      this.inCluster = new Set();
    } else if (gone.length) {
      this.cluster.removeLayers(gone);
      for (const marker of gone) this.inCluster.delete(marker);
    }
    const view = this.map.getBounds();
    const waiting = [...next].filter((marker) => !this.inCluster.has(marker));
    const near = waiting.filter((marker) => view.contains(marker.getLatLng()));
    const far = waiting.filter((marker) => !view.contains(marker.getLatLng()));
    const queue = near.concat(far);
    this.shown = next;
    this.element.dataset.markers = String(next.size);
    this.element.dataset.settled = "0";
    const addBatch = () => {
      if (generation !== this.generation) return; // a newer filter took over
      const started = performance.now();
      while (queue.length && performance.now() - started < 25) {
        const batch = queue.splice(0, 150);
        this.cluster.addLayers(batch);
        for (const marker of batch) this.inCluster.add(marker);
      }
      if (queue.length) setTimeout(addBatch, 0);
      else {
        this.element.dataset.settled = "1";
        this.settledAt = performance.now();
        if (this.selected) this.select(this.selected);
      }
    };
    addBatch();
    this.showLegend(types);
    if (fit) this.fit();
    return next.size;
  }

  newCluster() {
    return L.markerClusterGroup({
      maxClusterRadius: 40,
      spiderfyOnMaxZoom: true,
      showCoverageOnHover: false,
      iconCreateFunction: (cluster) => this.clusterIcon(cluster),
    });
  }

  // Fit the view to the shown markers (the filtered events).
  fit() {
    if (!this.shown.size) return false;
    const bounds = L.latLngBounds([...this.shown].map((m) => m.getLatLng()));
    this.map.fitBounds(bounds.pad(0.2), { maxZoom: 8, animate: false });
    return true;
  }

  // The view as [west, south, east, north], clamped to the world.
  bbox() {
    const b = this.map.getBounds();
    return [Math.max(-180, b.getWest()), Math.max(-90, b.getSouth()), Math.min(180, b.getEast()),
      Math.min(90, b.getNorth())].map((v) => Number(v.toFixed(4)));
  }

  bounds() {
    const b = this.map.getBounds();
    return { south: b.getSouth(), north: b.getNorth(), west: b.getWest(), east: b.getEast() };
  }

  view() {
    const c = this.map.getCenter();
    return `${this.map.getZoom()}/${c.lat.toFixed(3)}/${c.lng.toFixed(3)}`;
  }

  setView(text) {
    const [zoom, lat, lon] = (text || "").split("/").map(Number);
    if ([zoom, lat, lon].every(Number.isFinite)) this.map.setView([lat, lon], zoom, { animate: false });
  }

  marker(event) {
    const place = event.location;
    if (!place || typeof place.lat !== "number" || typeof place.lon !== "number") return null;
    let marker = this.markers.get(event.id);
    if (!marker) {
      const coarse = COARSE.has(place.precision);
      const where = coarse ? `somewhere in ${place.name} (only the ${place.precision === "country" ? "country" : "region"} is known)`
        : place.name;
      const label = [event.event_type, where, event.date || event.date_start,
        STATUS_WORDS[event.claim_status], event.modality && event.modality !== "asserted" ? MODALITY_WORDS[event.modality] : ""]
        .filter(Boolean).join(" · ");
      marker = L.marker([place.lat, place.lon], { icon: this.icon(event, coarse), title: label, keyboard: true,
        riseOnHover: true });
      marker.on("add", () => {
        const element = marker.getElement();
        element.dataset.id = event.id;
        element.setAttribute("role", "button");
        element.setAttribute("aria-label", label);
        element.classList.toggle("selected", this.selected === event.id);
        if (!element.dataset.keys) {
          element.dataset.keys = "1";
          element.addEventListener("keydown", (key) => {
            if (key.key === "Enter" || key.key === " ") {
              key.preventDefault();
              key.stopPropagation();
              this.onSelect(event.id, { focus: true, from: element });
            }
          });
        }
      });
      marker.on("click", () => this.onSelect(event.id, { focus: false }));
      this.markers.set(event.id, marker);
    }
    return marker;
  }

  // A dot in the type's colour; hollow and dashed when the event is not told as having happened; a dashed halo
  // when only the country or region is known; a badge for a disputed (!) or corroborated (✓) claim.
  icon(event, coarse) {
    const asserted = !event.modality || event.modality === "asserted";
    const key = [event.event_type, event.claim_status, asserted, coarse].join("|");
    if (!this.icons.has(key)) {
      const colour = typeColour(event.event_type);
      const size = this.big ? 44 : coarse ? 30 : 22;
      const badge = event.claim_status === "disputed" ? '<b class="badge disputed">!</b>'
        : event.claim_status === "corroborated" ? '<b class="badge corroborated">✓</b>' : "";
      const dot = asserted ? `<span class="dot" style="background:${colour}"></span>`
        : `<span class="dot hollow" style="border-color:${colour}"></span>`;
      this.icons.set(key, L.divIcon({
        className: `ec-marker status-${event.claim_status}${coarse ? " coarse" : ""}${asserted ? "" : " not-asserted"}`,
        iconSize: [size, size], html: `${coarse ? '<span class="halo"></span>' : ""}${dot}${badge}`,
      }));
    }
    return this.icons.get(key);
  }

  clusterIcon(cluster) {
    const count = cluster.getChildCount();
    const size = Math.max(this.big ? 44 : 0, count < 10 ? 30 : count < 100 ? 36 : count < 1000 ? 42 : 48);
    const disputed = holdsDisputed(cluster);
    return L.divIcon({
      className: `ec-cluster${disputed ? " has-disputed" : ""}`, iconSize: [size, size],
      html: `<span aria-label="${count} events${disputed ? ", some disputed" : ""}; Enter zooms in">${count}</span>`,
    });
  }

  // Mark the selected event's marker and bring it into view (opening its cluster), clear of the panel.
  select(id, { reveal = false, clearLeft = 0 } = {}) {
    const before = this.selected && this.markers.get(this.selected);
    if (before && before.getElement()) before.getElement().classList.remove("selected");
    if (this.tip) this.tip.remove(); // a tooltip of the map's own: one bound to the marker breaks its focus later
    this.tip = null;
    this.selected = id;
    const marker = id && this.markers.get(id);
    if (!marker || !this.cluster.hasLayer(marker)) return;
    const mark = () => {
      if (!marker.getElement() || this.selected !== id) return;
      marker.getElement().classList.add("selected");
      if (this.tip) this.tip.remove();
      this.tip = L.tooltip({ direction: "top", offset: [0, -12] }).setLatLng(marker.getLatLng())
        .setContent(escapeHtml(marker.options.title)).addTo(this.map);
      if (reveal) this.map.panInside(marker.getLatLng(), { paddingTopLeft: [clearLeft + (clearLeft ? 140 : 20), 60], animate: false });
    };
    if (reveal) this.cluster.zoomToShowLayer(marker, mark);
    else mark();
  }

  // Names of countries, regions and towns for the view, from the page's own server.
  loadLabels() {
    if (this.labelRequest) this.labelRequest.abort();
    const request = new AbortController();
    this.labelRequest = request;
    const zoom = Math.round(this.map.getZoom());
    fetchLabels(this.bbox(), zoom, request.signal).then((found) => {
      if (request.signal.aborted) return;
      this.labels.clearLayers();
      for (const label of found) {
        const size = label.kind === "country" ? "country" : label.kind === "admin1" ? "region" : "town";
        this.labels.addLayer(L.marker([label.lat, label.lon], {
          pane: "labels", interactive: false, keyboard: false,
          icon: L.divIcon({ className: `ec-label ${size}${label.capital ? " capital" : ""}`, iconSize: null,
            html: `<span>${escapeHtml(label.name)}</span>` }),
        }));
      }
      this.element.dataset.labels = String(found.length);
      this.element.dataset.labelZoom = String(zoom);
    }, (error) => {
      if (error.name !== "AbortError") this.element.dataset.labels = "0"; // names are a help, not a need
    });
  }

  addLegend() {
    this.legend = L.control({ position: "bottomleft" });
    this.legend.onAdd = () => {
      const box = L.DomUtil.create("details", "legend");
      box.open = !this.big; // folded on a phone: it would hide the map
      box.append(Object.assign(document.createElement("summary"), { textContent: "Legend" }));
      this.legendList = L.DomUtil.create("div", "legend-list", box);
      const keys = L.DomUtil.create("div", "legend-keys", box);
      keys.innerHTML = `
        <div><span class="key"><b class="badge disputed">!</b></span>${STATUS_WORDS.disputed}: ${STATUS_HELP.disputed}</div>
        <div><span class="key"><b class="badge corroborated">✓</b></span>${STATUS_WORDS.corroborated}: ${STATUS_HELP.corroborated}</div>
        <div><span class="key"><span class="dot hollow"></span></span>hollow: not told as having happened (denied, possible, planned, past)</div>
        <div><span class="key"><span class="halo"></span></span>dashed ring: only the country or region is known</div>`;
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    };
    this.legend.addTo(this.map);
  }

  addFitButton() {
    const control = L.control({ position: "topright" });
    control.onAdd = () => {
      const button = L.DomUtil.create("button", "fit-button");
      button.type = "button";
      button.textContent = "Fit to events";
      button.title = "Zoom the map to the filtered events";
      L.DomEvent.disableClickPropagation(button);
      button.addEventListener("click", () => this.fit());
      return button;
    };
    control.addTo(this.map);
  }

  showLegend(types) {
    const box = this.legendList;
    box.replaceChildren();
    for (const type of [...Object.keys(TYPE_COLOURS), "OTHER"]) {
      if (type === "OTHER" ? ![...types].some((t) => !(t in TYPE_COLOURS)) : !types.has(type)) continue;
      const row = document.createElement("div");
      const swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.background = type === "OTHER" ? OTHER_COLOUR : TYPE_COLOURS[type];
      row.append(swatch, document.createTextNode(type === "OTHER" ? "other" : type.toLowerCase()));
      box.append(row);
    }
  }

  resize() {
    this.map.invalidateSize();
  }
}

// Country outlines from a world-atlas topology, drawn on one canvas, under everything else.
function outlines(topology) {
  return L.geoJSON(unwrapAntimeridian(feature(topology, topology.objects.countries)), {
    renderer: L.canvas({ padding: 0.2 }),
    interactive: false,
    style: { color: "#8a8a8a", weight: 0.6, fillColor: "#f3f0e6", fillOpacity: 1 },
  });
}

// Rings that cross the 180° meridian jump from +180 to -180 and draw stripes across the world: continue them
// past 180 instead (Chukotka east of 180, not a stripe). Rings around a pole (Antarctica) stay as they are.
export function unwrapAntimeridian(collection) {
  const fixRing = (ring) => {
    const out = [ring[0].slice()];
    for (let i = 1; i < ring.length; i++) {
      let lon = ring[i][0];
      const previous = out[i - 1][0];
      while (lon - previous > 180) lon -= 360;
      while (lon - previous < -180) lon += 360;
      out.push([lon, ring[i][1]]);
    }
    return Math.abs(out[out.length - 1][0] - out[0][0]) > 180 ? ring : out;
  };
  const fixPolygon = (polygon) => polygon.map(fixRing);
  for (const item of collection.features) {
    const geometry = item.geometry;
    if (!geometry) continue;
    if (geometry.type === "Polygon") geometry.coordinates = fixPolygon(geometry.coordinates);
    if (geometry.type === "MultiPolygon") geometry.coordinates = geometry.coordinates.map(fixPolygon);
  }
  return collection;
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

// Whether a cluster holds a disputed event's marker: a walk down its children that stops at the first one found
// (getAllChildMarkers would copy every marker of a cluster of thousands for each icon drawn). The walk reads
// markercluster's own lists (1.5.x), with getAllChildMarkers when they are not there.
function holdsDisputed(cluster) {
  const disputed = (marker) => marker.options.icon.options.className.includes("status-disputed");
  if (!Array.isArray(cluster._markers) || !Array.isArray(cluster._childClusters)) {
    return cluster.getAllChildMarkers().some(disputed);
  }
  const stack = [cluster];
  while (stack.length) {
    const next = stack.pop();
    if (next._markers.some(disputed)) return true;
    stack.push(...next._childClusters);
  }
  return false;
}
