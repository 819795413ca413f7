import { createHash } from "node:crypto";
import {
  type ExportRecordLine,
  type ExportTrailer,
  hashFromBase64,
  openCheckpoint,
  openExportManifest,
  parseVerifierKey,
  REDACTED_PREFIX,
  recordLeafHash,
  toBase64,
  verifyInclusion,
} from "@kubernaut/tlog";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AuditLogApp, openAuditLogApp } from "../support/audit-log.js";

let t: AuditLogApp;

beforeAll(async () => {
  t = await openAuditLogApp();
});
afterAll(async () => {
  await t.close();
});

interface Export {
  lines: ExportRecordLine[];
  trailer: ExportTrailer;
  text: string;
}

async function exportOf(query: string): Promise<Export> {
  const res = await t.get(`/api/v1/audit/export?${query}`);
  const text = await res.text();
  expect(res.status, text.slice(0, 500)).toBe(200);
  expect(res.headers.get("content-type")).toBe("application/x-ndjson; charset=utf-8");
  expect(text.endsWith("\n")).toBe(true);
  const rows = text.slice(0, -1).split("\n");
  return {
    lines: rows.slice(0, -1).map((row) => JSON.parse(row) as ExportRecordLine),
    trailer: JSON.parse(rows.at(-1) as string) as ExportTrailer,
    text,
  };
}

/** Checks an export as a reviewer would: signatures, the manifest's digest and counts, each record's proof. */
function expectVerified(exported: Export, query: string): void {
  const verifier = parseVerifierKey(t.signer.verifierKey);
  const checkpoint = openCheckpoint(exported.trailer.checkpoint, verifier);
  const manifest = openExportManifest(exported.trailer.manifest, verifier);
  const body = exported.text.slice(0, exported.text.lastIndexOf("\n", exported.text.length - 2) + 1);
  expect(manifest).toMatchObject({
    origin: checkpoint.origin,
    treeSize: checkpoint.size,
    query,
    records: exported.lines.length,
    missing: exported.lines.filter((line) => line.record === null).length,
    sha256: createHash("sha256")
      .update(exported.lines.length ? body : "")
      .digest("hex"),
  });
  expect(toBase64(manifest.root)).toBe(toBase64(checkpoint.root));
  let previous = -1;
  for (const line of exported.lines) {
    expect(line.leaf_index).toBeGreaterThan(previous);
    previous = line.leaf_index;
    const leafHash = hashFromBase64(line.leaf_hash);
    // A redacted record is proved by its sealed leaf hash alone; the manifest vouches for its redacted form.
    if (line.record !== null && line.redacted === undefined)
      expect(toBase64(recordLeafHash(line.record))).toBe(line.leaf_hash);
    verifyInclusion(
      line.leaf_index,
      checkpoint.size,
      leafHash,
      line.inclusion_proof.map(hashFromBase64),
      checkpoint.root,
    );
  }
}

const problemOf = async (query: string) => {
  const res = await t.get(`/api/v1/audit/export?${query}`);
  return {
    status: res.status,
    body: (await res.json()) as { detail?: string; errors?: { message: string }[] },
  };
};

