import type { OpenAPIHonoOptions } from "@hono/zod-openapi";
import { classifyDatabaseError } from "@kubernaut/db";
import { type FieldError, fieldErrors, type Problem } from "@kubernaut/schema";
import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { z } from "zod";
import type { AppEnv } from "./env.js";

const PROBLEM_BASE = "https://kubernaut.ai/problems/";

/** The problem `type` slug and default title of each status the service answers with. */
const KNOWN: Record<number, { slug: string; title: string }> = {
  400: { slug: "bad-request", title: "Bad request" },
  401: { slug: "unauthorized", title: "Unauthorized" },
  403: { slug: "forbidden", title: "Forbidden" },
  404: { slug: "not-found", title: "Not found" },
  405: { slug: "method-not-allowed", title: "Method not allowed" },
  409: { slug: "conflict", title: "Conflict" },
  413: { slug: "payload-too-large", title: "Payload too large" },
  415: { slug: "unsupported-media-type", title: "Unsupported media type" },
  429: { slug: "too-many-requests", title: "Too many requests" },
  500: { slug: "internal", title: "Internal error" },
  503: { slug: "unavailable", title: "Service unavailable" },
};

export interface HttpProblemInit {
  status: ContentfulStatusCode;
  /** Defaults to the status's own title. */
  title?: string;
  detail?: string;
  errors?: FieldError[];
  /** A slug under https://kubernaut.ai/problems/, or a full URI; defaults from the status. */
  type?: string;
  /** Extra response headers, e.g. `WWW-Authenticate` on a 401. */
  headers?: Record<string, string>;
}

/**
 * The one error a handler or middleware throws; `onError` turns it into an RFC 7807
 * `application/problem+json` answer. Handlers never format errors themselves.
 */
export class HttpProblem extends Error {
  readonly status: ContentfulStatusCode;
  readonly title: string;
  readonly detail: string | undefined;
  readonly errors: FieldError[] | undefined;
  readonly type: string;
  readonly headers: Record<string, string>;

  constructor(init: HttpProblemInit) {
    const known = KNOWN[init.status];
    const title = init.title ?? known?.title ?? "Error";
    super(init.detail ?? title);
    this.name = "HttpProblem";
    this.status = init.status;
    this.title = title;
    this.detail = init.detail;
    this.errors = init.errors;
    const slug = init.type ?? known?.slug ?? "error";
    this.type = slug.includes(":") ? slug : PROBLEM_BASE + slug;
    this.headers = init.headers ?? {};
  }

  /** 400 with one entry per invalid field (`records.3.start_time`). */
  static validation(errors: FieldError[]): HttpProblem {
    const detail = errors.length === 1 ? "1 field is invalid" : `${errors.length} fields are invalid`;
    return new HttpProblem({
      status: 400,
      type: "validation",
      title: "Request validation failed",
      detail,
      errors,
    });
  }

  static notFound(detail: string): HttpProblem {
    return new HttpProblem({ status: 404, detail });
  }

  static conflict(detail: string): HttpProblem {
    return new HttpProblem({ status: 409, detail });
  }

  toJSON(instance?: string): Problem {
    return {
      type: this.type,
      title: this.title,
      status: this.status,
      ...(this.detail === undefined ? {} : { detail: this.detail }),
      ...(instance === undefined ? {} : { instance }),
      ...(this.errors === undefined ? {} : { errors: this.errors }),
    };
  }
}

/** Writes a problem answer. */
export function problemResponse(c: Context, problem: HttpProblem): Response {
  return c.body(JSON.stringify(problem.toJSON(c.req.path)), problem.status, {
    ...problem.headers,
    "Content-Type": "application/problem+json",
  });
}

/** Seconds a client waits before retrying after a transient database failure. */
export const TRANSIENT_RETRY_AFTER_SECONDS = 1;

/**
 * A database error as a problem: one the request's values caused is a 400 naming what the database refused (and
 * the column or constraint, when the database named them); a collision with stored data (a unique violation, a
 * row under legal hold) a 409; a transient one (already retried by the service), or a write into a month with no
 * partition, a 503 with `Retry-After`;
 * anything else is no problem of the client's, and stays a 500.
 */
