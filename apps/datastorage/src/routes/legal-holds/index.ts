import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../env.js";
import { registerListLegalHoldsRoute } from "./list.js";
import { registerPlaceLegalHoldRoute } from "./place.js";
import { registerReleaseLegalHoldRoute } from "./release.js";

/** `/api/v1/audit/legal-holds`: place (POST), list (GET), release (DELETE `/{id}`). */
export function registerLegalHoldRoutes(app: OpenAPIHono<AppEnv>): void {
  registerPlaceLegalHoldRoute(app);
  registerListLegalHoldsRoute(app);
  registerReleaseLegalHoldRoute(app);
}
