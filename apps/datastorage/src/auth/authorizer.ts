import { HttpProblem } from "../errors.js";

/** What a request does: reads need `get`, writes `create`, on the service `data-storage`. */
export type AccessVerb = "get" | "create";

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
