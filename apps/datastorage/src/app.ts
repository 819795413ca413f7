import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppDeps, AppEnv } from "./env.js";
import { defaultHook, onError, onNotFound } from "./errors.js";
import { limitBody } from "./middleware/body-limit.js";
import { requireJsonBody } from "./middleware/content-type.js";
import { requestContext } from "./middleware/request-context.js";
import { registerRoutes } from "./routes/index.js";

/**
 * The whole HTTP API, without a socket: `server.ts` listens, tests call `app.request()`.
 * Order matters: context and metrics wrap everything; the body checks run before any route reads a body.
 */
export function createApp(deps: AppDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook });
  app.use(requestContext(deps));
  app.use("/api/*", limitBody(deps.config.MAX_BODY_BYTES));
  app.use("/api/*", requireJsonBody);
  registerRoutes(app, deps.config);
  app.notFound(onNotFound);
  app.onError(onError);
  return app;
}
