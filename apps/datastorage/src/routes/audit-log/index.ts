import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../env.js";
import { registerCheckpointRoutes } from "./checkpoints.js";
import { registerExportRoute } from "./export.js";
import { registerProofRoutes } from "./proofs.js";
import { registerRedactionHashRoute } from "./redaction-hash.js";
import { registerVerifyRoute } from "./verify.js";

/**
 * The tamper-evident log: `/api/v1/audit/checkpoints` (latest, list, public-key), `/api/v1/audit/events/{id}/proof`,
 * `/api/v1/audit/consistency`, `/api/v1/audit/leaves`, `/api/v1/audit/verify`, `/api/v1/audit/export`,
 * `/api/v1/audit/redaction-hash`.
 */
export function registerAuditLogRoutes(app: OpenAPIHono<AppEnv>): void {
  registerCheckpointRoutes(app);
  registerProofRoutes(app);
  registerVerifyRoute(app);
  registerExportRoute(app);
  registerRedactionHashRoute(app);
}
