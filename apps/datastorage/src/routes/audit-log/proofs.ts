import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { AuditConsistencyProof, AuditInclusionProof, AuditLeafList } from "@kubernaut/schema";
import { consistencyProof, inclusionProof, inclusionProofs } from "@kubernaut/tlog";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { storedNodeReader } from "../../audit-log/store.js";
import type { AppEnv } from "../../env.js";
import { HttpProblem } from "../../errors.js";
import { correlationId, fingerprint, limitParam } from "../queries/params.js";
import { problem, TAGS } from "./responses.js";
import { hashes, resolveTreeSize, selectLeaves, treeSizeParam } from "./tree.js";

export const eventProofRoute = createRoute({
  method: "get",
  path: "/api/v1/audit/events/{event_id}/proof",
  tags: TAGS,
  summary: "An audit record's leaf and its RFC 6962 inclusion proof in the tree of tree_size leaves",
  request: {
    params: z.object({ event_id: z.uuid({ error: "expected a UUID" }) }),
    query: z.strictObject({
      tree_size: treeSizeParam.optional().meta({ description: "Default: the latest checkpoint's tree size" }),
    }),
  },
  responses: {
    200: { description: "The proof", content: { "application/json": { schema: AuditInclusionProof } } },
    400: problem("a parameter is invalid, or the record is not within tree_size"),
    404: problem("no such record has been sealed, or no checkpoint exists yet"),
  },
});

export const consistencyRoute = createRoute({
  method: "get",
  path: "/api/v1/audit/consistency",
  tags: TAGS,
  summary:
    "The RFC 6962 consistency proof that the tree of `from` leaves is a prefix of the tree of `to` leaves",
  request: {
    query: z
      .strictObject({
        from: treeSizeParam,
        to: treeSizeParam.optional().meta({ description: "Default: the latest checkpoint's size" }),
      })
      .meta({}),
  },
  responses: {
    200: { description: "The proof", content: { "application/json": { schema: AuditConsistencyProof } } },
    400: problem("a size is invalid, from > to, or to exceeds the log"),
    404: problem("no checkpoint exists yet (and no `to` was given)"),
  },
});

const LEAF_PAGE = { default: 1000, max: 10_000 };

export const leavesRoute = createRoute({
  method: "get",
  path: "/api/v1/audit/leaves",
  tags: TAGS,
  summary:
    "Leaves of the audit log with the records they seal: an incident's (correlation_id or fingerprint) with inclusion proofs, or a range (start, limit)",
  request: {
    query: z
      .strictObject({
        tree_size: treeSizeParam
          .optional()
          .meta({ description: "Default: the latest checkpoint's tree size" }),
        correlation_id: correlationId.optional(),
        fingerprint: fingerprint.optional(),
        start: treeSizeParam
          .optional()
          .meta({ description: "First leaf index of a range listing (default 0)" }),
        limit: limitParam(LEAF_PAGE),
      })
      .superRefine((q, ctx) => {
        if (q.correlation_id !== undefined && q.fingerprint !== undefined) {
          ctx.addIssue({
            code: "custom",
            path: ["fingerprint"],
            message: "give correlation_id or fingerprint, not both",
          });
        }
        if ((q.correlation_id !== undefined || q.fingerprint !== undefined) && q.start !== undefined) {
          ctx.addIssue({
            code: "custom",
            path: ["start"],
            message: "start pages a range listing, not an incident",
          });
        }
      }),
  },
  responses: {
    200: {
      description: "The leaves, by leaf index",
      content: { "application/json": { schema: AuditLeafList } },
    },
    400: problem("a parameter is invalid"),
    404: problem("no checkpoint exists yet (and no tree_size was given)"),
  },
});

export function registerProofRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(eventProofRoute, async (c) => {
    const { db } = c.var.deps;
    const { event_id: eventId } = c.req.valid("param");
    const { tree_size: requested } = c.req.valid("query");
    const [leaf] = await selectLeaves(db, sql`l.event_id = ${eventId.toLowerCase()}::uuid`);
    if (leaf === undefined) throw HttpProblem.notFound(`no audit record ${eventId} has been sealed`);
    const size = await resolveTreeSize(db, requested);
    if (leaf.leaf_index >= size) {
      throw new HttpProblem({
        status: 400,
        detail: `record ${eventId} is leaf ${leaf.leaf_index}, not in a tree of ${size} leaves: ask for a larger tree_size or wait for the next checkpoint`,
      });
    }
    const proof = await inclusionProof(storedNodeReader(db), leaf.leaf_index, size);
    return c.json(
      {
        event_id: leaf.event_id,
        leaf_index: leaf.leaf_index,
        tree_size: size,
        leaf_hash: leaf.leaf_hash,
        record: leaf.record,
        inclusion_proof: hashes(proof),
      },
      200,
    );
  });

  app.openapi(consistencyRoute, async (c) => {
    const { db } = c.var.deps;
    const query = c.req.valid("query");
    const to = await resolveTreeSize(db, query.to);
    if (query.from > to) {
      throw new HttpProblem({ status: 400, detail: `from (${query.from}) must not exceed to (${to})` });
    }
    const proof = await consistencyProof(storedNodeReader(db), query.from, to);
    return c.json({ from: query.from, to, consistency_proof: hashes(proof) }, 200);
  });

  app.openapi(leavesRoute, async (c) => {
    const { db } = c.var.deps;
    const query = c.req.valid("query");
    const size = await resolveTreeSize(db, query.tree_size);
    const incident =
      query.correlation_id !== undefined
        ? sql`l.correlation_id = ${query.correlation_id}`
        : query.fingerprint !== undefined
          ? sql`l.alert_fingerprint = ${query.fingerprint}`
          : undefined;
    if (incident !== undefined) {
      const leaves = await selectLeaves(db, sql`${incident} AND l.leaf_index < ${size}`);
      const indexes = leaves.map((leaf) => leaf.leaf_index);
      const proofs = await inclusionProofs(storedNodeReader(db), indexes, size);
      for (const [i, leaf] of leaves.entries()) leaf.inclusion_proof = hashes(proofs[i] ?? []);
      return c.json({ tree_size: size, items: leaves, next_start: null }, 200);
    }
    const start = query.start ?? 0;
    const end = Math.min(size, start + query.limit);
    const leaves = await selectLeaves(db, sql`l.leaf_index >= ${start} AND l.leaf_index < ${end}`);
    return c.json({ tree_size: size, items: leaves, next_start: end < size ? end : null }, 200);
  });
}
