import { describe, expect, it } from "vitest";
import { expectCompleteAuditTrail } from "../support/audit-trail.js";
import { useSpecSystem } from "../support/spec-system.js";

describe("the storage service restarted while remediations are in flight", () => {
  const spec = useSpecSystem("e2e-restart");

  it("loses no audit record and stores none twice", async () => {
    const fingerprint = (name: string) => `restart-${spec.namespace}-${name}`;
    // Waiting for their workflow when the service goes down: their completion is recorded during the outage.
    const waiting = ["waiting-1", "waiting-2", "waiting-3"];
    // Created as it goes down: their processing and analysis are recorded during the outage.
    const starting = ["starting-1", "starting-2", "starting-3"];

    await Promise.all(
      waiting.map((name) => spec.cluster.startRemediation(spec.namespace, name, fingerprint(name))),
    );
    await Promise.all(waiting.map((name) => spec.cluster.reaches(spec.namespace, name, ["executing"])));

    const down = Date.now();
    const restarted = spec.system.restartStorage();
    await Promise.all([
      ...starting.map((name) => spec.cluster.startRemediation(spec.namespace, name, fingerprint(name))),
      ...waiting.map((name) => spec.cluster.runWorkflow(spec.namespace, name)),
    ]);
    await restarted;
    const up = Date.now();
    await Promise.all(starting.map((name) => spec.cluster.runWorkflow(spec.namespace, name)));

    for (const name of [...waiting, ...starting]) {
      const rr = await spec.cluster.reaches(spec.namespace, name, ["completed"]);
      expect(rr.status?.phase).toBe("completed");
    }
    const occurred: number[] = [];
    for (const name of [...waiting, ...starting]) {
      const events = await expectCompleteAuditTrail(spec.storage, fingerprint(name), name);
      occurred.push(...events.map((e) => Date.parse(e.occurred_at)));
    }
    // The scenario really had records to deliver while the service was away.
    expect(occurred.filter((t) => t >= down && t <= up).length).toBeGreaterThan(0);
  });
});
