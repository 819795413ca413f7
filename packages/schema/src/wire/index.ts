export * from "./envelope.js";
export * from "./go.js";
export * from "./problem.js";
export * from "./storable.js";
