import { ResourceClient } from "@kubernaut/controller-runtime";
import { type AIAnalysis, kinds, type RemediationProcessing } from "@kubernaut/crds";
import { waitFor } from "@kubernaut/testing/wait";
import { describe, expect, it } from "vitest";
import { expectCompleteAuditTrail } from "../support/audit-trail.js";
import { useSpecSystem } from "../support/spec-system.js";

/** The phases in which the AI analysis controller has begun an analysis and not finished it. */
const inProgress = new Set(["investigating", "analyzing", "recommending"]);

/**
 * Each controller is killed (SIGKILL, or its pod deleted with no grace) while remediations are in the phase
 * it works on, then started again: every remediation still completes, with its whole audit trail, once.
 */
describe("a controller killed mid-reconcile", () => {
  const spec = useSpecSystem("e2e-kill");

  const names = (prefix: string) => [1, 2, 3].map((i) => `${prefix}-${i}`);
  const fingerprint = (name: string) => `kill-${spec.namespace}-${name}`;
  const start = (batch: readonly string[]) =>
    Promise.all(batch.map((name) => spec.cluster.startRemediation(spec.namespace, name, fingerprint(name))));
  const runWorkflows = (batch: readonly string[]) =>
    Promise.all(batch.map((name) => spec.cluster.runWorkflow(spec.namespace, name)));

  async function completesWithWholeTrail(batch: readonly string[]): Promise<void> {
    for (const name of batch) {
      const rr = await spec.cluster.reaches(spec.namespace, name, ["completed"]);
      expect(rr.status?.phase).toBe("completed");
    }
    for (const name of batch) await expectCompleteAuditTrail(spec.storage, fingerprint(name), name);
  }

  it("the remediation processor, while it enriches, classifies and routes", async () => {
    const batch = names("processing");
    // The processor's status writes are held: the first one a reconcile makes waits, unanswered, in the middle
    // of that reconcile, and the kill lands there. Without a hold (kind) it lands wherever the batch is.
    const hold = spec.system.holdApiRequests?.(
      "remediation-processor",
      (method, path) => method === "PATCH" && /\/remediationprocessings\/[^/]+\/status$/.test(path),
    );
    try {
      await start(batch);
      if (hold) {
        const held = await hold.first;
        await spec.system.killController("remediation-processor");
        // The reconcile had worked out a new status and was waiting for its write, which never reached the API
        // server: the processing still has the status from before.
        const name = /\/remediationprocessings\/([^/]+)\/status$/.exec(held.path)?.[1] ?? "";
        const written = (JSON.parse(held.body) as { status?: { phase?: string } }).status?.phase;
        expect(written, `${held.method} ${held.path}: ${held.body.slice(0, 300)}`).toBeDefined();
        const processings = new ResourceClient<RemediationProcessing>(
          spec.system.kubeConfig,
          kinds.remediationProcessing,
        );
        const processing = await processings.get({ namespace: spec.namespace, name });
        expect(processing?.status?.phase, `${held.path} at the kill`).not.toBe(written);
      } else {
        // The request may already be past processing and analyzing (they take milliseconds), but not past
        // executing: the workflows run only below.
        await spec.cluster.reaches(spec.namespace, batch[0] ?? "", ["processing", "analyzing", "executing"]);
        await spec.system.killController("remediation-processor");
      }
    } finally {
      hold?.release();
    }
    await spec.system.startController("remediation-processor");
    await runWorkflows(batch);
    await completesWithWholeTrail(batch);
  });

  it("the AI analysis controller, while it investigates and recommends", async () => {
    const batch = names("analyzing");
    const analyses = new ResourceClient<AIAnalysis>(spec.system.kubeConfig, kinds.aiAnalysis);
    const analysisPhases = () =>
      Promise.all(
        batch.map(async (name) => {
          const analysis = await analyses.get({ namespace: spec.namespace, name: `${name}-analysis` });
          return analysis?.status?.phase;
        }),
      );
    // With storage held, each analysis waits on its storage reads (similar investigations, then success
    // rates) for STORAGE_READ_TIMEOUT (2 s) in the middle of its reconcile, between the phase it has recorded
    // and the next: the kill lands in a reconcile. Without a hold (kind) it lands wherever the batch is.
    const release = spec.system.holdStorage?.();
    try {
      await start(batch);
      await waitFor(
        "an analysis under way",
        async () => (await analysisPhases()).some((phase) => phase && inProgress.has(phase)),
        // Often enough to see a phase that lasts seconds; the system may still be starting.
        { timeoutMs: 180_000, intervalMs: 50, retryErrors: true },
      );
      await spec.system.killController("ai-analysis");
      if (release) {
        // The process is gone, so the phases it recorded stay as the kill left them: some analysis had
        // begun and not finished.
        const left = await analysisPhases();
        expect(
          left.some((phase) => phase && inProgress.has(phase)),
          `phases at the kill: ${left}`,
        ).toBe(true);
      }
    } finally {
      release?.();
    }
    await spec.system.startController("ai-analysis");
    await runWorkflows(batch);
    await completesWithWholeTrail(batch);
  });

  it("the remediation orchestrator, while it creates children and when the workflows complete", async () => {
    const early = names("created");
    // Killed while it creates the children: its first RemediationProcessing create is held, unanswered, inside
    // that reconcile. Without a hold (kind) it is killed right after the requests were created.
    const hold = spec.system.holdApiRequests?.(
      "remediation-orchestrator",
      (method, path) => method === "POST" && /\/remediationprocessings$/.test(path),
    );
    try {
      await start(early);
      if (hold) {
        const held = await hold.first;
        await spec.system.killController("remediation-orchestrator");
        // The create never reached the API server: that processing does not exist.
        const child = (JSON.parse(held.body) as { metadata?: { name?: string } }).metadata?.name ?? "";
        expect(child, held.body.slice(0, 300)).not.toBe("");
        const processings = new ResourceClient<RemediationProcessing>(
          spec.system.kubeConfig,
          kinds.remediationProcessing,
        );
        expect(await processings.get({ namespace: spec.namespace, name: child })).toBeUndefined();
      } else {
        await spec.system.killController("remediation-orchestrator");
      }
    } finally {
      hold?.release();
    }
    await spec.system.startController("remediation-orchestrator");
    const late = names("finishing");
    await start(late);
    await Promise.all(late.map((name) => spec.cluster.reaches(spec.namespace, name, ["executing"])));
    // Killed as it sees the workflows complete and publishes the final records. With storage held, it
    // cannot confirm that a final record is stored, so it is still at work on each completed request (trying
    // to confirm every AUDIT_CONFIRM_INTERVAL) when it is killed.
    const release = spec.system.holdStorage?.();
    try {
      await runWorkflows(late);
      const unconfirmed = async () => {
        const requests = await Promise.all(
          late.map((name) => spec.cluster.requests.get({ namespace: spec.namespace, name })),
        );
        return requests.filter((rr) => rr?.status?.phase === "completed" && !rr.status.auditRecorded);
      };
      if (release) {
        await waitFor(
          "a completed request whose final record is not confirmed",
          async () => (await unconfirmed()).length > 0,
          {
            timeoutMs: 180_000,
            retryErrors: true,
          },
        );
      }
      await spec.system.killController("remediation-orchestrator");
      if (release) expect((await unconfirmed()).length).toBeGreaterThan(0);
    } finally {
      release?.();
    }
    await spec.system.startController("remediation-orchestrator");
    await runWorkflows(early);
    await completesWithWholeTrail([...early, ...late]);
  });
});
