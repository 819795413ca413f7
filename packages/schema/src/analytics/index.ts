export * from "./responses.js";
export * from "./rows.js";
