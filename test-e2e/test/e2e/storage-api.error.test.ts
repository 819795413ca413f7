import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StorageReader, type TimelineEvent } from "../support/storage.js";
import { type SystemUnderTest, startSystem } from "../support/system.js";

interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: { path: string; message: string }[];
}

const ORCHESTRATION = "/api/v1/audit/remediation-orchestration";
const PROCESSING = "/api/v1/audit/alert-processing";
const AI_ANALYSIS = "/api/v1/audit/ai-analysis";
const BATCH = "/api/v1/audit/batch";
const WRITES = [ORCHESTRATION, PROCESSING, AI_ANALYSIS, BATCH];

/**
 * Bad input sent to the storage API from outside, over a socket: each answer is an RFC 7807 problem that
 * names what is wrong (never a 500), and nothing of a refused request is stored.
 */
describe("the storage API refuses bad input from outside", () => {
  let system: SystemUnderTest;
  let storage: StorageReader;
  const run = randomBytes(4).toString("hex");
  const stored = { fingerprint: `stored-${run}`, name: `stored-${run}` };
  let storedTimeline: TimelineEvent[];
  let storedRow: Record<string, unknown>;

  async function post(path: string, body: string, contentType = "application/json"): Promise<Response> {
    return fetch(`${system.storageUrl}${path}`, {
      method: "POST",
      headers: storage.headers({ "Content-Type": contentType }),
      body,
      signal: AbortSignal.timeout(30_000),
    });
  }

  async function problem(response: Response, status: number): Promise<Problem> {
    const text = await response.text();
    expect(response.status, text).toBe(status);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    const body = JSON.parse(text) as Problem;
    expect(body).toMatchObject({
      status,
      type: expect.stringMatching(/^https:\/\/kubernaut\.ai\/problems\//),
    });
    expect(body.title).not.toBe("");
    return body;
  }

  function orchestration(fingerprint: string, name: string, fields: Record<string, unknown> = {}) {
    return {
      event_id: randomUUID(),
      alert_fingerprint: fingerprint,
      remediation_name: name,
      overall_phase: "processing",
      start_time: new Date().toISOString(),
      ...fields,
    };
  }

  function processing(fingerprint: string, name: string) {
    return {
      event_id: randomUUID(),
      remediation_id: name,
      alert_fingerprint: fingerprint,
      processing_phases: [{ phase: "enriching", start_time: new Date().toISOString(), duration: "1s" }],
      status: "completed",
      environment: "production",
      confidence: 0.9,
    };
  }

  function analysis(fingerprint: string, name: string) {
    return {
      event_id: randomUUID(),
      trigger: "investigation_complete",
      crd_name: `${name}-analysis`,
      crd_namespace: "e2e",
      remediation_id: name,
      alert_fingerprint: fingerprint,
      environment: "production",
      severity: "critical",
    };
  }

  /** Nothing about `fingerprint` is stored: no event, no projection row. */
  async function expectNothingStored(fingerprint: string): Promise<void> {
    expect(await storage.timeline(fingerprint)).toEqual([]);
    expect(await storage.rows("remediation-orchestration", fingerprint)).toEqual([]);
    expect(await storage.rows("alert-processing", fingerprint)).toEqual([]);
    expect(await storage.rows("ai-analysis", fingerprint)).toEqual([]);
  }

  beforeAll(async () => {
    system = await startSystem();
    storage = new StorageReader(system.storageUrl, system.storageToken);
    const response = await post(
      ORCHESTRATION,
      JSON.stringify(orchestration(stored.fingerprint, stored.name)),
    );
    expect(response.status, await response.text()).toBe(201);
    storedTimeline = await storage.timeline(stored.fingerprint);
    expect(storedTimeline).toHaveLength(1);
    const rows = await storage.rows("remediation-orchestration", stored.fingerprint);
    expect(rows).toHaveLength(1);
    storedRow = rows[0] ?? {};
  });

  afterAll(async () => {
    if (storage) {
      // Whatever was refused, what was stored before is exactly as it was.
      expect(await storage.timeline(stored.fingerprint)).toEqual(storedTimeline);
      expect(await storage.rows("remediation-orchestration", stored.fingerprint)).toEqual([storedRow]);
    }
    await system?.stop();
  });

  it("malformed JSON: 400 malformed-json on every write endpoint", async () => {
    const fingerprint = `malformed-${run}`;
    for (const path of WRITES) {
      const body = await problem(
        await post(path, `{"alert_fingerprint": "${fingerprint}", "remediation_name": `),
        400,
      );
      expect(body.type, path).toBe("https://kubernaut.ai/problems/malformed-json");
      expect(body.detail, path).toMatch(/JSON/i);
    }
    await expectNothingStored(fingerprint);
  });

  it("a content type that is not JSON: 415 naming what was sent, even with a valid record as the body", async () => {
    const fingerprint = `content-type-${run}`;
    const record = JSON.stringify(orchestration(fingerprint, `ct-${run}`));
    for (const contentType of ["text/plain", "application/x-www-form-urlencoded"]) {
      const body = await problem(await post(ORCHESTRATION, record, contentType), 415);
      expect(body.type).toBe("https://kubernaut.ai/problems/unsupported-media-type");
      expect(body.detail).toContain(contentType);
    }
    await expectNothingStored(fingerprint);
  });

  it("a record that breaks the schema: 400 validation naming each invalid field", async () => {
    const fingerprint = `invalid-${run}`;
    const record = orchestration(fingerprint, `invalid-${run}`, {
      overall_phase: 7,
      start_time: "yesterday",
      surprise: true,
    });
    const body = await problem(await post(ORCHESTRATION, JSON.stringify(record)), 400);
    expect(body.type).toBe("https://kubernaut.ai/problems/validation");
    expect(body.errors?.map((e) => e.path).sort()).toEqual(["overall_phase", "start_time", "surprise"]);
    expect(body.errors?.find((e) => e.path === "surprise")?.message).toBe("unknown field");

    const ai = await problem(await post(AI_ANALYSIS, JSON.stringify({ trigger: "guessing" })), 400);
    expect(ai.errors?.map((e) => e.path)).toEqual(
      expect.arrayContaining(["trigger", "crd_name", "crd_namespace", "alert_fingerprint"]),
    );
    await expectNothingStored(fingerprint);
  });

  it("a body over the service's limit: 413 naming MAX_BODY_BYTES", async () => {
    const fingerprint = `oversize-${run}`;
    const limits = await storage.json<{ max_body_bytes: number; max_batch_records: number }>(
      "/api/v1/limits",
    );
    const record = JSON.stringify(
      orchestration(fingerprint, `oversize-${run}`, { error_message: "x".repeat(limits.max_body_bytes) }),
    );
    expect(Buffer.byteLength(record)).toBeGreaterThan(limits.max_body_bytes);
    const body = await problem(await post(ORCHESTRATION, record), 413);
    expect(body.type).toBe("https://kubernaut.ai/problems/payload-too-large");
    expect(body.detail).toContain("MAX_BODY_BYTES");
    await expectNothingStored(fingerprint);
  });

  it("a batch with more records than the service takes: 413 naming MAX_BATCH_RECORDS", async () => {
    const fingerprint = `overfull-${run}`;
    const limits = await storage.json<{ max_batch_records: number }>("/api/v1/limits");
    const records = Array.from({ length: limits.max_batch_records + 1 }, (_, i) => ({
      kind: "remediation-orchestration",
      ...orchestration(fingerprint, `overfull-${run}-${i}`),
    }));
    const body = await problem(await post(BATCH, JSON.stringify({ records })), 413);
    expect(body.detail).toContain("MAX_BATCH_RECORDS");
    await expectNothingStored(fingerprint);
  });

  it("a batch with one bad record among good ones: 400 naming the record, and none of the batch is stored", async () => {
    const fingerprint = `batch-${run}`;
    const name = `batch-${run}`;
    const good = [
      { kind: "remediation-orchestration", ...orchestration(fingerprint, name) },
      { kind: "alert-processing", ...processing(fingerprint, name) },
      { kind: "ai-analysis", ...analysis(fingerprint, name) },
    ];
    const bad = { kind: "alert-processing", ...processing(fingerprint, name), confidence: "high" };
    const records = [good[0], good[1], bad, good[2]];
    const body = await problem(await post(BATCH, JSON.stringify({ records })), 400);
    expect(body.type).toBe("https://kubernaut.ai/problems/validation");
    expect(body.errors?.map((e) => e.path)).toEqual(["records.2.confidence"]);
    await expectNothingStored(fingerprint);

    // The same good records alone are accepted: the batch was refused for the bad one only.
    const accepted = await post(BATCH, JSON.stringify({ records: good }));
    expect(accepted.status, await accepted.clone().text()).toBe(201);
    expect(await accepted.json()).toMatchObject({ inserted: 3, duplicates: 0 });
    const events = await storage.timeline(fingerprint);
    expect(events.map((e) => e.event_id).sort()).toEqual(good.map((r) => r.event_id).sort());
  });
});
