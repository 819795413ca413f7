import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { type AuditLeaf, compareInstants } from "@kubernaut/schema";
import {
  type ExportRecordLine,
  type ExportTrailer,
  hashFromBase64,
  inclusionProofs,
  type NoteSigner,
  parseVerifierKey,
  REDACTION_PATH,
  RETENTION_CORRELATION_ID,
  redactionKeyOf,
  redactRecord,
  retainedBy,
  retentionRangeOf,
  signExportManifest,
  toBase64,
  UNREDACTABLE,
} from "@kubernaut/tlog";
import { type SQL, sql } from "drizzle-orm";
import { accepts } from "hono/accepts";
import { stream } from "hono/streaming";
import { z } from "zod";
import { tarOf, writeBundleFiles } from "../../audit-log/bundle.js";
import { sealedLeafHash } from "../../audit-log/record.js";
import { latestCheckpoint, originOf, storedNodeReader } from "../../audit-log/store.js";
import type { AppEnv, Db } from "../../env.js";
import { HttpProblem } from "../../errors.js";
import { correlationId, fingerprint, instant } from "../queries/params.js";
import { problem, TAGS } from "./responses.js";
import { hashes, selectLeaves } from "./tree.js";

/** Leaves read, proved and written per round trip: the export's memory does not grow with its size. */
const PAGE = 1000;

const ExportQuery = z
  .strictObject({
    correlation_id: correlationId.optional(),
    fingerprint: fingerprint.optional(),
    from: instant.optional().meta({ description: "Records that occurred at or after this time" }),
    to: instant.optional().meta({ description: "Records that occurred before this time" }),
    redact: z
      .string()
      .max(2000)
      .transform((text, ctx) => {
        const paths = [...new Set(text.split(",").map((path) => path.trim()))];
        for (const path of paths) {
          if (!REDACTION_PATH.test(path) || UNREDACTABLE.has(path)) {
            ctx.addIssue({
              code: "custom",
              message: `${JSON.stringify(path)} is not a field path to redact (names joined by dots, e.g. payload.failure_reason; not event_id)`,
            });
            return z.NEVER;
          }
        }
        return paths.join(",");
      })
      .optional()
      .meta({
        description:
          "Comma-separated fields of each record (e.g. payload.failure_reason) replaced by hmac-sha256:<base64> of their canonical JSON, keyed by a secret derived from the log's signing key; the lines keep each record's sealed leaf hash, so they still verify",
      }),
    format: z.enum(["ndjson", "bundle"], { error: "expected ndjson or bundle" }).optional().meta({
      description:
        "ndjson: one line per record, then the checkpoint and the signed manifest; bundle: a tar of that NDJSON, the same records as CSV and Parquet, and a manifest signing each file's SHA-256. Default: bundle when the request accepts application/x-tar rather than NDJSON, else ndjson",
    }),
  })
  .superRefine((q, ctx) => {
    const scopes = [q.correlation_id, q.fingerprint, q.from ?? q.to].filter((v) => v !== undefined);
    if (scopes.length !== 1) {
      ctx.addIssue({
        code: "custom",
        path: [],
        message: "give exactly one of correlation_id, fingerprint, or a time range (from and/or to)",
      });
    }
    if (q.from !== undefined && q.to !== undefined && compareInstants(q.from, q.to) >= 0) {
      ctx.addIssue({ code: "custom", path: ["from"], message: "must be before to" });
    }
  });
type ExportQuery = z.infer<typeof ExportQuery>;

export const exportRoute = createRoute({
  method: "get",
  path: "/api/v1/audit/export",
  tags: TAGS,
  summary:
    "A verified export of an incident's records (or a time range's): each with its inclusion proof, then the signed checkpoint and a signed manifest of the lines",
  description:
    "Streams NDJSON in constant memory. Every line but the last is an ExportRecordLine for a record sealed under the latest checkpoint (a record not yet sealed is not exported; one deleted since is a line with record null, followed by the sealed retention event that deleted it, if one did). The last line holds that checkpoint and a manifest, signed with the log's key, that names the query, the counts and the SHA-256 of the record lines. `kubernaut-audit verify --export FILE --key KEY` checks it offline. With `redact=`, the named fields of each record are replaced by their HMAC (the line lists them in `redacted`); such a record is proved by its sealed leaf hash and vouched for by the signed manifest, whose query names the redaction.",
  request: { query: ExportQuery },
  responses: {
    200: {
      description: "The export (format=ndjson), or the bundle (format=bundle, a tar)",
      content: {
        "application/x-ndjson": { schema: z.string() },
        "application/x-tar": { schema: z.string().meta({ format: "binary" }) },
      },
    },
    400: problem("a parameter is invalid"),
    404: problem("no checkpoint has been signed yet, or this service signs no checkpoints"),
  },
});

