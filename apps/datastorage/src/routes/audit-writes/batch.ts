import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { AuditRecord } from "@kubernaut/schema";
import { z } from "zod";
import type { AppEnv } from "../../env.js";
import { HttpProblem } from "../../errors.js";
import { ingestAuditRecords } from "../../write/ingest.js";
import { noQuery } from "../queries/params.js";
import { countRejected, writeResponses } from "./responses.js";

/**
 * `POST /api/v1/audit/batch`, documented with the server's own limit (`maxItems`), which
 * `GET /api/v1/limits` also reports: clients and server size batches by the same number.
 */
export function batchRoute(maxRecords: number) {
  return createRoute({
    method: "post",
    path: "/api/v1/audit/batch",
    tags: ["audit writes"],
    summary: `Record up to ${maxRecords} records of any kind in one transaction`,
    description:
      "An invalid record rejects the whole batch; each field error names the record's index (`records.3.start_time`). " +
      `More than ${maxRecords} records (MAX_BATCH_RECORDS) is a 413.`,
    request: {
      query: noQuery,
      body: {
        required: true,
        content: {
          "application/json": {
            schema: z.strictObject({
              records: z
                .array(AuditRecord)
                .min(1, { error: "a batch needs at least one record" })
                .max(maxRecords, {
                  error: `a batch holds at most ${maxRecords} records (MAX_BATCH_RECORDS)`,
                }),
            }),
          },
        },
      },
    },
    responses: writeResponses,
  });
}

export function registerBatchRoute(app: OpenAPIHono<AppEnv>, maxRecords: number): void {
  const rejected = countRejected("batch");
  const route = batchRoute(maxRecords);
  app.openapi<typeof route>(
    route,
    async (c) => {
      const { records } = c.req.valid("json");
      c.var.deps.metrics.batchSize.observe(records.length);
      const { result } = await ingestAuditRecords(c.var.deps, records, "batch");
      return c.json(result, 201);
    },
    async (result, c) => {
      if (!result.success && result.error.issues.some(isOverLimit)) {
        const body: unknown = await c.req.json();
        const count = (body as { records: unknown[] }).records.length;
        throw new HttpProblem({
          status: 413,
          title: "Batch too large",
          detail: `a batch holds at most ${maxRecords} records (MAX_BATCH_RECORDS, see GET /api/v1/limits); this one has ${count}`,
        });
      }
      return rejected(result, c);
    },
  );
}

function isOverLimit(issue: z.core.$ZodIssue): boolean {
  return issue.code === "too_big" && issue.path.length === 1 && issue.path[0] === "records";
}
