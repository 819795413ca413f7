import { monthPartitionName } from "@kubernaut/schema";
import { waitFor } from "@kubernaut/testing/wait";
import { sql } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { RETENTION_LOCK_KEY } from "../../src/retention/lock.js";
import { type BatchProgress, runRetention } from "../../src/retention/run.js";
import { startRetentionSchedule } from "../../src/retention/schedule.js";
import {
  AI_ANALYSIS,
  aiAnalysis,
  ORCHESTRATION,
  orchestration,
  PROCESSING,
  processing,
} from "../support/audit-records.js";
import { openReadApp, type ReadTestApp } from "../support/read-app.js";
import {
  AUDIT_TABLES,
  type AuditTable,
  everyRowOnce,
  liveAndArchived,
  retentionRuns,
  snapshot,
} from "../support/retention-rows.js";

const NOW = new Date("2026-11-23T12:00:00.000Z");
const DAY = 86_400_000;
let t: ReadTestApp;

beforeAll(async () => {
  t = await openReadApp();
});
afterAll(async () => {
  await t.close();
});

/** Old rows in every state, and recent terminal rows: only the old terminal ones may move. */
async function writeAges() {
  await t.reset();
  const old: Array<[string, Record<string, unknown>]> = [
    [ORCHESTRATION, orchestration({ remediation_name: "old-completed", overall_phase: "completed" })],
    [ORCHESTRATION, orchestration({ remediation_name: "old-failed", overall_phase: "failed" })],
    [ORCHESTRATION, orchestration({ remediation_name: "old-timeout", overall_phase: "timeout" })],
    [ORCHESTRATION, orchestration({ remediation_name: "old-processing", overall_phase: "processing" })],
    [PROCESSING, processing({ remediation_id: "old-completed", status: "completed" })],
    [PROCESSING, processing({ remediation_id: "old-failed", status: "failed" })],
    [PROCESSING, processing({ remediation_id: "old-enriching", status: "enriching" })],
    [
      AI_ANALYSIS,
      aiAnalysis({ crd_name: "old-completed", trigger: "workflow_created", workflow_crd_name: "wf" }),
    ],
    [
      AI_ANALYSIS,
      aiAnalysis({ crd_name: "old-failed", trigger: "analysis_failed", failure_reason: "no data" }),
    ],
    [AI_ANALYSIS, aiAnalysis({ crd_name: "old-investigating", trigger: "investigation_complete" })],
  ];
  const recent: Array<[string, Record<string, unknown>]> = [
    [ORCHESTRATION, orchestration({ remediation_name: "new-completed", overall_phase: "completed" })],
    [PROCESSING, processing({ remediation_id: "new-completed", status: "completed" })],
    [AI_ANALYSIS, aiAnalysis({ crd_name: "new-failed", trigger: "analysis_failed", failure_reason: "x" })],
  ];
  for (const [i, [path, body]] of old.entries()) {
    t.setNow(new Date(NOW.getTime() - 130 * DAY + i * 1000));
    await t.write(path, body);
  }
  t.setNow(new Date(NOW.getTime() - 89 * DAY));
  for (const [path, body] of recent) await t.write(path, body);
  t.setNow(NOW);
}

const EXPIRED = { remediation_audit: 3, alert_processing_audit: 2, ai_analysis_audit: 2 };

async function namesOf(table: AuditTable, archived = false): Promise<string[]> {
  const key = {
    remediation_audit: "remediation_name",
    alert_processing_audit: "remediation_id",
    ai_analysis_audit: "crd_name",
  }[table];
  const name = archived ? `${table}_archive` : table;
  const rows = await t.rows<{ key: string }>(
    sql`SELECT ${sql.identifier(key)} AS key FROM ${sql.identifier(name)}`,
  );
  return rows.map((r) => r.key).sort();
}

const options = { trigger: "cli" as const, days: 90, batchSize: 2 };

