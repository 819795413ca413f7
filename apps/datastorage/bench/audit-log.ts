/**
 * Benchmark of the tamper-evident log, over a real socket against the built server (`dist/server.js`):
 *   1. batch ingest (POST /api/v1/audit/batch, batches of 500 ~2 KB records, 4 clients) with the sealer off and on,
 *      alternating, each round on a fresh database: the ratio on/off;
 *   2. checkpoint lag under that load (sealer on): from a batch's 201 until a checkpoint covers as many records as
 *      had been acknowledged then (polled every 50 ms), p50/p99;
 *   3. inclusion proof latency (GET /api/v1/audit/events/{id}/proof) at the resulting tree size, p50/p95;
 *   4. `kubernaut-audit verify` (the built CLI) for one incident of BENCH_INCIDENT records, and with --all;
 *   5. `kubernaut-audit export` of every record (records/s, MB/s, the service's peak RSS), then `verify --export`.
 * PostgreSQL when TEST_DATABASE_URL is set (e.g. under scripts/test-deps/postgres.sh), else PGlite.
 *   node --import tsx bench/audit-log.ts     BENCH_RECORDS=20000 BENCH_ROUNDS=2 BENCH_INCIDENT=10000 BENCH_SEAL_INTERVAL=1s
 */
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { AuditRecord } from "@kubernaut/schema";
import { createFreshDatabase, type FreshDatabase } from "@kubernaut/testing/storage";
import { generateSignerKey } from "@kubernaut/tlog";
import { benchRecord } from "./records.js";
import { type ServiceProcess, startService } from "./service.js";

const BATCH = 500;
const CLIENTS = 4;
const TOTAL = Number(process.env.BENCH_RECORDS ?? 20_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const INCIDENT = Number(process.env.BENCH_INCIDENT ?? 10_000);
const PROOFS = 300;
const serverUrl = process.env.TEST_DATABASE_URL;
const CLI = join(import.meta.dirname, "..", "..", "audit-cli", "dist", "cli.js");
const run = promisify(execFile);

const bodies: string[] = [];
for (let b = 0; b < TOTAL / BATCH; b++) {
  const records: AuditRecord[] = Array.from({ length: BATCH }, (_, i) => benchRecord(b * BATCH + i, BATCH));
  bodies.push(JSON.stringify({ records }));
}
console.log(`database: ${serverUrl ? "PostgreSQL (TEST_DATABASE_URL)" : "PGlite"}; node ${process.version}`);
console.log(
  `${TOTAL} records in batches of ${BATCH}, ${CLIENTS} clients, ${ROUNDS} rounds; load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`,
);

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
};

async function latestSize(url: string): Promise<number> {
  const res = await fetch(`${url}/api/v1/audit/checkpoints/latest`);
  if (res.status !== 200) return 0;
  return ((await res.json()) as { tree_size: number }).tree_size;
}

/** Ingests every batch with CLIENTS workers; answers records/s, and each batch's ack (time, records acked so far). */
async function ingest(url: string): Promise<{ rate: number; acks: { at: number; acked: number }[] }> {
  const acks: { at: number; acked: number }[] = [];
  let next = 0;
  let acked = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      for (let i = next++; i < bodies.length; i = next++) {
        const res = await fetch(`${url}/api/v1/audit/batch`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: bodies[i],
        });
        if (res.status !== 201) throw new Error(`batch: ${res.status} ${await res.text()}`);
        await res.body?.cancel();
        acked += BATCH;
        acks.push({ at: performance.now(), acked });
      }
    }),
  );
  return { rate: TOTAL / ((performance.now() - started) / 1000), acks };
}

const dir = await mkdtemp(join(tmpdir(), "audit-log-bench-"));
const fresh: FreshDatabase[] = [];
const key = generateSignerKey("bench.kubernaut/log");
await writeFile(join(dir, "signing.key"), key.signerKey, { mode: 0o600 });

async function service(name: string, sealer: boolean): Promise<ServiceProcess> {
  const db = serverUrl ? await createFreshDatabase(serverUrl) : undefined;
  if (db) fresh.push(db);
  return startService({
    ...(db ? { DATABASE_URL: db.url } : { DATA_DIR: join(dir, name) }),
    SEALER_ENABLED: String(sealer),
    CHECKPOINT_SIGNING_KEY_FILE: join(dir, "signing.key"),
    CHECKPOINT_EVERY: "1000",
    CHECKPOINT_INTERVAL: "1s",
    SEAL_INTERVAL: process.env.BENCH_SEAL_INTERVAL ?? "1s",
  });
}

