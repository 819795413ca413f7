import { OpenAPIHono } from "@hono/zod-openapi";
import { createAuthorizer } from "./auth/index.js";
import type { AppDeps, AppEnv } from "./env.js";
import { defaultHook, onError, onNotFound } from "./errors.js";
import { requireBearer } from "./middleware/auth.js";
import { limitBody } from "./middleware/body-limit.js";
import { requireJsonBody } from "./middleware/content-type.js";
import { requestContext } from "./middleware/request-context.js";
import { registerRoutes } from "./routes/index.js";
import { registerUiRoutes } from "./routes/ui/index.js";

/**
 * The whole HTTP API, without a socket: `server.ts` listens, tests call `app.request()`.
 * Order matters: context and metrics wrap everything; authentication comes before the body is looked at;
 * the body checks run before any route reads a body.
 */
export function createApp(deps: AppDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook });
  app.use(requestContext(deps));
  const authorizer =
    deps.authorizer === undefined ? createAuthorizer(deps.config, deps.logger) : deps.authorizer;
  if (authorizer) app.use("/api/*", requireBearer(authorizer));
  // The media type first: a body in another charset is named as such, not read as broken UTF-8.
  app.use("/api/*", requireJsonBody);
  app.use("/api/*", limitBody(deps.config.MAX_BODY_BYTES));
  registerRoutes(app, deps.config);
  registerUiRoutes(app);
  app.notFound(onNotFound);
  app.onError(onError);
  return app;
}