describe("GET /api/v1/audit/export", () => {
  it("answers 404 before the first checkpoint, and 400 naming a query that is not exactly one scope", async () => {
    expect(await problemOf("correlation_id=rr-none")).toMatchObject({
      status: 404,
      body: { detail: "the audit log has no signed checkpoint yet" },
    });
    for (const query of ["", "correlation_id=a&fingerprint=b", "fingerprint=b&from=2026-01-01T00:00:00Z"]) {
      const { status, body } = await problemOf(query);
      expect(status, query).toBe(400);
      expect(JSON.stringify(body)).toContain(
        "give exactly one of correlation_id, fingerprint, or a time range",
      );
    }
    const reversed = await problemOf("from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z");
    expect(JSON.stringify(reversed.body)).toContain("must be before to");
    expect((await problemOf("correlation_id=a&format=csv")).status).toBe(400);
  });

  it("streams an incident of more than one page, each record with its proof, then the signed checkpoint and manifest", async () => {
    const ids = [...(await t.writeIncident("rr-big", 700)), ...(await t.writeIncident("rr-big", 700))];
    await t.writeIncident("rr-other", 3, { occurred_at: "2026-11-21T12:00:00.000Z" });
    await t.seal();
    const exported = await exportOf("correlation_id=rr-big");
    expect(exported.lines.map((line) => line.event_id).sort()).toEqual([...ids].sort());
    expectVerified(exported, "correlation_id=rr-big&format=ndjson");
    const byFingerprint = await exportOf("fingerprint=fp-rr-big");
    expect(byFingerprint.lines).toHaveLength(1400);

    const range = await exportOf("from=2026-11-21T00:00:00Z&to=2026-11-22T00:00:00Z");
    expect(range.lines.map((line) => line.record?.correlation_id)).toEqual([
      "rr-other",
      "rr-other",
      "rr-other",
    ]);
    expectVerified(range, "format=ndjson&from=2026-11-21T00%3A00%3A00Z&to=2026-11-22T00%3A00%3A00Z");
  });

  it("leaves out records sealed after the checkpoint, and keeps the leaf of a record that is gone", async () => {
    await t.writeIncident("rr-late", 2);
    const unsealed = await exportOf("correlation_id=rr-late");
    expect(unsealed.lines).toEqual([]);
    expectVerified(unsealed, "correlation_id=rr-late&format=ndjson");

    const [gone] = await t.writeIncident("rr-gone", 3);
    await t.seal();
    await t.tamper(`DELETE FROM audit_events WHERE event_id = '${gone}'`);
    const exported = await exportOf("correlation_id=rr-gone");
    expect(exported.lines.find((line) => line.event_id === gone)).toMatchObject({ record: null });
    expectVerified(exported, "correlation_id=rr-gone&format=ndjson");
    // By time too: the leaf keeps when its record occurred.
    const byTime = await exportOf("from=2026-11-20T10:00:00Z&to=2026-11-20T10:00:01Z");
    expect(byTime.lines.find((line) => line.event_id === gone)).toMatchObject({ record: null });
    expectVerified(byTime, "format=ndjson&from=2026-11-20T10%3A00%3A00Z&to=2026-11-20T10%3A00%3A01Z");
    expect(
      openExportManifest(exported.trailer.manifest, parseVerifierKey(t.signer.verifierKey)).missing,
    ).toBe(1);
  });

  it("never vouches for the redacted form of an altered record: it goes out without its record", async () => {
    const [changed, kept] = await t.writeIncident("rr-redact-altered", 2, {
      failure_reason: "secret reason",
      failure_phase: "executing",
    });
    await t.seal();
    await t.tamper(
      `UPDATE audit_events SET payload = jsonb_set(payload, '{target_namespace}', '"evil"') WHERE event_id = '${changed}'`,
    );
    const exported = await exportOf("correlation_id=rr-redact-altered&redact=payload.failure_reason");
    expect(exported.text).not.toContain("evil");
    expect(exported.text).not.toContain("secret reason");
    expect(exported.lines.find((line) => line.event_id === changed)).toMatchObject({ record: null });
    expect(exported.lines.find((line) => line.event_id === changed)?.redacted).toBeUndefined();
    expect(exported.lines.find((line) => line.event_id === kept)?.redacted).toEqual([
      "payload.failure_reason",
    ]);
    expectVerified(exported, "correlation_id=rr-redact-altered&format=ndjson&redact=payload.failure_reason");
    expect(
      openExportManifest(exported.trailer.manifest, parseVerifierKey(t.signer.verifierKey)).missing,
    ).toBe(1);
  });

  it("redacts the named fields by their HMAC, keeps each record's sealed leaf, and answers the HMAC of a value", async () => {
    const secret = "db password hunter2";
    const ids = await t.writeIncident("rr-secret", 3, { failure_reason: secret, failure_phase: "executing" });
    await t.seal();
    const plain = await exportOf("correlation_id=rr-secret");
    const exported = await exportOf("correlation_id=rr-secret&redact=payload.failure_reason,payload.absent");

    expect(exported.text).not.toContain("hunter2");
    expectVerified(
      exported,
      "correlation_id=rr-secret&format=ndjson&redact=payload.failure_reason%2Cpayload.absent",
    );
    const hmac = await t.post("/api/v1/audit/redaction-hash", { value: secret });
    expect(hmac.status).toBe(200);
    const { redacted } = (await hmac.json()) as { redacted: string };
    expect(redacted.startsWith(REDACTED_PREFIX)).toBe(true);
    expect(exported.lines.map((line) => line.event_id).sort()).toEqual([...ids].sort());
    for (const [i, line] of exported.lines.entries()) {
      const original = plain.lines[i];
      expect(line.redacted).toEqual(["payload.failure_reason"]);
      expect(line.leaf_hash).toBe(original?.leaf_hash);
      expect(line.record).toEqual({
        ...original?.record,
        payload: { ...(original?.record?.payload as object), failure_reason: redacted },
      });
    }
    expect((await t.post("/api/v1/audit/redaction-hash", { value: "another" })).status).toBe(200);

    for (const bad of ["event_id", "payload..x", "payload.a b", "1x"]) {
      const { status, body } = await problemOf(`correlation_id=rr-secret&redact=${encodeURIComponent(bad)}`);
      expect(status, bad).toBe(400);
      expect(JSON.stringify(body)).toContain("is not a field path to redact");
    }
    expect((await t.post("/api/v1/audit/redaction-hash", { other: 1 })).status).toBe(400);
    // Values no record may hold: named at their path, never a 500.
    for (const [body, at] of [
      ['{"value":"\\ud800"}', "value"],
      ['{"value":1e400}', "value"],
      ['{"value":{"\\udc00":1}}', "value.\udc00"],
    ] as const) {
      const res = await t.post("/api/v1/audit/redaction-hash", body);
      const text = await res.text();
      expect(res.status, text).toBe(400);
      expect(JSON.parse(text).errors?.[0]?.path, text).toBe(at);
    }
  });
});
