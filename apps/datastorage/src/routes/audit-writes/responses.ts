import type { OpenAPIHonoOptions } from "@hono/zod-openapi";
import { type AuditSource, Problem, WriteResult } from "@kubernaut/schema";
import type { AppEnv } from "../../env.js";
import { defaultHook } from "../../errors.js";

const problem = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: Problem } },
});

/** The answers every write route documents. */
export const writeResponses = {
  201: {
    description: "stored: how many records were new and how many were retries already stored",
    content: { "application/json": { schema: WriteResult } },
  },
  400: problem("invalid record (field errors name each invalid field) or malformed JSON"),
  401: problem("missing or wrong bearer token"),
  403: problem("the token may not create audit records"),
  413: problem("body over MAX_BODY_BYTES, or batch over MAX_BATCH_RECORDS"),
  415: problem("Content-Type is not application/json"),
  429: problem(
    "the write queue is full (WRITE_QUEUE_MAX_RECORDS): nothing of the request was stored; retry after Retry-After seconds",
  ),
  503: problem(
    "the database is unavailable: nothing of the request was stored; retry after Retry-After seconds",
  ),
} as const;

type WriteHook = NonNullable<OpenAPIHonoOptions<AppEnv>["defaultHook"]>;

/** The default validation answer, counting rejected records by source first. */
export function countRejected(source: AuditSource | "batch"): WriteHook {
  return (result, c) => {
    if (!result.success) c.var.deps.metrics.auditWrites.inc({ source, outcome: "rejected" });
    return defaultHook(result, c);
  };
}
