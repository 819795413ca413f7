import { randomUUID } from "node:crypto";
import { execute } from "@kubernaut/db";
import { AuditRecord } from "@kubernaut/schema";
import { createTestDatabase, type TestDatabase } from "@kubernaut/testing/db";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { createAuditWriter } from "../../src/database.js";
import { GroupCommitWriter } from "../../src/write/group-commit.js";
import { ensureMonthPartitions } from "../../src/write/partitions.js";
import type { WriteTarget } from "../../src/write/store.js";

const receivedAt = new Date("2026-11-23T10:00:00Z");
let testDb: TestDatabase;
let statements: number;
/** The test's database, counting the statements the writer sends. */
let db: WriteTarget;

beforeEach(async () => {
  testDb = await createTestDatabase();
  await ensureMonthPartitions(testDb.database, receivedAt);
  statements = 0;
  db = {
    executePrepared: (query) => {
      statements++;
      return testDb.database.executePrepared(query);
    },
  };
});
afterEach(async () => {
  await testDb.close();
});

const phaseChange = (name: string, phase: string, overrides: Record<string, unknown> = {}) =>
  AuditRecord.parse({
    kind: "remediation-orchestration",
    event_id: randomUUID(),
    alert_fingerprint: `fp-${name}`,
    remediation_name: name,
    overall_phase: phase,
    start_time: "2026-11-23T09:59:00Z",
    ...overrides,
  });

const rows = <T extends Record<string, unknown>>(query: string) => execute<T>(testDb.db, query);

