export * from "./contract.js";
export * from "./table.js";
