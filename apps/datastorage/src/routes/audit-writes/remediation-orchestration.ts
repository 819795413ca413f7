import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { RemediationOrchestrationAudit } from "@kubernaut/schema";
import type { AppEnv } from "../../env.js";
import { ingestAuditRecords } from "../../write/ingest.js";
import { noQuery } from "../queries/params.js";
import { countRejected, writeResponses } from "./responses.js";

export const remediationOrchestrationRoute = createRoute({
  method: "post",
  path: "/api/v1/audit/remediation-orchestration",
  tags: ["audit writes"],
  summary: "Record a remediation's phase change (seed 003); upserts remediation_audit by remediation_name",
  request: {
    query: noQuery,
    body: { required: true, content: { "application/json": { schema: RemediationOrchestrationAudit } } },
  },
  responses: writeResponses,
});

export function registerRemediationOrchestrationRoute(app: OpenAPIHono<AppEnv>): void {
  // The explicit route type keeps the body typed despite the shared, input-agnostic hook.
  app.openapi<typeof remediationOrchestrationRoute>(
    remediationOrchestrationRoute,
    async (c) => {
      const record = c.req.valid("json");
      const { result } = await ingestAuditRecords(
        c.var.deps,
        [{ kind: "remediation-orchestration", ...record }],
        "orchestrator",
      );
      return c.json(result, 201);
    },
    countRejected("orchestrator"),
  );
}
