import { type ControllerReplicas, startControllerReplicas } from "@kubernaut/testing/controller";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Cluster, suffix } from "./support.js";

describe("two orchestrator replicas", () => {
  const cluster = new Cluster();
  const namespace = `leader-${suffix()}`;
  let replicas: ControllerReplicas;

  beforeAll(async () => {
    await cluster.namespace(namespace);
    replicas = await startControllerReplicas(cluster.kubeConfig, {
      app: "remediation-orchestrator",
      lease: "remediation-orchestrator",
      namespace,
      kubeconfig: process.env.KUBECONFIG ?? "",
      // Nothing listens here: the replicas must reconcile without the storage service.
      env: { STORAGE_URL: "http://127.0.0.1:9", LOG_LEVEL: "warn" },
    });
  });

  afterAll(async () => {
    await replicas?.stop();
    await cluster.deleteNamespace(namespace);
  });

  it("reconciles on the leader only, and fails over when the leader is killed", async () => {
    const { leader, standbys } = await replicas.elected();
    const [standby] = standbys;
    if (!standby) throw new Error("no standby replica");

    await cluster.createRequest(namespace, "rr-before", `before-${suffix()}`);
    await cluster.inPhase(namespace, "rr-before", "processing");
    expect(await leader.metric("controller_runtime_reconcile_total")).toBeGreaterThan(0);
    expect(await standby.metric("controller_runtime_reconcile_total")).toBe(0);
    expect(await standby.metric("leader_election_master_status")).toBe(0);

    await leader.kill("SIGKILL");
    const next = await replicas.elected(leader.identity);
    expect(next.leader.identity).toBe(standby.identity);
    await cluster.createRequest(namespace, "rr-after", `after-${suffix()}`);
    await cluster.inPhase(namespace, "rr-after", "processing");
    expect(await standby.metric("controller_runtime_reconcile_total")).toBeGreaterThan(0);
  });
});
