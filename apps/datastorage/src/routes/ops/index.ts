import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../env.js";
import { registerHealthzRoute } from "./healthz.js";
import { registerMetricsRoute } from "./metrics.js";
import { registerOpenApiRoutes } from "./openapi.js";
import { registerReadyzRoute } from "./readyz.js";

export function registerOpsRoutes(app: OpenAPIHono<AppEnv>): void {
  registerHealthzRoute(app);
  registerReadyzRoute(app);
  registerMetricsRoute(app);
  registerOpenApiRoutes(app);
}
