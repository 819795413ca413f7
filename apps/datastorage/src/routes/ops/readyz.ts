import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../env.js";
import { HealthStatus } from "./healthz.js";

export const readyzRoute = createRoute({
  method: "get",
  path: "/readyz",
  tags: ["operations"],
  summary: "Readiness: the database answers, migrations are applied and the service is not shutting down",
  responses: {
    200: { description: "ready", content: { "application/json": { schema: HealthStatus } } },
    503: { description: "not ready", content: { "application/json": { schema: HealthStatus } } },
  },
});

export function registerReadyzRoute(app: OpenAPIHono<AppEnv>): void {
  app.openapi(readyzRoute, async (c) => {
    const { lifecycle, database, logger } = c.var.deps;
    if (lifecycle.shuttingDown)
      return c.json({ status: "unavailable" as const, reason: "shutting down" }, 503);
    try {
      await database.checkReady();
      return c.json({ status: "ok" as const }, 200);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      logger.warn({ reason }, "not ready");
      return c.json({ status: "unavailable" as const, reason }, 503);
    }
  });
}
