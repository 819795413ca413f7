import { type ControllerReplicas, startControllerReplicas } from "@kubernaut/testing/controller";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Cluster, suffix } from "./support.js";

describe("two orchestrator replicas", () => {
  const cluster = new Cluster();
  const namespace = `leader-${suffix()}`;
  let replicas: ControllerReplicas;

  beforeAll(async () => {
    await cluster.namespace(namespace);
    // Nothing listens here: the replicas must reconcile without the storage service.
    const env = { STORAGE_URL: "http://127.0.0.1:9", LOG_LEVEL: "warn" };
    replicas = await startControllerReplicas(cluster.kubeConfig, {
      app: "remediation-orchestrator",
      namespace,
      env,
    });
  });

  afterAll(async () => {
    await replicas?.stop();
    await cluster.deleteNamespace(namespace);
  });

  it("reconciles on the leader only, and fails over when the leader is killed", async () => {
    const { leader, standbys } = await replicas.elected();

    await cluster.createRequest(namespace, "rr-before", `before-${suffix()}`);
    await cluster.inPhase(namespace, "rr-before", "processing");
    expect(await leader.metric("controller_runtime_reconcile_total")).toBeGreaterThan(0);
    expect(await standbys[0]?.metric("controller_runtime_reconcile_total")).toBe(0);
    expect(await standbys[0]?.metric("leader_election_master_status")).toBe(0);

    const standby = await replicas.failover();
    expect(standby).toBe(standbys[0]);
    await cluster.createRequest(namespace, "rr-after", `after-${suffix()}`);
    await cluster.inPhase(namespace, "rr-after", "processing");
    expect(await standby.metric("controller_runtime_reconcile_total")).toBeGreaterThan(0);
  });
});
