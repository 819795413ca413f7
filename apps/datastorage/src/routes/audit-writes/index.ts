import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../env.js";
import { registerLimitsRoute } from "./limits.js";

export function registerAuditWriteRoutes(app: OpenAPIHono<AppEnv>): void {
  registerLimitsRoute(app);
}
