import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../env.js";
import { registerGetByIdRoute } from "./get-by-id.js";
import { registerListRoute } from "./list.js";
import { AUDIT_TABLE_VIEWS } from "./tables.js";
import { registerTimelineRoute } from "./timeline.js";

/** The audit read endpoints: the post-mortem timeline, and a list and a by-id lookup per audit table. */
export function registerQueryRoutes(app: OpenAPIHono<AppEnv>): void {
  registerTimelineRoute(app);
  for (const view of AUDIT_TABLE_VIEWS) {
    registerListRoute(app, view);
    registerGetByIdRoute(app, view);
  }
}
