import { randomUUID } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import type { AppDeps, AppEnv } from "../env.js";

/** A caller's request id is kept (for tracing across services) only if it is short and plain. */
const REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * Binds the dependencies and a per-request logger, then counts and times the request by its matched route
 * pattern (never the raw path: `/api/v1/audit/ai-analysis/{id}` stays one series), and logs one line at debug.
 */
export function requestContext(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    const given = c.req.header("x-request-id");
    const requestId = given && REQUEST_ID.test(given) ? given : randomUUID();
    c.set("deps", deps);
    c.set("log", deps.logger.child({ request_id: requestId }));
    c.header("X-Request-Id", requestId);
    await next();
    const seconds = (performance.now() - started) / 1000;
    const labels = { method: c.req.method, route: routePattern(c), status: String(c.res.status) };
    deps.metrics.httpRequests.inc(labels);
    deps.metrics.httpDuration.observe(labels, seconds);
    c.var.log.debug({ ...labels, path: c.req.path, ms: Math.round(seconds * 1e4) / 10 }, "request");
  };
}

/** The pattern of the route that answered, or `unmatched` when only middleware matched (a 404). */
function routePattern(c: Parameters<MiddlewareHandler<AppEnv>>[0]): string {
  const last = matchedRoutes(c).at(-1);
  if (!last || last.method === "ALL") return "unmatched";
  return last.path;
}
