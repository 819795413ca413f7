import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { execute } from "@kubernaut/db";
import { LegalHold, ReleaseLegalHold } from "@kubernaut/schema";
import { sql } from "drizzle-orm";
import { z } from "zod";
import type { AppEnv } from "../../env.js";
import { HttpProblem } from "../../errors.js";
import { noQuery } from "../queries/params.js";
import { appendHoldEvent, findHold } from "./holds.js";
import { authResponses, problem } from "./responses.js";

export const releaseLegalHoldRoute = createRoute({
  method: "delete",
  path: "/api/v1/audit/legal-holds/{id}",
  tags: ["legal holds"],
  summary: "Release a legal hold: its records follow retention again; the hold stays listed, released",
  request: {
    query: noQuery,
    params: z.object({
      id: z
        .uuid({ error: "expected a legal hold id (a UUID)" })
        .meta({ param: { name: "id", in: "path" }, example: "0b7c2a56-41f4-4a8e-9a57-6c2f0e1d9b3a" }),
    }),
    body: { required: true, content: { "application/json": { schema: ReleaseLegalHold } } },
  },
  responses: {
    200: { description: "The hold, released", content: { "application/json": { schema: LegalHold } } },
    400: problem("malformed id, or invalid body (`released_by` is required)"),
    ...authResponses,
    404: problem("no legal hold with this id"),
    409: problem("the hold was released already"),
    415: problem("Content-Type is not application/json"),
  },
});

/** Marks the hold released and appends its `legal-hold.released` event in one transaction. */
export function registerReleaseLegalHoldRoute(app: OpenAPIHono<AppEnv>): void {
  app.openapi(releaseLegalHoldRoute, async (c) => {
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    const { db, clock } = c.var.deps;
    const now = clock();
    const hold = await db.transaction(async (tx) => {
      const released = await execute<{ id: string }>(
        tx,
        sql`
          UPDATE legal_holds
          SET released_at = ${now.toISOString()}::timestamptz, released_by = ${body.released_by},
            release_reason = ${body.reason ?? null}
          WHERE id = ${id}::uuid AND released_at IS NULL
          RETURNING id`,
      );
      const hold = await findHold(tx, id);
      if (!hold) throw HttpProblem.notFound(`no legal hold with id ${id}`);
      if (released.length === 0) {
        throw HttpProblem.conflict(
          `legal hold ${id} was released already, at ${hold.released_at} by ${hold.released_by}`,
        );
      }
      await appendHoldEvent(tx, {
        kind: "released",
        hold,
        at: now,
        principal: c.var.principal,
        detail: { released_by: hold.released_by, reason: hold.release_reason },
      });
      return hold;
    });
    c.var.log.info({ hold: hold.id, released_by: hold.released_by }, "legal hold released");
    return c.json(hold, 200);
  });
}
