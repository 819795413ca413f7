import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Config } from "../config.js";
import type { AppEnv } from "../env.js";
import { registerAnalyticsRoutes } from "./analytics/index.js";
import { registerAuditLogRoutes } from "./audit-log/index.js";
import { registerAuditWriteRoutes } from "./audit-writes/index.js";
import { registerEmbeddingRoutes } from "./embeddings/index.js";
import { registerLegalHoldRoutes } from "./legal-holds/index.js";
import { registerOpsRoutes } from "./ops/index.js";
import { registerQueryRoutes } from "./queries/index.js";

/**
 * Every resource's routes, one aggregator per resource. An aggregator is
 * `(app: OpenAPIHono<AppEnv>, config: Config) => void` (config only where a route's contract depends on it)
 * and calls `app.openapi(route, handler)` once per route module; handlers read dependencies from `c.var.deps`.
 */
export function registerRoutes(app: OpenAPIHono<AppEnv>, config: Config): void {
  registerOpsRoutes(app);
  registerAuditWriteRoutes(app, config);
  registerEmbeddingRoutes(app);
  registerQueryRoutes(app);
  registerLegalHoldRoutes(app);
  registerAnalyticsRoutes(app);
  registerAuditLogRoutes(app);
}