describe("GroupCommitWriter", () => {
  it("stores requests that arrive while a statement runs in one shared statement, each with its own outcome", async () => {
    const writer = new GroupCommitWriter(db, { maxInFlight: 1, maxRecords: 1000 });
    const outcomes = await Promise.all(
      ["rr-1", "rr-2", "rr-3", "rr-4", "rr-5"].map((name) =>
        writer.store([phaseChange(name, "pending")], receivedAt),
      ),
    );

    // The first went alone; the four that waited for it went together.
    expect(statements).toBe(2);
    expect(outcomes.map((o) => o.result.inserted)).toEqual([1, 1, 1, 1, 1]);
    expect(outcomes.map((o) => o.inserted.get("orchestrator"))).toEqual([1, 1, 1, 1, 1]);
    const stored = await rows<{ remediation_name: string }>(
      "SELECT remediation_name FROM remediation_audit ORDER BY remediation_name",
    );
    expect(stored.map((r) => r.remediation_name)).toEqual(["rr-1", "rr-2", "rr-3", "rr-4", "rr-5"]);
    const [events] = await rows<{ n: number }>("SELECT count(*)::int AS n FROM audit_events");
    expect(events?.n).toBe(5);
  });

  it("counts an event id carried by two requests of one statement as new for the first only", async () => {
    const writer = new GroupCommitWriter(db, { maxInFlight: 1, maxRecords: 1000 });
    const retried = phaseChange("rr-retried", "processing");
    const [first, , second] = await Promise.all([
      writer.store([phaseChange("rr-other", "pending")], receivedAt),
      writer.store([retried], receivedAt),
      writer.store([retried], receivedAt),
    ]);

    expect(statements).toBe(2);
    expect(first?.result).toMatchObject({ inserted: 1, duplicates: 0 });
    expect(second?.result).toMatchObject({ inserted: 0, duplicates: 1, event_ids: [retried.event_id] });
    expect(second?.duplicates.get("orchestrator")).toBe(1);
    const [events] = await rows<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_events WHERE event_id = '${retried.event_id}'`,
    );
    expect(events?.n).toBe(1);
  });

  it("merges phase changes of one remediation in one statement by their times, not their order of arrival", async () => {
    const writer = new GroupCommitWriter(db, { maxInFlight: 1, maxRecords: 1000 });
    await Promise.all([
      writer.store([phaseChange("rr-0", "pending")], receivedAt),
      writer.store(
        [phaseChange("rr-late", "completed", { occurred_at: "2026-11-23T09:59:30Z" })],
        receivedAt,
      ),
      writer.store(
        [phaseChange("rr-late", "executing", { occurred_at: "2026-11-23T09:59:20Z" })],
        receivedAt,
      ),
    ]);

    expect(statements).toBe(2);
    const [row] = await rows<{ overall_phase: string }>(
      "SELECT overall_phase FROM remediation_audit WHERE remediation_name = 'rr-late'",
    );
    expect(row?.overall_phase).toBe("completed");
  });

  it("splits a failed shared statement in halves until the bad request is alone, so only it fails", async () => {
    const writer = new GroupCommitWriter(db, { maxInFlight: 1, maxRecords: 1000 });
    // Past the contract's checks (which the routes run first), the database refuses a name this long.
    const refused = { ...phaseChange("rr-bad", "pending"), remediation_name: "x".repeat(300) };
    const settled = await Promise.allSettled([
      writer.store([phaseChange("rr-a", "pending")], receivedAt),
      writer.store([phaseChange("rr-b", "pending")], receivedAt),
      writer.store([refused], receivedAt),
      writer.store([phaseChange("rr-c", "pending")], receivedAt),
    ]);

    expect(settled.map((s) => s.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled"]);
    // The first alone; the shared [b, bad, c] fails; [b, bad] fails; [b]; [bad] fails; [c].
    expect(statements).toBe(6);
    const stored = await rows<{ remediation_name: string }>(
      "SELECT remediation_name FROM remediation_audit ORDER BY remediation_name",
    );
    expect(stored.map((r) => r.remediation_name)).toEqual(["rr-a", "rr-b", "rr-c"]);
    const [events] = await rows<{ n: number }>("SELECT count(*)::int AS n FROM audit_events");
    expect(events?.n).toBe(3);
  });

  it("costs the good requests of a large failed group a few statements, not one each", async () => {
    const writer = new GroupCommitWriter(db, { maxInFlight: 1, maxRecords: 1000 });
    const refused = { ...phaseChange("rr-bad", "pending"), remediation_name: "x".repeat(300) };
    const requests = Array.from({ length: 32 }, (_, i) =>
      i === 20 ? [refused] : [phaseChange(`rr-${String(i).padStart(2, "0")}`, "pending")],
    );
    const settled = await Promise.allSettled([
      writer.store([phaseChange("rr-first", "pending")], receivedAt),
      ...requests.map((records) => writer.store(records, receivedAt)),
    ]);

    expect(settled.filter((s) => s.status === "rejected")).toHaveLength(1);
    expect(settled[21]?.status).toBe("rejected");
    // The first alone, the 32 together, then two halves per level down to the bad one: 1 + 1 + 2·5.
    expect(statements).toBe(12);
    const [projected] = await rows<{ n: number }>("SELECT count(*)::int AS n FROM remediation_audit");
    expect(projected?.n).toBe(32);
  });

  it("isolates several bad requests among many good ones, each good one stored and each bad one refused", async () => {
    const writer = new GroupCommitWriter(db, { maxInFlight: 1, maxRecords: 1000 });
    const refused = (i: number) => ({
      ...phaseChange(`rr-bad-${i}`, "pending"),
      remediation_name: "x".repeat(300),
    });
    // 4 bad requests among 32, spread out.
    const bad = new Set([3, 12, 13, 27]);
    const requests = Array.from({ length: 32 }, (_, i) =>
      bad.has(i) ? [refused(i)] : [phaseChange(`rr-${String(i).padStart(2, "0")}`, "pending")],
    );
    const settled = await Promise.allSettled([
      writer.store([phaseChange("rr-first", "pending")], receivedAt),
      ...requests.map((records) => writer.store(records, receivedAt)),
    ]);

    expect(settled.slice(1).map((s, i) => (s.status === "rejected") === bad.has(i))).toEqual(
      requests.map(() => true),
    );
    // Halving down to each bad request: far fewer than one statement per request (33), and 1 + 1 + 2·4·log2(32/4)
    // at most.
    expect(statements).toBeLessThanOrEqual(2 + 2 * 4 * 3);
    const [projected] = await rows<{ n: number }>("SELECT count(*)::int AS n FROM remediation_audit");
    expect(projected?.n).toBe(29);
    const [events] = await rows<{ n: number }>("SELECT count(*)::int AS n FROM audit_events");
    expect(events?.n).toBe(29);
  });

  it("keeps a shared statement within maxRecords, and runs up to maxInFlight statements at once", async () => {
    const writer = new GroupCommitWriter(db, { maxInFlight: 2, maxRecords: 4 });
    const request = (i: number) => [phaseChange(`rr-${i}-a`, "pending"), phaseChange(`rr-${i}-b`, "pending")];
    const outcomes = await Promise.all([0, 1, 2, 3, 4].map((i) => writer.store(request(i), receivedAt)));

    // Requests 0 and 1 go at once, each alone; of the three that wait, two fill the next statement (four
    // records) and the last goes in the one after.
    expect(statements).toBe(4);
    expect(outcomes.map((o) => o.result.inserted)).toEqual([2, 2, 2, 2, 2]);
    const [projected] = await rows<{ n: number }>("SELECT count(*)::int AS n FROM remediation_audit");
    expect(projected?.n).toBe(10);
  });

  it("refuses options that could never run a statement", () => {
    expect(() => new GroupCommitWriter(db, { maxInFlight: 0, maxRecords: 10 })).toThrow(/at least 1/);
  });
});

describe("createAuditWriter", () => {
  /** Statements the service's writer sends for five single-record requests that arrive together. */
  async function statementsFor(env: Record<string, string>): Promise<number> {
    statements = 0;
    const writer = createAuditWriter(
      { ...db, execute: (query) => testDb.database.execute(query), driver: testDb.database.driver },
      loadConfig(env),
    );
    const tag = Object.values(env).join("-");
    await Promise.all(
      [0, 1, 2, 3, 4].map((i) => writer.store([phaseChange(`rr-${tag}-${i}`, "pending")], receivedAt)),
    );
    return statements;
  }

  it("runs WRITE_CONCURRENCY statements at once on PostgreSQL (at most DB_POOL_SIZE), one on PGlite", async () => {
    // The first requests go at once, each alone, as long as statements may start; the rest share the next one.
    const onPostgres = testDb.database.driver !== "pglite";
    expect(await statementsFor({ WRITE_CONCURRENCY: "2", DB_POOL_SIZE: "10" })).toBe(onPostgres ? 3 : 2);
    expect(await statementsFor({ WRITE_CONCURRENCY: "10", DB_POOL_SIZE: "3" })).toBe(onPostgres ? 4 : 2);
    expect(await statementsFor({ WRITE_CONCURRENCY: "10", DB_POOL_SIZE: "10" })).toBe(onPostgres ? 5 : 2);
    const [events] = await rows<{ n: number }>("SELECT count(*)::int AS n FROM audit_events");
    expect(events?.n).toBe(15);
  });
});
