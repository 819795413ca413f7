import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BATCH, orchestration, processing } from "../support/audit-records.js";
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

const hex = (n: number) => n.toString(16).padStart(12, "0");

/**
 * 200 records touching 50 remediations (a phase change and a processing record each, twice over): overlapping
 * batches then lock the same audit_events and projection rows in whatever order their records come.
 */
function pool(round: number): Record<string, unknown>[] {
  const records: Record<string, unknown>[] = [];
  for (let r = 0; r < 50; r++) {
    const names = { alert_fingerprint: `fp-${round}-${r}`, remediation_name: `rr-${round}-${r}` };
    for (const [i, phase] of ["processing", "analyzing"].entries()) {
      records.push({
        kind: "remediation-orchestration",
        ...orchestration({ ...names, overall_phase: phase, occurred_at: `2026-11-20T10:00:0${i}Z` }),
        event_id: `00000000-0000-4000-8${round}${i}0-${hex(r)}`,
      });
      records.push({
        kind: "alert-processing",
        ...processing({ remediation_id: names.remediation_name, alert_fingerprint: names.alert_fingerprint }),
        event_id: `00000000-0000-4000-9${round}${i}0-${hex(r)}`,
      });
    }
  }
  return records;
}

let t: TestApp;

beforeAll(async () => {
  t = await openTestApp({ env: { DB_POOL_SIZE: "8" } });
});
afterAll(async () => {
  await t.close();
});

describe("concurrent overlapping batches", () => {
  it("store every record once, with no deadlock and no 5xx, whatever order the batches bring them in", async () => {
    const seed = Number(process.env.TEST_SEED ?? 20261204);
    const next = random(seed);
    for (let round = 0; round < 5; round++) {
      const records = pool(round);
      const batches = Array.from({ length: 30 }, () => shuffled(records, next).slice(0, 100));
      const answers = await Promise.all(batches.map((batch) => t.post(BATCH, { records: batch })));
      const statuses = await Promise.all(
        answers.map(async (res) => (res.status === 201 ? 201 : `${res.status} ${await res.text()}`)),
      );
      expect(
        statuses.filter((s) => s !== 201),
        `seed ${seed}, round ${round}`,
      ).toEqual([]);

      const drawn = new Set(batches.flat().map((r) => r.event_id as string));
      const [events] = await t.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM audit_events WHERE correlation_id LIKE 'rr-${round}-%'`,
      );
      expect(events?.n, `seed ${seed}, round ${round}`).toBe(drawn.size);
      const [remediations] = await t.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM remediation_audit WHERE remediation_name LIKE 'rr-${round}-%'`,
      );
      const drawnRemediations = new Set(
        batches
          .flat()
          .filter((r) => r.kind === "remediation-orchestration")
          .map((r) => r.remediation_name),
      );
      expect(remediations?.n).toBe(drawnRemediations.size);
    }
  });
});