export function databaseProblem(err: unknown): HttpProblem | undefined {
  const classified = classifyDatabaseError(err);
  const partition = /no partition of relation "([^"]+)" found for row/.exec(classified?.message ?? "");
  if (partition) {
    // Not the request's fault: the month it was received in has no partition (see `monthPartitionKeeper`).
    return new HttpProblem({
      status: 503,
      detail: `${partition[1]} has no partition for this month; the service creates it again within minutes (ensure_month_partitions); retry after the Retry-After delay`,
      headers: { "Retry-After": String(TRANSIENT_RETRY_AFTER_SECONDS * 60) },
    });
  }
  if (classified?.kind === "input" || classified?.kind === "conflict") {
    const named = [
      classified.code && `SQLSTATE ${classified.code}`,
      classified.column && `column ${classified.column}`,
      classified.constraint && `constraint ${classified.constraint}`,
    ].filter(Boolean);
    const what =
      classified.kind === "input"
        ? "refused a value of the request"
        : "found the request in conflict with stored data";
    return new HttpProblem({
      status: classified.kind === "input" ? 400 : 409,
      ...(classified.kind === "input"
        ? { type: "unstorable-value", title: "The database refused a value" }
        : {}),
      detail: `the database ${what}${named.length > 0 ? ` (${named.join(", ")})` : ""}: ${classified.message}`,
    });
  }
  if (classified?.kind === "transient") {
    return new HttpProblem({
      status: 503,
      detail: "the database is busy or unreachable for a moment; retry after the Retry-After delay",
      headers: { "Retry-After": String(TRANSIENT_RETRY_AFTER_SECONDS) },
    });
  }
  return undefined;
}

/**
 * Maps anything thrown to a problem: known problems as they are, database errors by their cause (see
 * `databaseProblem`), anything else a 500 that leaks nothing.
 */
export const onError: ErrorHandler<AppEnv> = (err, c) => {
  if (err instanceof HttpProblem) return problemResponse(c, err);
  if (err instanceof HTTPException && err.status < 500) {
    // Hono's own client errors, e.g. the JSON validator's "Malformed JSON in request body".
    const status = err.status as ContentfulStatusCode;
    const type = /json/i.test(err.message) ? "malformed-json" : undefined;
    return problemResponse(
      c,
      new HttpProblem({ status, detail: err.message || undefined, ...(type ? { type } : {}) }),
    );
  }
  const log = c.get("log") ?? c.get("deps")?.logger;
  const fromDatabase = databaseProblem(err);
  if (fromDatabase) {
    log?.warn(
      { err, method: c.req.method, path: c.req.path, status: fromDatabase.status },
      "database refused",
    );
    return problemResponse(c, fromDatabase);
  }
  log?.error({ err, method: c.req.method, path: c.req.path }, "request failed");
  return problemResponse(c, new HttpProblem({ status: 500, detail: "internal error" }));
};

/** Every unknown route answers a problem too. */
export const onNotFound: NotFoundHandler<AppEnv> = (c) =>
  problemResponse(c, HttpProblem.notFound(`no route for ${c.req.method} ${c.req.path}`));

/** The zod-openapi hook of every route: a failed validation becomes a 400 with field errors. */
export const defaultHook: NonNullable<OpenAPIHonoOptions<AppEnv>["defaultHook"]> = (result) => {
  if (!result.success) {
    const prefix = result.target === "json" ? [] : [result.target];
    throw HttpProblem.validation(fieldErrors(result.error.issues.flatMap(perUnknownKey), prefix));
  }
};

/** An unknown field is reported at its own path (`records.2.surprise`), not at its parent object. */
function perUnknownKey(issue: z.core.$ZodIssue): z.core.$ZodIssue[] {
  if (issue.code !== "unrecognized_keys") return [issue];
  return issue.keys.map((key) => ({ ...issue, path: [...issue.path, key], message: "unknown field" }));
}
