import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { LegalHoldList } from "@kubernaut/schema";
import { sql } from "drizzle-orm";
import { z } from "zod";
import type { AppEnv } from "../../env.js";
import { selectRows } from "../queries/rows.js";
import { ACTIVE_HOLD, selectHolds } from "./holds.js";
import { authResponses, problem } from "./responses.js";

export const listLegalHoldsRoute = createRoute({
  method: "get",
  path: "/api/v1/audit/legal-holds",
  tags: ["legal holds"],
  summary: "Every legal hold, active and released or expired, newest first",
  request: {
    query: z.strictObject({
      active: z
        .enum(["true", "false"], { error: "expected true or false" })
        .transform((v) => v === "true")
        .optional()
        .meta({ description: "Only the active holds (true), or only the released and expired ones (false)" }),
    }),
  },
  responses: {
    200: { description: "The holds", content: { "application/json": { schema: LegalHoldList } } },
    400: problem("a parameter is invalid"),
    ...authResponses,
  },
});

export function registerListLegalHoldsRoute(app: OpenAPIHono<AppEnv>): void {
  app.openapi(listLegalHoldsRoute, async (c) => {
    const { active } = c.req.valid("query");
    const where = active === undefined ? sql`true` : active ? ACTIVE_HOLD : sql`NOT ${ACTIVE_HOLD}`;
    const rows = await selectRows<{ hold: LegalHoldList["items"][number] }>(
      c.var.deps.db,
      selectHolds(where),
    );
    return c.json({ items: rows.map((r) => r.hold) }, 200);
  });
}
