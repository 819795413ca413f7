import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../env.js";
import { registerAuditWriteRoutes } from "./audit-writes/index.js";
import { registerEmbeddingRoutes } from "./embeddings/index.js";
import { registerOpsRoutes } from "./ops/index.js";

/**
 * Every resource's routes, one aggregator per resource. An aggregator is
 * `(app: OpenAPIHono<AppEnv>) => void` and calls `app.openapi(route, handler)` once per route module.
 */
export function registerRoutes(app: OpenAPIHono<AppEnv>): void {
  registerOpsRoutes(app);
  registerAuditWriteRoutes(app);
  registerEmbeddingRoutes(app);
}
