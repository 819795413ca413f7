import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectCompleteAuditTrail } from "../support/audit-trail.js";
import { Cluster } from "../support/cluster.js";
import { StorageReader } from "../support/storage.js";
import { type SystemUnderTest, startSystem } from "../support/system.js";

describe("the storage service restarted while remediations are in flight", () => {
  let system: SystemUnderTest;
  let cluster: Cluster;
  let storage: StorageReader;
  let namespace: string;

  beforeAll(async () => {
    system = await startSystem();
    cluster = new Cluster(system.kubeConfig);
    storage = new StorageReader(system.storageUrl, system.storageToken);
    namespace = await cluster.productionNamespace("e2e-restart");
  });

  afterAll(async () => {
    await cluster?.deleteNamespace(namespace);
    await system?.stop();
  });

  it("loses no audit record and stores none twice", async () => {
    const fingerprint = (name: string) => `restart-${namespace}-${name}`;
    // Waiting for their workflow when the service goes down: their completion is recorded during the outage.
    const waiting = ["waiting-1", "waiting-2", "waiting-3"];
    // Created as it goes down: their processing and analysis are recorded during the outage.
    const starting = ["starting-1", "starting-2", "starting-3"];

    await Promise.all(waiting.map((name) => cluster.startRemediation(namespace, name, fingerprint(name))));
    await Promise.all(waiting.map((name) => cluster.reaches(namespace, name, ["executing"])));

    const down = Date.now();
    const restarted = system.restartStorage();
    await Promise.all([
      ...starting.map((name) => cluster.startRemediation(namespace, name, fingerprint(name))),
      ...waiting.map((name) => cluster.runWorkflow(namespace, name)),
    ]);
    await restarted;
    const up = Date.now();
    await Promise.all(starting.map((name) => cluster.runWorkflow(namespace, name)));

    for (const name of [...waiting, ...starting]) {
      const rr = await cluster.reaches(namespace, name, ["completed"]);
      expect(rr.status?.phase).toBe("completed");
    }
    const occurred: number[] = [];
    for (const name of [...waiting, ...starting]) {
      const events = await expectCompleteAuditTrail(storage, fingerprint(name), name);
      occurred.push(...events.map((e) => Date.parse(e.occurred_at)));
    }
    // The scenario really had records to deliver while the service was away.
    expect(occurred.filter((t) => t >= down && t <= up).length).toBeGreaterThan(0);
  });
});
