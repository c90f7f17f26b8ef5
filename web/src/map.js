// The map: country outlines from world-atlas (no tiles, nothing fetched) and event markers, clustered when dense.
import L from "./leaflet-global.js";
import "leaflet.markercluster";
import "leaflet/dist/leaflet.css";
import "leaflet.markercluster/dist/MarkerCluster.css";
import { feature } from "topojson-client";
import world from "world-atlas/countries-50m.json";
import { TYPE_COLOURS, OTHER_COLOUR, typeColour } from "./palette.js";

export class EventMap {
  constructor(element, onSelect) {
    this.element = element;
    this.onSelect = onSelect;
    this.markers = new Map(); // dataset event id -> marker, made once per event
    this.icons = new Map();
    this.selected = null;
    this.map = L.map(element, { preferCanvas: true, worldCopyJump: false, minZoom: 1, maxZoom: 9,
      zoomSnap: 0.5, attributionControl: true });
    this.map.attributionControl.setPrefix(false).addAttribution("Country outlines: Natural Earth via world-atlas");
    L.geoJSON(feature(world, world.objects.countries), {
      renderer: L.canvas({ padding: 0.2 }),
      interactive: false,
      style: { color: "#8a8a8a", weight: 0.6, fillColor: "#f3f0e6", fillOpacity: 1 },
    }).addTo(this.map);
    this.map.setView([20, 10], 2);
    this.cluster = L.markerClusterGroup({
      maxClusterRadius: 40,
      spiderfyOnMaxZoom: true,
      showCoverageOnHover: false,
      iconCreateFunction: clusterIcon,
    });
    this.cluster.addTo(this.map);
    this.legend = L.control({ position: "bottomleft" });
    this.legend.onAdd = () => {
      const box = L.DomUtil.create("details", "legend");
      box.open = !window.matchMedia("(max-width: 760px)").matches; // folded on a phone: it would hide the map
      box.append(Object.assign(document.createElement("summary"), { textContent: "Event types" }));
      this.legendList = L.DomUtil.create("div", "legend-list", box);
      L.DomEvent.disableClickPropagation(box);
      return box;
    };
    this.legend.addTo(this.map);
  }

  // Show these indexed events (those with coordinates get a marker); fit the view the first time.
  setEvents(items, { fit = false } = {}) {
    const shown = [];
    const types = new Set();
    for (const item of items) {
      const marker = this.marker(item.event);
      if (marker) {
        shown.push(marker);
        types.add(item.event.event_type);
      }
    }
    this.cluster.clearLayers();
    this.cluster.addLayers(shown);
    this.element.dataset.markers = String(shown.length);
    this.showLegend(types);
    if (fit && shown.length) {
      this.map.fitBounds(L.latLngBounds(shown.map((m) => m.getLatLng())).pad(0.3), { maxZoom: 7, animate: false });
    }
    return shown.length;
  }

  marker(event) {
    const place = event.location;
    if (!place || typeof place.lat !== "number" || typeof place.lon !== "number") return null;
    let marker = this.markers.get(event.id);
    if (!marker) {
      marker = L.marker([place.lat, place.lon], {
        icon: this.icon(event.event_type), title: `${event.event_type} — ${place.name}`, keyboard: true,
      });
      marker.on("add", () => {
        const element = marker.getElement();
        element.dataset.id = event.id;
        element.classList.toggle("selected", this.selected === event.id);
      });
      marker.on("click", () => this.onSelect(event.id));
      this.markers.set(event.id, marker);
    }
    return marker;
  }

  icon(type) {
    if (!this.icons.has(type)) {
      const colour = typeColour(type);
      this.icons.set(type, L.divIcon({
        className: "ec-marker", iconSize: [16, 16], html: `<span style="background:${colour}"></span>`,
      }));
    }
    return this.icons.get(type);
  }

  // Mark the selected event's marker and bring it into view (opening its cluster).
  select(id, { reveal = false } = {}) {
    const before = this.selected && this.markers.get(this.selected);
    if (before && before.getElement()) before.getElement().classList.remove("selected");
    if (before) before.unbindTooltip();
    this.selected = id;
    const marker = id && this.markers.get(id);
    if (!marker || !this.cluster.hasLayer(marker)) return;
    const mark = () => {
      if (!marker.getElement()) return;
      marker.getElement().classList.add("selected");
      // no tiles name the places, so the selected marker says where it is
      marker.bindTooltip(marker.options.title, { direction: "top", offset: [0, -8] }).openTooltip();
    };
    if (reveal) this.cluster.zoomToShowLayer(marker, mark);
    else mark();
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
    this.legend.getContainer().hidden = types.size === 0;
  }

  resize() {
    this.map.invalidateSize();
  }
}

function clusterIcon(cluster) {
  const count = cluster.getChildCount();
  const size = count < 10 ? 30 : count < 100 ? 36 : count < 1000 ? 42 : 48;
  return L.divIcon({
    className: "ec-cluster", iconSize: [size, size], html: `<span>${count}</span>`,
  });
}
