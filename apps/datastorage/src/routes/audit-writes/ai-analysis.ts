import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { AIAnalysisAuditEvent } from "@kubernaut/schema";
import type { AppEnv } from "../../env.js";
import { ingestAuditRecords } from "../../write/ingest.js";
import { noQuery } from "../queries/params.js";
import { countRejected, writeResponses } from "./responses.js";

export const aiAnalysisRoute = createRoute({
  method: "post",
  path: "/api/v1/audit/ai-analysis",
  tags: ["audit writes"],
  summary:
    "Record one of an AIAnalysis's five trigger points (seed 000); merges into one ai_analysis_audit row per AIAnalysis",
  request: {
    query: noQuery,
    body: { required: true, content: { "application/json": { schema: AIAnalysisAuditEvent } } },
  },
  responses: writeResponses,
});

export function registerAIAnalysisRoute(app: OpenAPIHono<AppEnv>): void {
  // The explicit route type keeps the body typed despite the shared, input-agnostic hook.
  app.openapi<typeof aiAnalysisRoute>(
    aiAnalysisRoute,
    async (c) => {
      const event = c.req.valid("json");
      const { result } = await ingestAuditRecords(
        c.var.deps,
        [{ kind: "ai-analysis", ...event }],
        "ai-analysis",
      );
      return c.json(result, 201);
    },
    countRejected("ai-analysis"),
  );
}
