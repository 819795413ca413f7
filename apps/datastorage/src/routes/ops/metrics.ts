import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import type { AppEnv } from "../../env.js";
import { recordPoolStats } from "../../metrics.js";

export const metricsRoute = createRoute({
  method: "get",
  path: "/metrics",
  tags: ["operations"],
  summary: "Prometheus metrics",
  responses: {
    200: { description: "Prometheus text exposition", content: { "text/plain": { schema: z.string() } } },
  },
});

export function registerMetricsRoute(app: OpenAPIHono<AppEnv>): void {
  app.openapi(metricsRoute, async (c) => {
    const { metrics, database } = c.var.deps;
    recordPoolStats(metrics, database.poolStats());
    const body = await metrics.registry.metrics();
    return c.text(body, 200, { "Content-Type": metrics.registry.contentType });
  });
}