describe("runRetention", () => {
  beforeEach(writeAges);

  it("in a dry run, counts what would move and moves nothing", async () => {
    const before = await Promise.all(AUDIT_TABLES.map((table) => liveAndArchived(t, table)));
    const outcome = await runRetention(t.deps, { ...options, dryRun: true });
    expect(outcome).toMatchObject({ status: "completed", moved: EXPIRED });
    expect(outcome.cutoff).toEqual(new Date(NOW.getTime() - 90 * DAY));
    expect(await Promise.all(AUDIT_TABLES.map((table) => liveAndArchived(t, table)))).toEqual(before);
    const [run] = await retentionRuns(t);
    expect(run).toMatchObject({
      trigger: "cli",
      dry_run: true,
      retention_days: 90,
      status: "completed",
      moved: EXPIRED,
      error: null,
      finished: true,
    });
    expect(Date.parse(run?.cutoff ?? "")).toBe(NOW.getTime() - 90 * DAY);
  });

  it("moves exactly the old terminal rows to the archives, unchanged, a month at a time", async () => {
    const before = Object.fromEntries(
      await Promise.all(AUDIT_TABLES.map(async (table) => [table, await snapshot(t, table)])),
    );
    const progress: BatchProgress[] = [];
    const outcome = await runRetention(t.deps, {
      ...options,
      dryRun: false,
      onBatch: (p) => progress.push(p),
    });
    expect(outcome).toMatchObject({ status: "completed", moved: EXPIRED });

    expect(await namesOf("remediation_audit", true)).toEqual(["old-completed", "old-failed", "old-timeout"]);
    expect(await namesOf("remediation_audit")).toEqual(["new-completed", "old-processing"]);
    expect(await namesOf("alert_processing_audit", true)).toEqual(["old-completed", "old-failed"]);
    expect(await namesOf("alert_processing_audit")).toEqual(["new-completed", "old-enriching"]);
    expect(await namesOf("ai_analysis_audit", true)).toEqual(["old-completed", "old-failed"]);
    expect(await namesOf("ai_analysis_audit")).toEqual(["new-failed", "old-investigating"]);
    for (const table of AUDIT_TABLES) expect(await everyRowOnce(t, table)).toEqual(before[table]);

    expect(progress.map((p) => [p.table, p.batch, p.moved, p.total])).toEqual([
      ["remediation_audit", 1, 3, 3],
      ["remediation_audit", 2, 0, 3],
      ["alert_processing_audit", 1, 2, 2],
      ["alert_processing_audit", 2, 0, 2],
      ["ai_analysis_audit", 1, 2, 2],
      ["ai_analysis_audit", 2, 0, 2],
    ]);
    const counter = await t.deps.metrics.retentionRowsMoved.get();
    expect(Object.fromEntries(counter.values.map((v) => [v.labels.table, v.value]))).toEqual(EXPIRED);
    expect(await retentionRuns(t)).toMatchObject([
      { dry_run: false, status: "completed", moved: EXPIRED, finished: true },
    ]);

    const again = await runRetention(t.deps, { ...options, dryRun: false });
    expect(again.moved).toEqual({ remediation_audit: 0, alert_processing_audit: 0, ai_analysis_audit: 0 });
  });

  it("drops the expired month whole, keeps its unfinished rows in <table>_held, and their later records merge there", async () => {
    const month = monthPartitionName("remediation_audit", new Date(NOW.getTime() - 130 * DAY));
    await runRetention(t.deps, { ...options, dryRun: false });
    expect(await t.rows(sql`SELECT to_regclass(${month}) AS gone`)).toEqual([{ gone: null }]);
    const where = async (name: string) =>
      t.rows<{ home: string; retained: boolean; keyed: boolean }>(sql`
        SELECT r.tableoid::regclass::text AS home, r.retained,
          EXISTS (SELECT 1 FROM remediation_audit_keys k WHERE k.remediation_name = r.remediation_name
                  AND k.created_at = r.created_at AND k.retained = r.retained) AS keyed
        FROM remediation_audit r WHERE r.remediation_name = ${name}`);
    expect(await where("old-processing")).toEqual([
      { home: "remediation_audit_held", retained: true, keyed: true },
    ]);
    // The archived rows' keys are forgotten.
    expect(
      await t.rows(sql`SELECT remediation_name FROM remediation_audit_keys ORDER BY remediation_name`),
    ).toEqual([{ remediation_name: "new-completed" }, { remediation_name: "old-processing" }]);

    // A later record of the kept remediation updates its row where it is; once finished and past the cutoff,
    // the next run archives it from there.
    await t.write(
      ORCHESTRATION,
      orchestration({ remediation_name: "old-processing", overall_phase: "completed" }),
    );
    expect(await where("old-processing")).toEqual([
      { home: "remediation_audit_held", retained: true, keyed: true },
    ]);
    const next = await runRetention(t.deps, { ...options, dryRun: false });
    expect(next.moved).toMatchObject({ remediation_audit: 1 });
    expect(await namesOf("remediation_audit")).toEqual(["new-completed"]);
    expect(await namesOf("remediation_audit", true)).toEqual([
      "old-completed",
      "old-failed",
      "old-processing",
      "old-timeout",
    ]);
  });

  it("keeps rows younger than --days", async () => {
    const outcome = await runRetention(t.deps, { ...options, days: 131, dryRun: false });
    expect(outcome.moved).toEqual({ remediation_audit: 0, alert_processing_audit: 0, ai_analysis_audit: 0 });
    expect(await namesOf("remediation_audit", true)).toEqual([]);
  });

  it("marks a run left running by a dead process as interrupted", async () => {
    await t.rows(sql`
      INSERT INTO retention_runs (trigger, dry_run, retention_days, cutoff, status)
      VALUES ('schedule', false, 90, now(), 'running')`);
    await runRetention(t.deps, { ...options, dryRun: true });
    expect((await retentionRuns(t)).map((r) => [r.status, r.finished])).toEqual([
      ["interrupted", true],
      ["completed", true],
    ]);
  });
});

