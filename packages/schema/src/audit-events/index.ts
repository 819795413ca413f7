export * from "./contract.js";
export * from "./partitions.js";
export * from "./table.js";
