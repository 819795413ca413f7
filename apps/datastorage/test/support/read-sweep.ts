import { expect } from "vitest";
import { Sealer } from "../../src/audit-log/sealer.js";
import type { TestApp } from "./test-app.js";

interface OpenApiOperation {
  parameters?: { name: string; in: string; required?: boolean }[];
  responses?: Record<string, { content?: Record<string, unknown> }>;
}

/** The tables behind `GET /api/v1/audit/{table}/{id}`, with the column of the alert's fingerprint. */
const ID_TABLES: Record<string, string> = {
  "remediation-orchestration": "remediation_audit",
  "alert-processing": "alert_processing_audit",
  "ai-analysis": "ai_analysis_audit",
};

/** A request of the sweep and what it asks for. */
export interface SweptRead {
  method: "GET" | "POST";
  path: string;
  accept: string;
  body?: unknown;
}

/**
 * Every read the service answers, taken from its OpenAPI document so that a new read endpoint is swept too: each
 * GET (with every format it offers: JSON, and CSV where documented), path parameters filled with the alert's
 * fingerprint and the ids stored for it, analytics over the widest window, the audit log's reads over the alert's
 * records after sealing everything stored (and its verification must pass); and similarity search, a read sent as
 * POST, by text and by `vectors` (each the query vector of one search).
 */
export async function everyRead(
  t: TestApp,
  alertFingerprint: string,
  vectors: number[][] = [],
): Promise<SweptRead[]> {
  const doc = (await (await t.get("/openapi.json")).json()) as {
    paths: Record<string, Record<string, OpenApiOperation>>;
  };
  // The log's reads answer for sealed records under a signed checkpoint: seal everything stored first.
  const signer = t.deps.checkpointSigner;
  if (signer === undefined)
    throw new Error("the read sweep needs an app that signs checkpoints (openAuditLogApp)");
  await new Sealer(t.deps, signer).sealPending();
  const queryValues: Record<string, string> = { window: "36500d", fingerprint: alertFingerprint, from: "0" };
  const reads: SweptRead[] = [];
  for (const [template, operations] of Object.entries(doc.paths)) {
    const get = operations.get;
    if (!get) continue;
    const formats = Object.keys(get.responses?.["200"]?.content ?? { "application/json": {} });
    const params = new URLSearchParams();
    for (const p of get.parameters ?? []) {
      if (p.in !== "query" || !(p.required || p.name === "fingerprint" || p.name === "window")) continue;
      const value = queryValues[p.name];
      if (value === undefined)
        throw new Error(`the read sweep cannot fill ${p.name} of ${template}: teach it`);
      params.set(p.name, value);
    }
    const query = params.size > 0 ? `?${params}` : "";
    for (const path of await fillPath(t, template, alertFingerprint)) {
      for (const accept of formats) reads.push({ method: "GET", path: `${path}${query}`, accept });
    }
  }
  const search = "/api/v1/embeddings/investigations/search";
  reads.push({
    method: "POST",
    path: search,
    accept: "application/json",
    body: { text: "memory limit", k: 5 },
  });
  for (const vector of vectors) {
    reads.push({ method: "POST", path: search, accept: "application/json", body: { vector, k: 10 } });
  }
  return reads;
}

/** The concrete paths of a templated one: `{alert_fingerprint}` and `{id}` filled from what is stored. */
async function fillPath(t: TestApp, template: string, alertFingerprint: string): Promise<string[]> {
  if (!template.includes("{")) return [template];
  const path = template.replace("{alert_fingerprint}", encodeURIComponent(alertFingerprint));
  const byId = /^\/api\/v1\/audit\/([a-z-]+)\/\{id\}$/.exec(path);
  const table = byId?.[1] ? ID_TABLES[byId[1]] : undefined;
  if (table) {
    // The newest few: after a fuzz run a table holds thousands.
    const rows = await t.query<{ id: string | number }>(
      `SELECT id FROM ${table} ORDER BY created_at DESC LIMIT 20`,
    );
    return rows.map((row) => path.replace("{id}", String(row.id)));
  }
  if (path.includes("{event_id}")) {
    const rows = await t.query<{ event_id: string }>(
      `SELECT event_id::text AS event_id FROM audit_events WHERE alert_fingerprint = '${alertFingerprint.replaceAll("'", "''")}'
       ORDER BY received_at DESC LIMIT 20`,
    );
    return rows.map((row) => path.replace("{event_id}", row.event_id));
  }
  expect(path, `the read sweep cannot fill the parameters of ${template}: teach it`).not.toMatch(/\{/);
  return [path];
}

/** Sends each read and expects a 200 in the format asked for, and no `similarity: null` in a search. */
export async function expectEveryReadAnswers(
  t: TestApp,
  alertFingerprint: string,
  vectors: number[][] = [],
): Promise<number> {
  const reads = await everyRead(t, alertFingerprint, vectors);
  for (const read of reads) {
    const res =
      read.method === "GET"
        ? await t.get(read.path, { Accept: read.accept })
        : await t.post(read.path, read.body, { Accept: read.accept });
    const text = await res.text();
    const what = `${read.method} ${read.path} (${read.accept})`;
    expect(res.status, `${what}: ${text.slice(0, 500)}`).toBe(200);
    expect(res.headers.get("content-type") ?? "", what).toContain(read.accept.split(";")[0] ?? "");
    if (read.path.startsWith("/api/v1/audit/verify")) {
      // Every stored value, however extreme, is sealed and verifies: canonical JSON survives the round trip. An
      // alert with projection rows only (written by hand) has nothing to verify, and says so.
      const verification = JSON.parse(text) as { records: number; leaves: number };
      expect(verification, `${what}: ${text.slice(0, 500)}`).toMatchObject(
        verification.records === 0 && verification.leaves === 0
          ? { verified: false, problems: [], log_problems: [expect.stringMatching(/^nothing to verify/)] }
          : { verified: true, problems: [] },
      );
    }
    if (read.path.endsWith("/search")) {
      const { results } = JSON.parse(text) as { results: { similarity: number | null }[] };
      for (const result of results)
        expect(result.similarity, `${what}: ${text.slice(0, 300)}`).not.toBeNull();
    }
  }
  return reads.length;
}
