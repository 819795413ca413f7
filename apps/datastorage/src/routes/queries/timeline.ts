import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { type AuditEvent, AuditTimeline, Problem, TIMELINE_LIMIT } from "@kubernaut/schema";
import { type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import type { AppEnv } from "../../env.js";
import { checkTimeRange, fingerprint, instant, limitParam } from "./params.js";
import { selectRows } from "./rows.js";

export const timelineRoute = createRoute({
  method: "get",
  path: "/api/v1/audit/timeline/{alert_fingerprint}",
  tags: ["queries"],
  summary: "Post-mortem timeline: every audit event of the three controllers for one alert, in time order",
  request: {
    params: z.object({ alert_fingerprint: fingerprint }),
    query: z
      .strictObject({
        since: instant
          .optional()
          .meta({ description: "Only events that occurred after this time (RFC 3339)" }),
        until: instant.optional().meta({ description: "Only events that occurred at or before this time" }),
        limit: limitParam(TIMELINE_LIMIT),
      })
      .superRefine(checkTimeRange),
  },
  responses: {
    200: {
      description: "The events, by occurred_at then received_at; `truncated` when `limit` cut the list",
      content: { "application/json": { schema: AuditTimeline } },
    },
    400: {
      description: "A parameter is invalid",
      content: { "application/problem+json": { schema: Problem } },
    },
  },
});

export interface TimelineQuery {
  alert_fingerprint: string;
  since?: string | undefined;
  until?: string | undefined;
  limit: number;
}

/** One alert's events in the order they happened; one row more than `limit`, to tell a cut list. */
export function timelineQuery(q: TimelineQuery): SQL {
  const conditions: SQL[] = [sql`alert_fingerprint = ${q.alert_fingerprint}`];
  if (q.since !== undefined) conditions.push(sql`occurred_at > ${q.since}::timestamptz`);
  if (q.until !== undefined) conditions.push(sql`occurred_at <= ${q.until}::timestamptz`);
  return sql`SELECT row_to_json(e) AS row FROM (
      SELECT event_id, correlation_id, alert_fingerprint, event_type, source, occurred_at, received_at, payload
      FROM audit_events
      WHERE ${sql.join(conditions, sql` AND `)}
      ORDER BY occurred_at, received_at, event_id
      LIMIT ${q.limit + 1}
    ) e`;
}

/** Reads `audit_events`, the append-only log, so retried and out-of-order records appear as they arrived. */
export function registerTimelineRoute(app: OpenAPIHono<AppEnv>): void {
  app.openapi(timelineRoute, async (c) => {
    const { alert_fingerprint } = c.req.valid("param");
    const { since, until, limit } = c.req.valid("query");
    const rows = await selectRows<{ row: AuditEvent }>(
      c.var.deps.db,
      timelineQuery({ alert_fingerprint, since, until, limit }),
    );
    const items = rows.slice(0, limit).map((r) => r.row);
    return c.json({ alert_fingerprint, items, truncated: rows.length > limit }, 200);
  });
}
