import type { MiddlewareHandler } from "hono";
import type { AccessVerb, Authorizer } from "../auth/index.js";
import type { AppEnv } from "../env.js";

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** Every `/api/` request must carry a bearer token the authorizer accepts for what it does. */
export function requireBearer(authorizer: Authorizer): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = BEARER.exec(c.req.header("authorization") ?? "")?.[1];
    const verb: AccessVerb = c.req.method === "GET" || c.req.method === "HEAD" ? "get" : "create";
    const principal = await authorizer.authorize(token, verb);
    c.set("log", c.var.log.child({ principal }));
    await next();
  };
}