try {
  const rates = { off: [] as number[], on: [] as number[] };
  const lags: number[] = [];
  let last: ServiceProcess | undefined;
  for (let round = 0; round < ROUNDS; round++) {
    for (const sealer of round % 2 === 0 ? [false, true] : [true, false]) {
      const s = await service(`r${round}-${sealer}`, sealer);
      const polls: { at: number; size: number }[] = [];
      let polling = sealer;
      const poller = (async () => {
        while (polling) {
          polls.push({ at: performance.now(), size: await latestSize(s.url) });
          await new Promise((r) => setTimeout(r, 50));
        }
      })();
      const { rate, acks } = await ingest(s.url);
      rates[sealer ? "on" : "off"].push(rate);
      console.log(`round ${round + 1}, sealer ${sealer ? "on " : "off"}: ${Math.round(rate)} records/s`);
      if (sealer) {
        const deadline = Date.now() + 600_000;
        while ((await latestSize(s.url)) < TOTAL && Date.now() < deadline)
          await new Promise((r) => setTimeout(r, 50));
        polls.push({ at: performance.now(), size: await latestSize(s.url) });
        polling = false;
        await poller;
        for (const ack of acks) {
          const covered = polls.find((p) => p.at >= ack.at && p.size >= ack.acked);
          if (covered) lags.push(covered.at - ack.at);
        }
      }
      if (sealer && round === ROUNDS - 1) last = s;
      else await s.stop();
    }
  }
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  console.log(
    `ingest: sealer off ${rates.off.map(Math.round).join(", ")} / on ${rates.on.map(Math.round).join(", ")} records/s; ratio on/off ${(mean(rates.on) / mean(rates.off)).toFixed(2)}`,
  );
  console.log(
    `checkpoint lag under load: p50 ${Math.round(quantile(lags, 0.5))} ms, p99 ${Math.round(quantile(lags, 0.99))} ms (${lags.length} batches)`,
  );

  if (last !== undefined) {
    const s = last;
    // One incident of INCIDENT records, for the CLI.
    for (let first = 0; first < INCIDENT; first += BATCH) {
      const records = Array.from({ length: Math.min(BATCH, INCIDENT - first) }, (_, i) => ({
        kind: "remediation-orchestration",
        event_id: randomUUID(),
        alert_fingerprint: "fp-bench-incident",
        remediation_name: "rr-bench-incident",
        overall_phase: "processing",
        start_time: new Date(Date.UTC(2026, 10, 20, 10, 0, 0, first + i)).toISOString(),
      }));
      await fetch(`${s.url}/api/v1/audit/batch`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ records }),
      });
    }
    const size = TOTAL + INCIDENT;
    while ((await latestSize(s.url)) < size) await new Promise((r) => setTimeout(r, 100));
    const page = (await (await fetch(`${s.url}/api/v1/audit/leaves?start=0&limit=10000`)).json()) as {
      items: { event_id: string }[];
    };
    const ids = page.items.map((l) => l.event_id);
    const latencies: number[] = [];
    for (let i = 0; i < PROOFS; i++) {
      const id = ids[Math.floor(Math.random() * ids.length)];
      const started = performance.now();
      const res = await fetch(`${s.url}/api/v1/audit/events/${id}/proof`);
      await res.text();
      latencies.push(performance.now() - started);
    }
    console.log(
      `inclusion proof at ${size} leaves: p50 ${quantile(latencies, 0.5).toFixed(1)} ms, p95 ${quantile(latencies, 0.95).toFixed(1)} ms`,
    );
    for (const scope of [["--correlation-id", "rr-bench-incident"], ["--all"]]) {
      const started = performance.now();
      const { stdout } = await run(
        process.execPath,
        [CLI, "verify", "--key", key.verifierKey, "--url", s.url, ...scope],
        {
          maxBuffer: 64 * 1024 * 1024,
        },
      );
      const seconds = (performance.now() - started) / 1000;
      console.log(
        `kubernaut-audit verify ${scope.join(" ")}: ${seconds.toFixed(1)} s (${stdout.trim().split("\n").at(-1)})`,
      );
    }
    // 5. A verified export of every record (a time range over all of them) through the CLI, then verified offline.
    const rssBefore = s.peakRssMiB();
    const file = join(dir, "export.ndjson");
    const exportStarted = performance.now();
    await run(
      process.execPath,
      [
        CLI,
        "export",
        "--url",
        s.url,
        "--from",
        "1970-01-01T00:00:00Z",
        "--to",
        "2100-01-01T00:00:00Z",
        "--out",
        file,
      ],
      { maxBuffer: 64 * 1024 * 1024 },
    );
    const exportSeconds = (performance.now() - exportStarted) / 1000;
    const bytes = (await stat(file)).size;
    console.log(
      `export of ${size} records: ${Math.round(size / exportSeconds)} records/s, ${(bytes / 1_048_576 / exportSeconds).toFixed(1)} MB/s (${(bytes / 1_048_576).toFixed(0)} MB); service peak RSS ${rssBefore} MiB before, ${s.peakRssMiB()} MiB after`,
    );
    const verifyStarted = performance.now();
    const { stdout } = await run(
      process.execPath,
      [CLI, "verify", "--key", key.verifierKey, "--export", file],
      {
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    console.log(
      `kubernaut-audit verify --export: ${((performance.now() - verifyStarted) / 1000).toFixed(1)} s (${stdout.trim().split("\n").at(-1)})`,
    );
    await s.stop();
  }
} finally {
  await rm(dir, { recursive: true, force: true });
  for (const db of fresh) await db.drop().catch(() => {});
}