/** The export's query as the manifest names it: its parameters, sorted, URL-encoded. */
function queryText(query: ExportQuery): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query).sort(([a], [b]) => a.localeCompare(b)))
    if (value !== undefined) params.set(key, String(value));
  return params.toString();
}

/**
 * When a leaf's record occurred, as its leaf keeps it: a record deleted since is still found in its range (and
 * exported without its record). Leaves sealed before the leaf kept it go by the record's row.
 */
const OCCURRED_AT = sql`COALESCE(l.occurred_at, e.occurred_at)`;

function scopeOf(query: ExportQuery): SQL {
  if (query.correlation_id !== undefined) return sql`l.correlation_id = ${query.correlation_id}`;
  if (query.fingerprint !== undefined) return sql`l.alert_fingerprint = ${query.fingerprint}`;
  return sql.join(
    [
      query.from === undefined ? undefined : sql`${OCCURRED_AT} >= ${query.from}::timestamptz`,
      query.to === undefined ? undefined : sql`${OCCURRED_AT} < ${query.to}::timestamptz`,
    ].filter((part) => part !== undefined),
    sql` AND `,
  );
}

/** Whether a leaf the export's query selected is in its scope (and not only a retention event). */
function inScope(query: ExportQuery, leaf: AuditLeaf): boolean {
  if (query.correlation_id !== undefined) return leaf.correlation_id === query.correlation_id;
  if (query.fingerprint !== undefined) return leaf.alert_fingerprint === query.fingerprint;
  if (leaf.correlation_id !== RETENTION_CORRELATION_ID) return true;
  const at = leaf.record?.occurred_at;
  if (typeof at !== "string") return false;
  return (
    (query.from === undefined || compareInstants(at, query.from) >= 0) &&
    (query.to === undefined || compareInstants(at, query.to) < 0)
  );
}

/**
 * The lines of an export proved against the latest checkpoint: each record line, then the trailer. Reads a page of
 * leaves at a time. Throws an HttpProblem before the first line when there is nothing to prove against.
 */
