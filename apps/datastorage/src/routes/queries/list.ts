import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { LIST_LIMIT, Problem, storableText } from "@kubernaut/schema";
import { type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import type { AppEnv } from "../../env.js";
import { decodeCursor, encodeCursor, type ListCursor } from "./cursor.js";
import { checkTimeRange, fingerprint, instant, limitParam } from "./params.js";
import { selectRows } from "./rows.js";
import { type AuditTableView, remediationPayloadIs } from "./tables.js";

interface ListQuery {
  fingerprint?: string;
  environment?: string;
  namespace?: string;
  signal?: string;
  reason?: string;
  since?: string;
  until?: string;
  limit: number;
  cursor?: ListCursor;
  [status: string]: unknown;
}

function listQuery(view: AuditTableView) {
  return z
    .strictObject({
      fingerprint: fingerprint.optional().meta({ description: "Only this alert_fingerprint" }),
      [view.status.param]: storableText()
        .min(1, { error: "must not be empty" })
        .max(50, { error: "at most 50 characters" })
        .optional()
        .meta({ description: `Only this ${view.status.description}` }),
      environment: storableText()
        .min(1, { error: "must not be empty" })
        .max(50, { error: "at most 50 characters" })
        .optional()
        .meta({ description: "Only this environment" }),
      namespace: storableText()
        .min(1, { error: "must not be empty" })
        .max(253, { error: "at most 253 characters" })
        .optional()
        .meta({ description: "Only remediations whose signal is about a resource in this namespace" }),
      signal: storableText()
        .min(1, { error: "must not be empty" })
        .max(255, { error: "at most 255 characters" })
        .optional()
        .meta({ description: "Only remediations of this signal (the alert's name, e.g. PodOOMKilled)" }),
      reason: storableText()
        .trim()
        .min(1, { error: "must not be empty" })
        .max(200, { error: "at most 200 characters" })
        .optional()
        .meta({ description: "Only rows whose failure reason contains this text (case-insensitive)" }),
      since: instant.optional().meta({ description: "Only rows created after this time (RFC 3339)" }),
      until: instant.optional().meta({ description: "Only rows created at or before this time (RFC 3339)" }),
      limit: limitParam(LIST_LIMIT),
      cursor: z
        .string()
        .transform((text, ctx) => {
          const cursor = decodeCursor(text, view.id.schema);
          if (cursor === null) {
            ctx.addIssue({ code: "custom", message: "not a cursor of this list; pass next_cursor as given" });
            return z.NEVER;
          }
          return cursor;
        })
        .optional()
        .meta({ description: "The next_cursor of the previous page" }),
    })
    .superRefine(checkTimeRange);
}

/** `GET /api/v1/audit/{table}`: filtered rows, newest first, in keyset pages on (`created_at`, `id`). */
export function registerListRoute(app: OpenAPIHono<AppEnv>, view: AuditTableView): void {
  const route = createRoute({
    method: "get",
    path: `/api/v1/audit/${view.path}`,
    tags: ["queries"],
    summary: `List ${view.path} audit records, newest first`,
    request: { query: listQuery(view) },
    responses: {
      200: { description: "One page", content: { "application/json": { schema: view.page } } },
      400: {
        description: "A filter or the cursor is invalid; the problem names it",
        content: { "application/problem+json": { schema: Problem } },
      },
    },
  });

  app.openapi(route, async (c) => {
    const query = c.req.valid("query") as ListQuery;
    const conditions: SQL[] = [sql`TRUE`];
    if (query.fingerprint !== undefined) conditions.push(sql`t.alert_fingerprint = ${query.fingerprint}`);
    const status = query[view.status.param];
    if (typeof status === "string") conditions.push(sql`${view.status.column} = ${status}`);
    if (query.environment !== undefined) conditions.push(view.environment(query.environment));
    if (query.namespace !== undefined)
      conditions.push(remediationPayloadIs(view, "target_namespace", query.namespace));
    if (query.signal !== undefined) conditions.push(remediationPayloadIs(view, "signal_name", query.signal));
    if (query.reason !== undefined) {
      // The text is matched literally: LIKE's wildcards in it are escaped.
      const pattern = `%${query.reason.replace(/[\\%_]/g, "\\$&")}%`;
      conditions.push(sql`${view.reason} ILIKE ${pattern}`);
    }
    if (query.since !== undefined) conditions.push(sql`t.created_at > ${query.since}::timestamptz`);
    if (query.until !== undefined) conditions.push(sql`t.created_at <= ${query.until}::timestamptz`);
    if (query.cursor !== undefined) {
      conditions.push(
        sql`(t.created_at, t.id) < (${query.cursor.createdAt}::timestamptz, ${query.cursor.id}::${view.id.cast})`,
      );
    }
    const rows = await selectRows<{ row: { id: string | number; created_at: string } }>(
      c.var.deps.db,
      sql`SELECT row_to_json(t) AS row FROM ${view.table} t
          WHERE ${sql.join(conditions, sql` AND `)}
          ORDER BY t.created_at DESC, t.id DESC
          LIMIT ${query.limit + 1}`,
    );
    const items = rows.slice(0, query.limit).map((r) => r.row);
    const last = items.at(-1);
    const next_cursor =
      rows.length > query.limit && last
        ? encodeCursor({ createdAt: last.created_at, id: String(last.id) })
        : null;
    return c.json({ items, next_cursor }, 200);
  });
}
