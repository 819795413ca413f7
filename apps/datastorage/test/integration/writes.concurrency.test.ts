import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aiAnalysis, BATCH, orchestration, processing } from "../support/audit-records.js";
import { openTestApp, type TestApp } from "../support/test-app.js";

/** A small seeded generator (mulberry32), so that a failing draw can be repeated. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled<T>(items: readonly T[], next: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

const hex = (n: number, width = 12) => n.toString(16).padStart(width, "0");
const sorted = (values: Iterable<unknown>) => [...values].map(String).sort();

/**
 * 200 records touching 50 remediations, each with two phase changes, a processing record and an AI analysis
 * record: overlapping batches drawn from them carry the same events, and so lock the same audit_events rows
 * (and the projection rows behind them) in whatever order their records come.
 */
function pool(round: number): Record<string, unknown>[] {
  const records: Record<string, unknown>[] = [];
  for (let r = 0; r < 50; r++) {
    for (const [i, phase] of ["processing", "analyzing"].entries()) {
      records.push(
        record(round, r, "remediation-orchestration", `8${round}${i}0-${hex(r)}`, i * 1000, phase),
      );
    }
    records.push(record(round, r, "alert-processing", `9${round}00-${hex(r)}`));
    records.push(record(round, r, "ai-analysis", `a${round}00-${hex(r)}`));
  }
  return records;
}

/**
 * 100 records of remediations drawn from 50, each a new event (two batches never share one), with a time of
 * its own: concurrent batches share only projection rows, of all three tables, in whatever order.
 */
function freshBatch(round: number, batch: number, next: () => number): Record<string, unknown>[] {
  const kinds = ["remediation-orchestration", "alert-processing", "ai-analysis"] as const;
  const phases = ["processing", "analyzing", "executing", "completed"];
  return Array.from({ length: 100 }, (_, i) => {
    const kind = kinds[Math.floor(next() * kinds.length)] as (typeof kinds)[number];
    const phase = phases[Math.floor(next() * phases.length)] as string;
    return record(
      round,
      Math.floor(next() * 50),
      kind,
      `b${hex(batch, 3)}-${hex(i)}`,
      batch * 100 + i,
      phase,
    );
  });
}

function record(
  round: number,
  r: number,
  kind: "remediation-orchestration" | "alert-processing" | "ai-analysis",
  idTail: string,
  millis = 0,
  phase = "processing",
): Record<string, unknown> {
  const names = { alert_fingerprint: `fp-${round}-${r}`, remediation_name: `rr-${round}-${r}` };
  const event_id = `00000000-00${hex(round, 2)}-4000-${idTail}`;
  const occurred_at = new Date(Date.parse("2026-11-20T10:00:00Z") + millis).toISOString();
  switch (kind) {
    case "remediation-orchestration":
      return { kind, ...orchestration({ ...names, overall_phase: phase, occurred_at }), event_id };
    case "alert-processing":
      return {
        kind,
        ...processing({ remediation_id: names.remediation_name, alert_fingerprint: names.alert_fingerprint }),
        occurred_at,
        event_id,
      };
    case "ai-analysis":
      return {
        kind,
        ...aiAnalysis({
          crd_name: `ai-${round}-${r}`,
          remediation_id: names.remediation_name,
          alert_fingerprint: names.alert_fingerprint,
        }),
        occurred_at,
        event_id,
      };
  }
}

let t: TestApp;

beforeAll(async () => {
  t = await openTestApp({ env: { DB_POOL_SIZE: "8" } });
});
afterAll(async () => {
  await t.close();
});

/** Posts the batches at once; every one must be stored (201). */
async function postAll(batches: Record<string, unknown>[][], why: string): Promise<void> {
  const answers = await Promise.all(batches.map((batch) => t.post(BATCH, { records: batch })));
  const statuses = await Promise.all(
    answers.map(async (res) => (res.status === 201 ? 201 : `${res.status} ${await res.text()}`)),
  );
  expect(
    statuses.filter((s) => s !== 201),
    why,
  ).toEqual([]);
}

/** The rows of round `round` are exactly those the drawn records make: each event once, the newest phase. */
async function expectStored(round: number, drawn: Record<string, unknown>[], why: string): Promise<void> {
  const ofKind = (kind: string) => drawn.filter((r) => r.kind === kind);
  const events = await t.query<{ event_id: string }>(
    `SELECT event_id::text FROM audit_events WHERE correlation_id LIKE 'rr-${round}-%'`,
  );
  expect(events.length, why).toBe(new Set(drawn.map((r) => r.event_id)).size);
  expect(sorted(events.map((e) => e.event_id)), why).toEqual(sorted(new Set(drawn.map((r) => r.event_id))));

  const newest = new Map<unknown, { at: string; phase: unknown }>();
  for (const r of ofKind("remediation-orchestration")) {
    const seen = newest.get(r.remediation_name);
    if (!seen || String(r.occurred_at) > seen.at)
      newest.set(r.remediation_name, { at: String(r.occurred_at), phase: r.overall_phase });
  }
  const remediations = await t.query<{ remediation_name: string; overall_phase: string }>(
    `SELECT remediation_name, overall_phase FROM remediation_audit WHERE remediation_name LIKE 'rr-${round}-%'`,
  );
  expect(Object.fromEntries(remediations.map((r) => [r.remediation_name, r.overall_phase])), why).toEqual(
    Object.fromEntries([...newest].map(([name, { phase }]) => [name, phase])),
  );
  const processed = await t.query<{ remediation_id: string }>(
    `SELECT remediation_id FROM alert_processing_audit WHERE remediation_id LIKE 'rr-${round}-%'`,
  );
  expect(sorted(processed.map((r) => r.remediation_id)), why).toEqual(
    sorted(new Set(ofKind("alert-processing").map((r) => r.remediation_id))),
  );
  const analysed = await t.query<{ crd_name: string }>(
    `SELECT crd_name FROM ai_analysis_audit WHERE crd_name LIKE 'ai-${round}-%'`,
  );
  expect(sorted(analysed.map((r) => r.crd_name)), why).toEqual(
    sorted(new Set(ofKind("ai-analysis").map((r) => r.crd_name))),
  );
}

/**
 * Rows locked in one order by every statement never deadlock, so nothing had to be retried (a retry would hide
 * a deadlock from the statuses).
 */
async function expectNoRetry(): Promise<void> {
  const retries = await t.metrics.dbRetries.get();
  expect(retries.values.filter((v) => v.value > 0)).toEqual([]);
}

const seed = Number(process.env.TEST_SEED ?? 20261204);

describe("concurrent overlapping batches", () => {
  it("store every record once, with no deadlock and no 5xx, whatever order the batches bring them in", async () => {
    const next = random(seed);
    for (let round = 0; round < 6; round++) {
      const records = pool(round);
      const batches = Array.from({ length: 30 }, () => shuffled(records, next).slice(0, 100));
      await postAll(batches, `seed ${seed}, round ${round}`);
      await expectStored(round, batches.flat(), `seed ${seed}, round ${round}`);
    }
    await expectNoRetry();
  });

  it("merge distinct events of the same remediations into their rows, with no deadlock and no 5xx", async () => {
    const next = random(seed + 1);
    for (let round = 10; round < 16; round++) {
      const batches = Array.from({ length: 30 }, (_, batch) => freshBatch(round, batch, next));
      await postAll(batches, `seed ${seed}, round ${round}`);
      await expectStored(round, batches.flat(), `seed ${seed}, round ${round}`);
    }
    await expectNoRetry();
  });
});
