// Colours and words the page shows: PLOVER event types, quad classes and claim statuses.

// One colour per PLOVER 0.8 event type, cooperative types cool, conflictual types warm.
export const TYPE_COLOURS = {
  AGREE: "#1b9e77", CONSULT: "#66c2a5", SUPPORT: "#2b8cbe", CONCEDE: "#74a9cf", COOPERATE: "#0868ac",
  AID: "#41ab5d", RETREAT: "#8c96c6", REQUEST: "#9e9ac8", ACCUSE: "#fdae61", REJECT: "#f46d43",
  THREATEN: "#d95f0e", PROTEST: "#e7298a", SANCTION: "#a6761d", MOBILIZE: "#7570b3", COERCE: "#b2182b",
  ASSAULT: "#67001f",
};
export const OTHER_COLOUR = "#777777";

export const QUADS = ["verbal-cooperation", "material-cooperation", "verbal-conflict", "material-conflict"];
export const QUAD_COLOURS = {
  "verbal-cooperation": "#74a9cf", "material-cooperation": "#0868ac",
  "verbal-conflict": "#fdae61", "material-conflict": "#b2182b",
};

export const STATUS_WORDS = {
  uncontested: "Uncontested", corroborated: "Corroborated", disputed: "Disputed",
};

export function typeColour(type) {
  return TYPE_COLOURS[type] || OTHER_COLOUR;
}
