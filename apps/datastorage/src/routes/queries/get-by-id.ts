import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { Problem } from "@kubernaut/schema";
import { sql } from "drizzle-orm";
import { z } from "zod";
import type { AppEnv } from "../../env.js";
import { HttpProblem } from "../../errors.js";
import { noQuery } from "./params.js";
import { selectRows } from "./rows.js";
import type { AuditTableView } from "./tables.js";

/** `GET /api/v1/audit/{table}/{id}`: one stored row, every column. */
export function registerGetByIdRoute(app: OpenAPIHono<AppEnv>, view: AuditTableView): void {
  const route = createRoute({
    method: "get",
    path: `/api/v1/audit/${view.path}/{id}`,
    tags: ["queries"],
    summary: `One ${view.path} audit record by id`,
    request: {
      query: noQuery,
      params: z.object({
        id: view.id.schema.meta({ param: { name: "id", in: "path" }, example: view.id.example }),
      }),
    },
    responses: {
      200: { description: "The record", content: { "application/json": { schema: view.record } } },
      400: {
        description: "The id is malformed",
        content: { "application/problem+json": { schema: Problem } },
      },
      404: { description: "No such record", content: { "application/problem+json": { schema: Problem } } },
    },
  });

  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const [found] = await selectRows<{ row: Record<string, unknown> }>(
      c.var.deps.db,
      sql`SELECT row_to_json(t) AS row FROM ${view.table} t WHERE t.id = ${id}::${view.id.cast}`,
    );
    if (!found) throw HttpProblem.notFound(`no ${view.path} audit record with id ${id}`);
    return c.json(found.row, 200);
  });
}
