import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { RemediationProcessingAudit } from "@kubernaut/schema";
import type { AppEnv } from "../../env.js";
import { ingestAuditRecords } from "../../write/ingest.js";
import { noQuery } from "../queries/params.js";
import { countRejected, writeResponses } from "./responses.js";

export const alertProcessingRoute = createRoute({
  method: "post",
  path: "/api/v1/audit/alert-processing",
  tags: ["audit writes"],
  summary: "Record a processing's audit trail (seed 001); upserts alert_processing_audit by remediation_id",
  request: {
    query: noQuery,
    body: { required: true, content: { "application/json": { schema: RemediationProcessingAudit } } },
  },
  responses: writeResponses,
});

export function registerAlertProcessingRoute(app: OpenAPIHono<AppEnv>): void {
  // The explicit route type keeps the body typed despite the shared, input-agnostic hook.
  app.openapi<typeof alertProcessingRoute>(
    alertProcessingRoute,
    async (c) => {
      const record = c.req.valid("json");
      const { result } = await ingestAuditRecords(
        c.var.deps,
        [{ kind: "alert-processing", ...record }],
        "processor",
      );
      return c.json(result, 201);
    },
    countRejected("processor"),
  );
}
