import * as tables from "./tables.js";

export * from "./ai-analysis-audit/index.js";
export * from "./alert-processing-audit/index.js";
export * from "./analytics/index.js";
export * from "./audit-events/index.js";
export * from "./audit-log/index.js";
export * from "./distribution.js";
export * from "./investigation-embeddings/index.js";
export * from "./investigation-embeddings/responses.js";
export * from "./legal-holds/index.js";
export * from "./partitions.js";
export * from "./queries/index.js";
export * from "./remediation-audit/index.js";
export * from "./retention-runs/index.js";
export * from "./wire/index.js";

/** All tables, for `drizzle(client, { schema })`. */
export const schema = tables;
export type Schema = typeof tables;
