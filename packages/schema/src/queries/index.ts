export * from "./records.js";
export * from "./responses.js";
