import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../env.js";
import { registerSearchInvestigationsRoute } from "./search-investigations.js";
import { registerStoreInvestigationRoute } from "./store-investigation.js";

export function registerEmbeddingRoutes(app: OpenAPIHono<AppEnv>): void {
  registerStoreInvestigationRoute(app);
  registerSearchInvestigationsRoute(app);
}
