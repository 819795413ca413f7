import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { ANALYTICS_LIMIT, ANALYTICS_RESPONSES, type AnalyticsName, Problem } from "@kubernaut/schema";
import { type SQL, sql } from "drizzle-orm";
import { accepts } from "hono/accepts";
import { z } from "zod";
import type { AppEnv } from "../../env.js";
import { limitParam } from "../queries/params.js";
import { selectRows } from "../queries/rows.js";
import { toCsv } from "./csv.js";
import { checkWindow, resolveWindow, type Window, type WindowQuery, windowQueryShape } from "./window.js";

/** What an analytics query is built from: the request's window, row limit and own parameters. */
export interface AnalyticsRequest<P> {
  window: Window;
  limit: number;
  params: P;
}

/**
 * One seed query served as `GET /api/v1/analytics/{name}`. `query` returns the seed's SQL with the window
 * (and any parameter) bound; its result columns are the row contract's keys.
 */
export interface AnalyticsDefinition<S extends z.ZodRawShape> {
  name: AnalyticsName;
  summary: string;
  /** The seed's window (`INTERVAL '7 days'`); `null` when the seed has none, i.e. from the beginning. */
  defaultSpanMs: number | null;
  /** Rows per answer when `limit` is not given (the seed's own `LIMIT`, if any). */
  defaultLimit?: number;
  /** Parameters beyond the window and the limit. */
  params: S;
  query(request: AnalyticsRequest<z.output<z.ZodObject<S>>>): SQL;
}

export const DAY_MS = 86_400_000;

/** The validated query: the window, the limit, and the definition's own parameters. */
type AnalyticsQuery = WindowQuery & { limit: number } & Record<string, unknown>;

/** Types a definition's `query` by its own parameters. */
export function defineAnalytics<S extends z.ZodRawShape>(definition: AnalyticsDefinition<S>) {
  return definition as AnalyticsDefinition<z.ZodRawShape>;
}

/**
 * What an endpoint runs: the seed query, each result row rendered by the database as a JSON object
 * (`row_to_json`), so numbers, times and arrays come out the same on PGlite and PostgreSQL.
 */
export function analyticsStatement(
  definition: AnalyticsDefinition<z.ZodRawShape>,
  request: AnalyticsRequest<Record<string, unknown>>,
): SQL {
  return sql`SELECT row_to_json(seed) AS row FROM (${definition.query(request)}) seed`;
}

/** The query parameters every analytics endpoint takes, plus the definition's own. */
function analyticsQuery(definition: AnalyticsDefinition<z.ZodRawShape>) {
  const defaultLimit = definition.defaultLimit ?? ANALYTICS_LIMIT.default;
  return z
    .strictObject({
      ...windowQueryShape,
      limit: limitParam({ default: defaultLimit, max: ANALYTICS_LIMIT.max }).meta({
        description: `Rows at most (default ${defaultLimit})`,
      }),
      ...definition.params,
    })
    .superRefine((query, ctx) => checkWindow(query as WindowQuery, ctx));
}

/**
 * Registers one analytics endpoint. It answers `{ window, rows }` as JSON, or the rows as RFC 4180 CSV with
 * a header row when the client prefers `text/csv`.
 */
export function registerAnalyticsRoute(
  app: OpenAPIHono<AppEnv>,
  definition: AnalyticsDefinition<z.ZodRawShape>,
): void {
  const responseSchema = ANALYTICS_RESPONSES[definition.name];
  const columns = Object.keys(responseSchema.shape.rows.element.shape);
  const route = createRoute({
    method: "get",
    path: `/api/v1/analytics/${definition.name}`,
    tags: ["analytics"],
    summary: definition.summary,
    request: { query: analyticsQuery(definition) },
    responses: {
      200: {
        description: "The rows of the seed query over the window; CSV with `Accept: text/csv`",
        content: {
          "application/json": { schema: responseSchema },
          "text/csv": { schema: z.string().meta({ description: `Header: ${columns.join(",")}` }) },
        },
      },
      400: {
        description: "A parameter is invalid; the problem names it",
        content: { "application/problem+json": { schema: Problem } },
      },
    },
  });

  app.openapi(route, async (c) => {
    const { window: span, since, until, limit, ...params } = c.req.valid("query") as AnalyticsQuery;
    const { db, clock } = c.var.deps;
    const window = resolveWindow({ window: span, since, until }, definition.defaultSpanMs, clock());
    const statement = analyticsStatement(definition, { window, limit, params });
    const rows = (await selectRows<{ row: Record<string, unknown> }>(db, statement)).map((r) => r.row);
    const format = accepts(c, {
      header: "Accept",
      supports: ["application/json", "text/csv"],
      default: "application/json",
    });
    if (format === "text/csv") {
      return c.body(toCsv(columns, rows), 200, { "Content-Type": "text/csv; charset=utf-8; header=present" });
    }
    return c.json({ window: { since: window.since, until: window.reportedUntil }, rows }, 200);
  });
}
