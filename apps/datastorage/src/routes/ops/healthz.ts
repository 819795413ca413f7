import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import type { AppEnv } from "../../env.js";

export const HealthStatus = z.object({
  status: z.enum(["ok", "unavailable"]),
  reason: z.string().optional(),
});
export type HealthStatus = z.infer<typeof HealthStatus>;

export const healthzRoute = createRoute({
  method: "get",
  path: "/healthz",
  tags: ["operations"],
  summary: "Liveness: the process is running",
  responses: {
    200: { description: "alive", content: { "application/json": { schema: HealthStatus } } },
  },
});

/** Liveness: answers as long as the event loop runs; never touches the database. */
export function registerHealthzRoute(app: OpenAPIHono<AppEnv>): void {
  app.openapi(healthzRoute, (c) => c.json({ status: "ok" as const }, 200));
}
