export * from "./envelope.js";
export * from "./event-id.js";
export * from "./go.js";
export * from "./problem.js";
export * from "./storable.js";
