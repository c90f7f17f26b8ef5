// Colours and words the page shows: PLOVER event types, quad classes, claim statuses and modalities.

// One hue family per quad class; within a class, four clearly different lightness steps (the test checks the
// contrast between any two types of a class), so the types stay apart for colour-blind readers too. The type
// name is always written next to its colour.
export const TYPES_BY_QUAD = {
  "verbal-cooperation": { CONSULT: "#9ecae1", REQUEST: "#4a98c9", SUPPORT: "#1f5fa6", AGREE: "#08275a" },
  "material-cooperation": { RETREAT: "#a1dab4", CONCEDE: "#41ae76", AID: "#1d7a41", COOPERATE: "#00361a" },
  "verbal-conflict": { ACCUSE: "#fdc086", PROTEST: "#f57f20", REJECT: "#b94504", THREATEN: "#5e2303" },
  "material-conflict": { SANCTION: "#f9a8c8", MOBILIZE: "#e04a93", COERCE: "#b3177f", ASSAULT: "#45003a" },
};
export const TYPE_COLOURS = Object.assign({}, ...Object.values(TYPES_BY_QUAD));
export const OTHER_COLOUR = "#777777";

export const QUADS = ["verbal-cooperation", "material-cooperation", "verbal-conflict", "material-conflict"];
export const QUAD_COLOURS = {
  "verbal-cooperation": "#4a98c9", "material-cooperation": "#1d7a41",
  "verbal-conflict": "#f57f20", "material-conflict": "#9a0f6c",
};

export const STATUS_WORDS = {
  uncontested: "Uncontested", corroborated: "Corroborated", disputed: "Disputed",
};
export const STATUS_HELP = {
  uncontested: "one side reports it and no one denies it",
  corroborated: "both sides of the conflict say it happened",
  disputed: "one side says it happened, another denies it",
};
export const MODALITY_WORDS = {
  asserted: "happened (asserted)", negated: "did not happen (negated)", hypothetical: "might happen (hypothetical)",
  future: "planned or expected (future)", historical: "history (background)",
};

export function typeColour(type) {
  return TYPE_COLOURS[type] || OTHER_COLOUR;
}

// Text colour that reads on a swatch of `colour` (white on dark swatches, ink on light ones).
export function inkOn(colour) {
  return luminance(colour) < 0.3 ? "#ffffff" : "#1d232a";
}

export function luminance(colour) {
  const channels = [1, 3, 5].map((at) => parseInt(colour.slice(at, at + 2), 16) / 255)
    .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2];
}
