import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { monthPartitionName } from "@kubernaut/schema";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runRetention } from "../../src/retention/run.js";
import { BATCH, ORCHESTRATION, orchestration } from "../support/audit-records.js";
import { openReadApp, type ReadTestApp } from "../support/read-app.js";
import { everyRowOnce, liveAndArchived, retentionRuns, snapshot } from "../support/retention-rows.js";

/**
 * A retention run that dies part-way loses no row and copies none twice: every row is in the live table or in
 * the archive, exactly once, and the next run finishes the job.
 */
const NOW = new Date("2026-11-23T12:00:00.000Z");
const DAY = 86_400_000;
let t: ReadTestApp;

beforeAll(async () => {
  t = await openReadApp();
});
afterAll(async () => {
  await t.close();
});

/**
 * `count` remediations completed long ago, remediation `i` in the `i % months`-th month before the last one
 * retention archives (written in batches of up to 500), and one recent. Retention archives a month per step.
 */
async function writeExpired(count: number, months: number): Promise<void> {
  await t.reset();
  for (let month = 0; month < months; month++) {
    t.setNow(new Date(NOW.getTime() - (130 + 31 * month) * DAY));
    const names = Array.from({ length: count }, (_, i) => i).filter((i) => i % months === month);
    for (let first = 0; first < names.length; first += 500) {
      const records = names.slice(first, first + 500).map((i) => ({
        kind: "remediation-orchestration",
        ...orchestration({
          remediation_name: `rr-${i}`,
          overall_phase: i % 3 === 0 ? "failed" : "completed",
        }),
      }));
      await t.write(BATCH, { records });
    }
  }
  t.setNow(new Date(NOW.getTime() - DAY));
  await t.write(ORCHESTRATION, orchestration({ remediation_name: "rr-recent", overall_phase: "completed" }));
  t.setNow(NOW);
}

describe("a step that fails before it commits", () => {
  it("rolls back only that step; the run is logged failed; a rerun completes", async () => {
    // Three months: the oldest (2 rows) goes in step 1, the next (2 rows) fails in step 2.
    await writeExpired(7, 3);
    const before = await snapshot(t, "remediation_audit");
    const outcome = await runRetention(t.deps, {
      trigger: "cli",
      dryRun: false,
      days: 90,
      batchSize: 3,
      beforeCommit: async (p) => {
        if (p.table === "remediation_audit" && p.batch === 2) throw new Error("injected crash in batch 2");
      },
    });
    expect(outcome).toMatchObject({
      status: "failed",
      error: "injected crash in batch 2",
      moved: { remediation_audit: 2 },
    });
    const { live, archived } = await liveAndArchived(t, "remediation_audit");
    expect([live.length, archived.length]).toEqual([6, 2]);
    expect(await everyRowOnce(t, "remediation_audit")).toEqual(before);
    expect(await retentionRuns(t)).toMatchObject([
      {
        status: "failed",
        error: "injected crash in batch 2",
        moved: { remediation_audit: 2 },
        finished: true,
      },
    ]);
    const counter = await t.deps.metrics.retentionRowsMoved.get();
    expect(counter.values).toMatchObject([{ labels: { table: "remediation_audit" }, value: 2 }]);

    const rerun = await runRetention(t.deps, { trigger: "cli", dryRun: false, days: 90, batchSize: 3 });
    expect(rerun).toMatchObject({ status: "completed", moved: { remediation_audit: 5 } });
    expect((await liveAndArchived(t, "remediation_audit")).archived).toHaveLength(7);
    expect(await everyRowOnce(t, "remediation_audit")).toEqual(before);
    expect((await retentionRuns(t)).map((r) => r.status)).toEqual(["failed", "completed"]);
  });
});

