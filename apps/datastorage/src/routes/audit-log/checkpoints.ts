import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { execute } from "@kubernaut/db";
import { AuditCheckpoint, AuditCheckpointList, AuditLogPublicKey } from "@kubernaut/schema";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { CHECKPOINT_COLUMNS, latestCheckpoint, originOf } from "../../audit-log/store.js";
import type { AppEnv } from "../../env.js";
import { HttpProblem } from "../../errors.js";
import { limitParam, noQuery } from "../queries/params.js";
import { problem, TAGS } from "./responses.js";
import { treeSizeParam } from "./tree.js";

export const latestCheckpointRoute = createRoute({
  method: "get",
  path: "/api/v1/audit/checkpoints/latest",
  tags: TAGS,
  summary: "The newest signed checkpoint of the audit log (a c2sp.org/tlog-checkpoint signed note)",
  request: { query: noQuery },
  responses: {
    200: { description: "The checkpoint", content: { "application/json": { schema: AuditCheckpoint } } },
    400: problem("a query parameter was given"),
    404: problem("no checkpoint has been signed yet"),
  },
});

export const listCheckpointsRoute = createRoute({
  method: "get",
  path: "/api/v1/audit/checkpoints",
  tags: TAGS,
  summary: "Every signed checkpoint, oldest first, a page at a time",
  request: {
    query: z.strictObject({
      after: treeSizeParam
        .optional()
        .meta({ description: "Only checkpoints of a larger tree (the previous page's next_after)" }),
      limit: limitParam({ default: 100, max: 1000 }),
    }),
  },
  responses: {
    200: { description: "The checkpoints", content: { "application/json": { schema: AuditCheckpointList } } },
    400: problem("a parameter is invalid"),
  },
});

export const publicKeyRoute = createRoute({
  method: "get",
  path: "/api/v1/audit/checkpoints/public-key",
  tags: TAGS,
  summary: "The Ed25519 key checkpoints are signed with (compare it with the one you were given out of band)",
  request: { query: noQuery },
  responses: {
    200: { description: "The key", content: { "application/json": { schema: AuditLogPublicKey } } },
    400: problem("a query parameter was given"),
    404: problem("this service signs no checkpoints"),
  },
});

export function registerCheckpointRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(latestCheckpointRoute, async (c) => {
    const latest = await latestCheckpoint(c.var.deps.db);
    if (latest === null) throw HttpProblem.notFound("the audit log has no signed checkpoint yet");
    return c.json({ origin: originOf(latest.note), ...latest }, 200);
  });

  app.openapi(listCheckpointsRoute, async (c) => {
    const { after, limit } = c.req.valid("query");
    const rows = await execute<Omit<AuditCheckpoint, "origin">>(
      c.var.deps.db,
      sql`
        SELECT ${CHECKPOINT_COLUMNS} FROM audit_log_checkpoints
        WHERE tree_size > ${after ?? -1}
        ORDER BY tree_size
        LIMIT ${limit + 1}`,
    );
    const items = rows.slice(0, limit).map((row) => ({ origin: originOf(row.note), ...row }));
    const next = rows.length > limit ? (items.at(-1)?.tree_size ?? null) : null;
    return c.json({ items, next_after: next }, 200);
  });

  app.openapi(publicKeyRoute, async (c) => {
    const signer = c.var.deps.checkpointSigner;
    if (signer === undefined) throw HttpProblem.notFound("this service signs no checkpoints");
    return c.json(
      {
        origin: signer.name,
        algorithm: "ed25519" as const,
        key_id: signer.keyId.toString(16).padStart(8, "0"),
        verifier_key: signer.verifierKey,
      },
      200,
    );
  });
}
