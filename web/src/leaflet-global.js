// Leaflet as the global `L`: leaflet.markercluster extends the global, so it must exist before that import.
import L from "leaflet";

window.L = L;
export default L;