export async function exportLines(
  db: Db,
  signer: NoteSigner | undefined,
  query: ExportQuery,
  now: () => Date,
): Promise<AsyncGenerator<string>> {
  if (signer === undefined) throw HttpProblem.notFound("this service signs no checkpoints");
  const checkpoint = await latestCheckpoint(db);
  if (checkpoint === null) throw HttpProblem.notFound("the audit log has no signed checkpoint yet");
  const size = checkpoint.tree_size;
  const scope = scopeOf(query);
  const reader = storedNodeReader(db);
  const verifier = parseVerifierKey(signer.verifierKey);
  const redact = query.redact?.split(",") ?? [];
  const redactionKey = redact.length > 0 ? redactionKeyOf(signer) : undefined;
  return (async function* lines() {
    const digest = createHash("sha256");
    let records = 0;
    let missing = 0;
    // Leaves in scope whose record is gone, until a sealed retention event (always a later leaf) explains them.
    let unexplained: number[] = [];
    for (let after = -1; ; ) {
      const page = await selectLeaves(
        db,
        sql`(${scope} OR l.correlation_id = ${RETENTION_CORRELATION_ID})
          AND l.leaf_index > ${after} AND l.leaf_index < ${size}`,
        PAGE,
      );
      if (page.length === 0) break;
      const leaves = page.filter((leaf) => {
        if (inScope(query, leaf)) {
          if (leaf.record === null) unexplained.push(leaf.leaf_index);
          return true;
        }
        // A retention event outside the scope is exported only as the evidence for records in it.
        const range = leaf.record === null ? null : retentionRangeOf(leaf.record, leaf.leaf_index, verifier);
        if (range === null || !unexplained.some((i) => retainedBy([range], i))) return false;
        unexplained = unexplained.filter((i) => !retainedBy([range], i));
        return true;
      });
      const proofs = await inclusionProofs(
        reader,
        leaves.map((leaf) => leaf.leaf_index),
        size,
      );
      let text = "";
      for (const [i, leaf] of leaves.entries()) {
        // Retention events are never redacted: they are the evidence a verifier reads for deleted records.
        const toRedact =
          redactionKey && leaf.correlation_id !== RETENTION_CORRELATION_ID ? leaf.record : null;
        let record: Record<string, unknown> | null = leaf.record;
        let redacted: string[] = [];
        if (redactionKey && toRedact !== null) {
          // A redacted line is proved by its leaf alone, the signed manifest vouching for its redacted form, so a
          // record that no longer hashes to its leaf is never vouched for: it goes out without its record (its leaf
          // still proves it existed), which every verifier reports, and without disclosing its clear fields.
          if (toBase64(sealedLeafHash(toRedact)) === leaf.leaf_hash) {
            ({ record, redacted } = redactRecord(toRedact, redact, redactionKey));
          } else {
            record = null;
          }
        }
        const line: ExportRecordLine = {
          leaf_index: leaf.leaf_index,
          event_id: leaf.event_id,
          leaf_hash: leaf.leaf_hash,
          record,
          inclusion_proof: hashes(proofs[i] ?? []),
          ...(redacted.length > 0 ? { redacted } : {}),
        };
        text += `${JSON.stringify(line)}\n`;
        if (record === null) missing++;
      }
      records += leaves.length;
      digest.update(text);
      if (text !== "") yield text;
      after = page.at(-1)?.leaf_index ?? after;
      if (page.length < PAGE) break;
    }
    const manifest = signExportManifest(
      {
        origin: originOf(checkpoint.note),
        treeSize: size,
        root: hashFromBase64(checkpoint.root_hash),
        query: queryText(query),
        records,
        missing,
        sha256: digest.digest("hex"),
        exportedAt: now().toISOString(),
      },
      signer,
    );
    const trailer: ExportTrailer = { checkpoint: checkpoint.note, manifest };
    yield `${JSON.stringify(trailer)}\n`;
  })();
}

export function registerExportRoute(app: OpenAPIHono<AppEnv>): void {
  app.openapi(exportRoute, async (c) => {
    const { db, checkpointSigner, clock, logger } = c.var.deps;
    const asked = c.req.valid("query");
    const accepted = accepts(c, {
      header: "Accept",
      supports: ["application/x-ndjson", "application/x-tar"],
      default: "application/x-ndjson",
    });
    const query = {
      ...asked,
      format: asked.format ?? (accepted === "application/x-tar" ? "bundle" : "ndjson"),
    };
    const lines = await exportLines(db, checkpointSigner, query, clock);
    if (query.format === "bundle" && checkpointSigner !== undefined) {
      // A tar needs each file's size first: the three forms are written to a private directory, then streamed.
      const dir = await mkdtemp(join(tmpdir(), "kubernaut-bundle-"));
      try {
        const names = await writeBundleFiles(dir, lines, checkpointSigner, checkpointSigner.name);
        c.header("Content-Type", "application/x-tar");
        c.header("Content-Disposition", 'attachment; filename="audit-export.tar"');
        return stream(
          c,
          async (out) => {
            try {
              for await (const chunk of tarOf(dir, names)) await out.write(chunk as Uint8Array);
            } finally {
              await rm(dir, { recursive: true, force: true });
            }
          },
          async (err, out) => {
            logger.error({ err }, "the audit bundle failed while streaming");
            await out.close();
          },
        ) as never;
      } catch (err) {
        await rm(dir, { recursive: true, force: true });
        throw err;
      }
    }
    c.header("Content-Type", "application/x-ndjson; charset=utf-8");
    c.header("Content-Disposition", 'attachment; filename="audit-export.ndjson"');
    return stream(
      c,
      async (out) => {
        for await (const text of lines) await out.write(text);
      },
      async (err, out) => {
        // The trailer is never written after a failure, so the truncated export fails verification.
        logger.error({ err }, "the audit export failed while streaming");
        await out.close();
      },
    ) as never;
  });
}
