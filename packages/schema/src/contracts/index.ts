// The zod wire contracts and their types, without the Drizzle tables: what the controllers and the storage
// client import (`@kubernaut/schema/contracts`), so that they never load drizzle-orm.
export * from "../ai-analysis-audit/contract.js";
export * from "../alert-processing-audit/contract.js";
export * from "../analytics/index.js";
export * from "../audit-events/contract.js";
export * from "../audit-log/contract.js";
export * from "../investigation-embeddings/contract.js";
export * from "../investigation-embeddings/responses.js";
export * from "../legal-holds/contract.js";
export * from "../queries/index.js";
export * from "../remediation-audit/contract.js";
export * from "../wire/index.js";
