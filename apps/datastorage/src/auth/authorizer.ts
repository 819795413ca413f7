import { HttpProblem } from "../errors.js";

/**
 * What a request does: reads need `get`, writes `create`, on the service `data-storage`. Placing and releasing a
 * legal hold (`legal-hold:create`, `legal-hold:delete`) need the writer's `create` plus a permission of their
 * own: `create` / `delete` on the service's `legal-holds` subresource in tokenreview mode, the legal-hold token
 * in token mode.
 */
export type AccessVerb = "get" | "create" | "legal-hold:create" | "legal-hold:delete";

/** The legal-hold half of a verb (`create` or `delete`), or null for a plain read or write. */
export function legalHoldVerb(verb: AccessVerb): "create" | "delete" | null {
  if (verb === "legal-hold:create") return "create";
  if (verb === "legal-hold:delete") return "delete";
  return null;
}

/** Decides whether a bearer token may do `verb`; resolves to the caller's name for the logs. */
export interface Authorizer {
  /** Throws an HttpProblem: 401 for a missing or unknown token, 403 if not allowed, 503 if it cannot tell. */
  authorize(token: string | undefined, verb: AccessVerb): Promise<string>;
}

const CHALLENGE = { "WWW-Authenticate": 'Bearer realm="kubernaut-datastorage"' };

export function unauthorized(detail: string): HttpProblem {
  return new HttpProblem({ status: 401, detail, headers: CHALLENGE });
}

export function forbidden(detail: string): HttpProblem {
  return new HttpProblem({ status: 403, detail });
}

export function authUnavailable(detail: string): HttpProblem {
  return new HttpProblem({ status: 503, title: "Authentication unavailable", detail });
}
