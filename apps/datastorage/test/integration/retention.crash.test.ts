import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
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

/** `count` remediations completed long ago (written in batches of 500), and one recent. */
async function writeExpired(count: number): Promise<void> {
  await t.reset();
  t.setNow(new Date(NOW.getTime() - 100 * DAY));
  for (let first = 0; first < count; first += 500) {
    const records = Array.from({ length: Math.min(500, count - first) }, (_, i) => ({
      kind: "remediation-orchestration",
      ...orchestration({
        remediation_name: `rr-${first + i}`,
        overall_phase: i % 3 === 0 ? "failed" : "completed",
      }),
    }));
    await t.write(BATCH, { records });
  }
  t.setNow(new Date(NOW.getTime() - DAY));
  await t.write(ORCHESTRATION, orchestration({ remediation_name: "rr-recent", overall_phase: "completed" }));
  t.setNow(NOW);
}

describe("a batch that fails before it commits", () => {
  it("rolls back only that batch; the run is logged failed; a rerun completes", async () => {
    await writeExpired(7);
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
      moved: { remediation_audit: 3 },
    });
    const { live, archived } = await liveAndArchived(t, "remediation_audit");
    expect([live.length, archived.length]).toEqual([5, 3]);
    expect(await everyRowOnce(t, "remediation_audit")).toEqual(before);
    expect(await retentionRuns(t)).toMatchObject([
      {
        status: "failed",
        error: "injected crash in batch 2",
        moved: { remediation_audit: 3 },
        finished: true,
      },
    ]);
    const counter = await t.deps.metrics.retentionRowsMoved.get();
    expect(counter.values).toMatchObject([{ labels: { table: "remediation_audit" }, value: 3 }]);

    const rerun = await runRetention(t.deps, { trigger: "cli", dryRun: false, days: 90, batchSize: 3 });
    expect(rerun).toMatchObject({ status: "completed", moved: { remediation_audit: 4 } });
    expect((await liveAndArchived(t, "remediation_audit")).archived).toHaveLength(7);
    expect(await everyRowOnce(t, "remediation_audit")).toEqual(before);
    expect((await retentionRuns(t)).map((r) => r.status)).toEqual(["failed", "completed"]);
  });
});

describe("the retention command killed with SIGKILL between batches", () => {
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
      await writeExpired(3000);
      const before = await snapshot(t, "remediation_audit");
      const url = t.database.url;
      if (url === undefined) throw new Error("the PostgreSQL test database has no URL");

      const printed = await runAndKill(url);
      expect(printed).toMatch(/remediation_audit: batch 1 moved 10/);
      const { live, archived } = await liveAndArchived(t, "remediation_audit");
      // Killed part-way: some rows moved, not all.
      expect(archived.length).toBeGreaterThan(0);
      expect(archived.length).toBeLessThan(3000);
      expect(archived.length % 10).toBe(0);
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
