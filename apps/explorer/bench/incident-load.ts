/**
 * How long the incident view of a 50-record remediation takes to load in headless Chromium against the local
 * storage service (PGlite, or PostgreSQL with TEST_DATABASE_URL): from navigation to the timeline and the open
 * record's diff on screen. Needs the built service and explorer (`pnpm build`) and Chromium (CHROMIUM_PATH).
 *
 *   node --import tsx bench/incident-load.ts          # BENCH_RUNS=20 by default
 */
import { launchBrowser } from "@kubernaut/testing/browser";
import { startStorageService } from "@kubernaut/testing/storage";

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const RECORDS = 50;

function trail(): Record<string, unknown>[] {
  const t0 = Date.now() - 600_000;
  const at = (s: number) => new Date(t0 + s * 1000).toISOString();
  const records: Record<string, unknown>[] = [];
  const phases = ["pending", "processing", "analyzing", "executing"];
  for (let i = 0; i < RECORDS; i++) {
    const source = i % 3;
    if (source === 0) {
      records.push({
        kind: "remediation-orchestration",
        alert_fingerprint: "bench-fp",
        remediation_name: "rr-bench",
        overall_phase: phases[Math.min(phases.length - 1, Math.floor(i / 12))],
        start_time: at(0),
        duplicate_count: Math.floor(i / 10),
        occurred_at: at(i),
        service_crd_statuses: {
          workflowExecution: { phase: i > 40 ? "running" : "pending", success: false },
        },
      });
    } else if (source === 1) {
      records.push({
        kind: "alert-processing",
        remediation_id: "rr-bench",
        alert_fingerprint: "bench-fp",
        processing_phases: [{ phase: "enriching", start_time: at(i), duration: `${i}00ms` }],
        status: "enriching",
        environment: "production",
        occurred_at: at(i),
      });
    } else {
      records.push({
        kind: "ai-analysis",
        trigger: "investigation_complete",
        crd_name: "rr-bench-analysis",
        crd_namespace: "default",
        remediation_id: "rr-bench",
        alert_fingerprint: "bench-fp",
        environment: "production",
        severity: "critical",
        root_cause_count: i,
        investigation_report: `pass ${i}: memory limit reached`,
        occurred_at: at(i),
      });
    }
  }
  return records;
}

const storage = await startStorageService({ databaseUrl: process.env.TEST_DATABASE_URL });
const browser = await launchBrowser("bench");
try {
  const response = await fetch(`${storage.url}/api/v1/audit/batch`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ records: trail() }),
  });
  if (response.status !== 201) throw new Error(`seeding: ${response.status} ${await response.text()}`);
  const url = `${storage.url}/ui/#/incident/bench-fp?remediation=rr-bench`;
  const times: number[] = [];
  for (let run = -2; run < RUNS; run++) {
    await browser.page.goto("about:blank");
    const start = performance.now();
    await browser.page.goto(url);
    await browser.page.locator(".record-detail table.diff").waitFor();
    const count = await browser.page.locator(".record-list li").count();
    if (count !== RECORDS) throw new Error(`the view lists ${count} records, not ${RECORDS}`);
    if (run >= 0) times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const pick = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]?.toFixed(0);
  console.log(
    `incident view, ${RECORDS} records, ${RUNS} loads: p50 ${pick(0.5)} ms, p95 ${pick(0.95)} ms, max ${pick(1)} ms`,
  );
} finally {
  await browser.close();
  await storage.stop();
}
