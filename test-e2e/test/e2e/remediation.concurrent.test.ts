import { waitFor } from "@kubernaut/testing/wait";
import { describe, expect, it } from "vitest";
import { expectCompleteAuditTrail } from "../support/audit-trail.js";
import { useSpecSystem } from "../support/spec-system.js";
import { hasEveryTrailEvent } from "../support/storage.js";

const COUNT = 50;
const TIMEOUT_MS = 240_000;

/** The nearest-rank percentile `p` (0–100) of `values`. */
function percentile(values: readonly number[], p: number): number {
  const ordered = [...values].sort((a, b) => a - b);
  return ordered[Math.max(0, Math.ceil((p / 100) * ordered.length) - 1)] ?? Number.NaN;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

describe(`${COUNT} RemediationRequests at once`, () => {
  const spec = useSpecSystem("e2e-concurrent");

  it("all complete, each with its whole audit trail", async () => {
    const names = Array.from({ length: COUNT }, (_, i) => `burst-${String(i).padStart(2, "0")}`);
    const fingerprint = (name: string) => `burst-${spec.namespace}-${name}`;
    // The pods exist before the burst, so that the burst is only the requests.
    await Promise.all(names.map((name) => spec.cluster.oomKilledPod(spec.namespace, `${name}-pod`)));

    const created = new Map<string, number>();
    const completed = new Map<string, number>();
    const first = Date.now();
    await Promise.all(
      names.map(async (name) => {
        created.set(name, Date.now());
        await spec.cluster.createRemediation(spec.namespace, name, fingerprint(name), `${name}-pod`);
      }),
    );

    // One observer for all of them, as an operator's watch would be: it plays the workflow engine for each
    // new WorkflowExecution and notes when each request is seen completed (every 250 ms, which bounds the error).
    const started = new Set<string>();
    const pending = () => names.filter((name) => !completed.has(name));
    await waitFor(
      () => `every request to complete (${pending().length} not completed: ${pending().join(", ")})`,
      async () => {
        const [requests, workflows] = await Promise.all([
          spec.cluster.requests.list({ namespace: spec.namespace }),
          spec.cluster.workflows.list({ namespace: spec.namespace }),
        ]);
        const now = Date.now();
        for (const rr of requests.items) {
          const name = rr.metadata.name ?? "";
          const phase = rr.status?.phase;
          if (phase === "failed" || phase === "timeout") {
            throw new Error(`${name} ended ${phase}: ${JSON.stringify(rr.status)}`);
          }
          if (phase === "completed" && !completed.has(name)) completed.set(name, now);
        }
        await Promise.all(
          workflows.items
            .filter((w) => !started.has(w.metadata.name ?? "") && w.status?.phase === undefined)
            .map(async (w) => {
              const ref = { namespace: spec.namespace, name: w.metadata.name ?? "" };
              started.add(ref.name);
              await spec.cluster.workflows.patchStatus(ref, {
                phase: "running",
                startTime: new Date().toISOString(),
              });
              await spec.cluster.workflows.patchStatus(ref, {
                phase: "completed",
                completedAt: new Date().toISOString(),
              });
            }),
        );
        return completed.size >= COUNT;
      },
      { timeoutMs: TIMEOUT_MS, intervalMs: 250 },
    );
    const drained = Date.now() - first;

    const trails = await Promise.all(
      names.map((name) => spec.storage.settledTimeline(fingerprint(name), hasEveryTrailEvent, TIMEOUT_MS)),
    );
    const trailsIn = Date.now() - first;
    expect(trails).toHaveLength(COUNT);
    for (const name of names) await expectCompleteAuditTrail(spec.storage, fingerprint(name), name);

    const latencies = names.map((name) => (completed.get(name) ?? Number.NaN) - (created.get(name) ?? 0));
    process.stdout.write(
      [
        `${COUNT} concurrent remediations (${spec.system.mode} mode):`,
        `  drained (first created → last completed): ${seconds(drained)}`,
        `  audit trails complete: ${seconds(trailsIn)} after the first was created`,
        `  latency per remediation (created → completed): p50 ${seconds(percentile(latencies, 50))},` +
          ` p95 ${seconds(percentile(latencies, 95))}, max ${seconds(Math.max(...latencies))}`,
        "",
      ].join("\n"),
    );
  });
});