// PGlite runs one statement at a time: a reader holding the month in another transaction needs PostgreSQL.
describe.skipIf(!process.env.TEST_DATABASE_URL)("a month that is being read", () => {
  it("is left whole to the next run once the lock timeout passes; the next run archives it", async () => {
    await writeExpired(6, 2);
    const before = await snapshot(t, "remediation_audit");
    const oldest = monthPartitionName("remediation_audit", new Date(NOW.getTime() - (130 + 31) * DAY));
    const outcome = await t.database.db.transaction(async (tx) => {
      // The reader's lock is one the month's DROP must wait for.
      await tx.execute(sql`SELECT count(*) FROM ${sql.identifier(oldest)}`);
      return runRetention(t.deps, {
        trigger: "cli",
        dryRun: false,
        days: 90,
        batchSize: 100,
        lockTimeoutMs: 200,
      });
    });
    expect(outcome).toMatchObject({ status: "completed", moved: { remediation_audit: 0 } });
    expect(await t.rows(sql`SELECT to_regclass(${oldest})::text AS month`)).toEqual([{ month: oldest }]);
    expect(await everyRowOnce(t, "remediation_audit")).toEqual(before);

    const rerun = await runRetention(t.deps, { trigger: "cli", dryRun: false, days: 90, batchSize: 100 });
    expect(rerun).toMatchObject({ status: "completed", moved: { remediation_audit: 6 } });
    expect(await everyRowOnce(t, "remediation_audit")).toEqual(before);
  });
});

describe("the retention command killed with SIGKILL between steps", () => {
  const cli = fileURLToPath(new URL("../../src/retention-cli.ts", import.meta.url));

  /** Starts the command, kills it once it reports its first committed batch; answers what it printed. */
  function runAndKill(url: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ["--import", "tsx", cli, "--batch-size", "10"], {
        cwd: fileURLToPath(new URL("../..", import.meta.url)),
        env: { ...process.env, DATABASE_URL: url, RETENTION_DAYS: "90" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let out = "";
      let err = "";
      child.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        if (/batch \d+ moved/.test(out)) child.kill("SIGKILL");
      });
      child.stderr.on("data", (chunk: Buffer) => {
        err += chunk.toString();
      });
      child.on("error", reject);
      child.on("exit", (code, signal) => {
        if (signal === "SIGKILL") resolve(out);
        else reject(new Error(`retention command exited (${code}) before it was killed:\n${out}\n${err}`));
      });
    });
  }

  // PGlite lives in this process and cannot be opened by a second one: this needs a PostgreSQL server.
  it.skipIf(!process.env.TEST_DATABASE_URL)(
    "leaves every row in the live table or the archive, exactly once; the run log matches; a rerun completes",
    async () => {
      // Ten months of 300 rows: one step each.
      await writeExpired(3000, 10);
      const before = await snapshot(t, "remediation_audit");
      const url = t.database.url;
      if (url === undefined) throw new Error("the PostgreSQL test database has no URL");

      const printed = await runAndKill(url);
      expect(printed).toMatch(/remediation_audit: batch 1 moved 300/);
      const { live, archived } = await liveAndArchived(t, "remediation_audit");
      // Killed part-way: some rows moved, not all.
      expect(archived.length).toBeGreaterThan(0);
      expect(archived.length).toBeLessThan(3000);
      expect(archived.length % 300).toBe(0);
      expect(live.length + archived.length).toBe(3001);
      expect(await everyRowOnce(t, "remediation_audit")).toEqual(before);
      // The run row's counts are committed with each batch, so they equal what actually moved.
      expect(await retentionRuns(t)).toMatchObject([
        { trigger: "cli", status: "running", finished: false, moved: { remediation_audit: archived.length } },
      ]);

      const rerun = await runRetention(t.deps, { trigger: "cli", dryRun: false, days: 90, batchSize: 500 });
      expect(rerun).toMatchObject({
        status: "completed",
        moved: { remediation_audit: 3000 - archived.length },
      });
      expect((await liveAndArchived(t, "remediation_audit")).live).toHaveLength(1);
      expect(await everyRowOnce(t, "remediation_audit")).toEqual(before);
      expect((await retentionRuns(t)).map((r) => r.status)).toEqual(["interrupted", "completed"]);
    },
    180_000,
  );
});
