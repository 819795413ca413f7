import { getEventListeners } from "node:events";
import { mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { StorageClient } from "../../src/index.js";
import { aiAnalysisRecord, orchestrationRecord, processingRecord } from "../support/records.js";
import { StubStorage } from "../support/stub-storage.js";

let stub: StubStorage;
beforeEach(async () => {
  stub = await new StubStorage().up();
});
afterEach(async () => {
  await stub.down();
});

const created = { status: 201, body: { inserted: 1, duplicates: 0, event_ids: [crypto.randomUUID()] } };

describe("StorageClient against a loopback server", () => {
  it("posts each audit kind to its endpoint as JSON and returns the validated write result", async () => {
    stub.behaviour = () => created;
    const client = new StorageClient({ baseUrl: `${stub.url}/` });
    const { kind: _o, ...orchestration } = orchestrationRecord(1) as Record<string, unknown>;
    const { kind: _p, ...processing } = processingRecord(2) as Record<string, unknown>;
    const { kind: _a, ...analysis } = aiAnalysisRecord(3) as Record<string, unknown>;

    await expect(client.storeRemediationOrchestrationAudit(orchestration as never)).resolves.toEqual(
      created.body,
    );
    await client.storeRemediationProcessingAudit(processing as never);
    await client.storeAIAnalysisAuditEvent(analysis as never);

    expect(stub.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "POST /api/v1/audit/remediation-orchestration",
      "POST /api/v1/audit/alert-processing",
      "POST /api/v1/audit/ai-analysis",
    ]);
    expect(stub.requests[0]?.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(stub.requests[1]?.body ?? "")).toEqual(processing);
  });

  it("stores a batch and reads the limits", async () => {
    const client = new StorageClient({ baseUrl: stub.url });
    const records = [orchestrationRecord(1), processingRecord(2), aiAnalysisRecord(3)].map((r) => ({
      ...r,
      event_id: crypto.randomUUID(),
    }));

    const result = await client.storeBatch(records);
    expect(result).toEqual({ inserted: 3, duplicates: 0, event_ids: records.map((r) => r.event_id) });
    await expect(client.storeBatch(records)).resolves.toMatchObject({ inserted: 0, duplicates: 3 });
    await expect(client.limits()).resolves.toEqual({ max_batch_records: 1000, max_body_bytes: 10 << 20 });
  });

  it("sends the bearer token from a file and picks up a rotated one", async () => {
    const dir = await mkdtemp(join(tmpdir(), "token-"));
    try {
      const path = join(dir, "token");
      await writeFile(path, "first\n");
      const client = new StorageClient({ baseUrl: stub.url, token: { file: path, checkIntervalMs: 1 } });

      await client.limits();
      await writeFile(`${path}.new`, "second\n");
      await rename(`${path}.new`, path);
      // The client re-reads the file at most every checkIntervalMs (1 ms): that much time must pass.
      await new Promise((resolve) => setTimeout(resolve, 5));
      await client.limits();

      expect(stub.requests.map((r) => r.headers.authorization)).toEqual(["Bearer first", "Bearer second"]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("leaves no listener on the caller's long-lived abort signal", async () => {
    const client = new StorageClient({ baseUrl: stub.url });
    const lifetime = new AbortController();
    for (let i = 0; i < 3; i++) await client.limits({ signal: lifetime.signal });
    expect(getEventListeners(lifetime.signal, "abort")).toHaveLength(0);
  });

  it("sends a token given as a string", async () => {
    await new StorageClient({ baseUrl: stub.url, token: "s3cret" }).limits();
    expect(stub.requests[0]?.headers.authorization).toBe("Bearer s3cret");
  });
});
