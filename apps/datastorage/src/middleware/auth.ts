import type { MiddlewareHandler } from "hono";
import type { AccessVerb, Authorizer } from "../auth/index.js";
import type { AppEnv } from "../env.js";
import { HttpProblem } from "../errors.js";

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** The write contract (batch and body limits): what a writer must know, and a reader may look at. */
const LIMITS_PATH = "/api/v1/limits";
/** Legal holds: listing them is a read; placing (POST) and releasing (DELETE `/{id}`) need a permission of their own. */
const LEGAL_HOLDS_PATH = "/api/v1/audit/legal-holds";
/** The redacted text of a value: a POST only to carry the value in a body; what it answers is a read. */
const REDACTION_HASH_PATH = "/api/v1/audit/redaction-hash";

/**
 * What a request may be allowed by, on services/data-storage: reads need `get`, writes `create`, and the
 * limits either one (`create` first: the publishers that fetch them write), so that a controller that only
 * writes can still learn how much it may send. The redaction hash is a read sent as a POST. Placing and releasing legal holds need their own verbs.
 */
export function accessVerbsOf(method: string, path: string): readonly AccessVerb[] {
  const read = method === "GET" || method === "HEAD";
  if (read && path === LIMITS_PATH) return ["create", "get"];
  if (method === "POST" && path === LEGAL_HOLDS_PATH) return ["legal-hold:create"];
  if (method === "POST" && path === REDACTION_HASH_PATH) return ["get"];
  if (method === "DELETE" && path.startsWith(`${LEGAL_HOLDS_PATH}/`)) return ["legal-hold:delete"];
  return read ? ["get"] : ["create"];
}

/** Every `/api/` request must carry a bearer token the authorizer accepts for what it does. */
export function requireBearer(authorizer: Authorizer): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = BEARER.exec(c.req.header("authorization") ?? "")?.[1];
    const principal = await authorizedFor(authorizer, token, accessVerbsOf(c.req.method, c.req.path));
    c.set("principal", principal);
    c.set("log", c.var.log.child({ principal }));
    await next();
  };
}

/**
 * The principal the first of `verbs` the token is allowed is granted to. Only a refusal (403) tries the next
 * verb; a missing or unknown token (401) or an unavailable API server (503) ends the request at once.
 */
async function authorizedFor(
  authorizer: Authorizer,
  token: string | undefined,
  verbs: readonly AccessVerb[],
): Promise<string> {
  let refusal: unknown;
  for (const verb of verbs) {
    try {
      return await authorizer.authorize(token, verb);
    } catch (error) {
      if (!(error instanceof HttpProblem && error.status === 403)) throw error;
      refusal = error;
    }
  }
  throw refusal;
}
