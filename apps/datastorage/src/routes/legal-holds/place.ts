import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { execute } from "@kubernaut/db";
import { LegalHold, PlaceLegalHold } from "@kubernaut/schema";
import { sql } from "drizzle-orm";
import type { AppEnv } from "../../env.js";
import { HttpProblem } from "../../errors.js";
import { noQuery } from "../queries/params.js";
import { appendHoldEvent, findHold } from "./holds.js";
import { authResponses, problem } from "./responses.js";

export const placeLegalHoldRoute = createRoute({
  method: "post",
  path: "/api/v1/audit/legal-holds",
  tags: ["legal holds"],
  summary:
    "Place a legal hold: the records of one correlation id, one alert fingerprint or one time range are kept past retention and cannot be deleted",
  request: {
    query: noQuery,
    body: { required: true, content: { "application/json": { schema: PlaceLegalHold } } },
  },
  responses: {
    201: { description: "The hold, active", content: { "application/json": { schema: LegalHold } } },
    400: problem("invalid body: no scope or two, a missing reason, `to` before `from`, `expires_at` past"),
    ...authResponses,
    415: problem("Content-Type is not application/json"),
  },
});

/** Inserts the hold and appends its `legal-hold.placed` event in one transaction. */
export function registerPlaceLegalHoldRoute(app: OpenAPIHono<AppEnv>): void {
  app.openapi(placeLegalHoldRoute, async (c) => {
    const body = c.req.valid("json");
    const { db, clock } = c.var.deps;
    const now = clock();
    if (body.expires_at !== undefined && Date.parse(body.expires_at) <= now.getTime()) {
      throw HttpProblem.validation([{ path: "expires_at", message: "must be in the future" }]);
    }
    const hold = await db.transaction(async (tx) => {
      const [inserted] = await execute<{ id: string }>(
        tx,
        sql`
          INSERT INTO legal_holds
            (correlation_id, alert_fingerprint, from_time, to_time, reason, requested_by, created_at, expires_at)
          VALUES (${body.correlation_id ?? null}, ${body.alert_fingerprint ?? null},
            ${body.from ?? null}::timestamptz, ${body.to ?? null}::timestamptz, ${body.reason},
            ${body.requested_by}, ${now.toISOString()}::timestamptz, ${body.expires_at ?? null}::timestamptz)
          RETURNING id`,
      );
      const placed = inserted && (await findHold(tx, inserted.id));
      if (!placed) throw new Error("legal_holds insert returned no row");
      await appendHoldEvent(tx, {
        kind: "placed",
        hold: placed,
        at: now,
        principal: c.var.principal,
        detail: { reason: placed.reason, requested_by: placed.requested_by, expires_at: placed.expires_at },
      });
      return placed;
    });
    c.var.log.info(
      { hold: hold.id, scope: hold.scope, requested_by: hold.requested_by },
      "legal hold placed",
    );
    return c.json(hold, 201);
  });
}
