import { describe, expect, it } from "vitest";
import { expectCompleteAuditTrail } from "../support/audit-trail.js";
import { useSpecSystem } from "../support/spec-system.js";
import type { ControllerName } from "../support/system.js";

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

  async function restart(controller: ControllerName): Promise<void> {
    await spec.system.killController(controller);
    await spec.system.startController(controller);
  }

  it("the remediation processor, while it enriches, classifies and routes", async () => {
    const batch = names("processing");
    await start(batch);
    // The orchestrator has handed the first request to the processor, which is at work on the batch. The request
    // may already be past processing and analyzing (they take milliseconds), but not past executing: the
    // workflows run only below.
    await spec.cluster.reaches(spec.namespace, batch[0] ?? "", ["processing", "analyzing", "executing"]);
    await restart("remediation-processor");
    await runWorkflows(batch);
    await completesWithWholeTrail(batch);
  });

  it("the AI analysis controller, while it investigates and recommends", async () => {
    const batch = names("analyzing");
    await start(batch);
    await spec.cluster.reaches(spec.namespace, batch[0] ?? "", ["analyzing", "executing"]);
    await restart("ai-analysis");
    await runWorkflows(batch);
    await completesWithWholeTrail(batch);
  });

  it("the remediation orchestrator, while it creates children and when the workflows complete", async () => {
    const early = names("created");
    await start(early);
    // Killed right after the requests were created: it is adding finalizers and creating the processings.
    await restart("remediation-orchestrator");
    const late = names("finishing");
    await start(late);
    await Promise.all(late.map((name) => spec.cluster.reaches(spec.namespace, name, ["executing"])));
    await runWorkflows(late);
    // Killed as it sees the workflows complete and publishes the final records.
    await restart("remediation-orchestrator");
    await runWorkflows(early);
    await completesWithWholeTrail([...early, ...late]);
  });
});