describe("startRetentionSchedule", () => {
  beforeEach(writeAges);

  it("runs at once and then every RETENTION_INTERVAL, until stopped", async () => {
    const config = loadConfig({ RETENTION_INTERVAL: "1s", RETENTION_BATCH_SIZE: "5" });
    const stop = startRetentionSchedule({ ...t.deps, config });
    await waitFor(
      "two finished runs",
      async () => (await retentionRuns(t)).filter((r) => r.finished).length >= 2,
      { timeoutMs: 10_000, intervalMs: 50 },
    );
    await stop();
    const runs = await retentionRuns(t);
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(runs[0]).toMatchObject({
      trigger: "schedule",
      dry_run: false,
      retention_days: 90,
      status: "completed",
      moved: EXPIRED,
    });
    // A window longer than RETENTION_INTERVAL in which no run may start: the schedule is stopped.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await retentionRuns(t)).length).toBe(runs.length);
  });

  it("does nothing when RETENTION_ENABLED=false", async () => {
    const stop = startRetentionSchedule({ ...t.deps, config: loadConfig({ RETENTION_ENABLED: "false" }) });
    // A window in which no run may start (an enabled schedule runs at once).
    await new Promise((resolve) => setTimeout(resolve, 300));
    await stop();
    expect(await retentionRuns(t)).toEqual([]);
  });
});

describe("one run at a time across replicas", () => {
  it.skipIf(!process.env.TEST_DATABASE_URL)(
    "skips the run while another session holds the advisory lock",
    async () => {
      await writeAges();
      const other = new pg.Client({ connectionString: t.database.url });
      await other.connect();
      try {
        await other.query("SELECT pg_advisory_lock($1)", [RETENTION_LOCK_KEY]);
        const outcome = await runRetention(t.deps, { ...options, dryRun: false });
        expect(outcome).toMatchObject({ status: "skipped", runId: null, moved: {} });
        expect(await retentionRuns(t)).toEqual([]);
        expect(await namesOf("remediation_audit", true)).toEqual([]);
        await other.query("SELECT pg_advisory_unlock($1)", [RETENTION_LOCK_KEY]);
        expect((await runRetention(t.deps, { ...options, dryRun: false })).status).toBe("completed");
      } finally {
        await other.end();
      }
    },
  );
});
