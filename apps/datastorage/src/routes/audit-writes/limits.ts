import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { Limits, Problem } from "@kubernaut/schema";
import type { AppEnv } from "../../env.js";
import { noQuery } from "../queries/params.js";

export const limitsRoute = createRoute({
  method: "get",
  path: "/api/v1/limits",
  tags: ["audit writes"],
  summary: "The server's write limits; publishers size their batches by them",
  request: { query: noQuery },
  responses: {
    200: { description: "the limits", content: { "application/json": { schema: Limits } } },
    400: {
      description: "a query parameter was given",
      content: { "application/problem+json": { schema: Problem } },
    },
  },
});

export function registerLimitsRoute(app: OpenAPIHono<AppEnv>): void {
  app.openapi(limitsRoute, (c) => {
    const { config } = c.var.deps;
    return c.json(
      { max_batch_records: config.MAX_BATCH_RECORDS, max_body_bytes: config.MAX_BODY_BYTES },
      200,
    );
  });
}
