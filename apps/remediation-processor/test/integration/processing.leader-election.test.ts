import { type ControllerReplicas, startControllerReplicas } from "@kubernaut/testing/controller";
import { waitFor } from "@kubernaut/testing/wait";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Cluster, suffix } from "./support.js";

describe("two remediation processor replicas", () => {
  const cluster = new Cluster();
  const namespace = `leader-prod-${suffix()}`;
  let replicas: ControllerReplicas;

  const completed = (name: string) =>
    waitFor(`${name} to complete`, async () => {
      const rp = await cluster.processing(namespace, name);
      return rp?.status?.phase === "completed" ? rp : undefined;
    });

  beforeAll(async () => {
    await cluster.namespace(namespace, { "kubernaut.ai/environment": "production" });
    await cluster.oomKilledDeployment(namespace, "api");
    // Nothing listens here: the replicas must reconcile without the storage service.
    const env = { STORAGE_URL: "http://127.0.0.1:9", LOG_LEVEL: "warn" };
    replicas = await startControllerReplicas(cluster.kubeConfig, {
      app: "remediation-processor",
      namespace,
      env,
    });
  });

  afterAll(async () => {
    await replicas?.stop();
    await cluster.deleteNamespace(namespace);
  });

  it("processes on the leader only, and fails over when the leader is killed", async () => {
    const { leader, standbys } = await replicas.elected();

    const target = { kind: "Deployment", name: "api" };
    await cluster.createProcessing(namespace, "before", `before-${suffix()}`, target);
    await completed("before");
    expect(await leader.metricReaching("kubernaut_alertprocessor_processings_total", 1)).toBe(1);
    expect(await standbys[0]?.metric("controller_runtime_reconcile_total")).toBe(0);
    expect(await standbys[0]?.metric("kubernaut_alertprocessor_processings_total")).toBe(0);
    expect(await standbys[0]?.metric("leader_election_master_status")).toBe(0);

    const standby = await replicas.failover();
    expect(standby).toBe(standbys[0]);
    await cluster.createProcessing(namespace, "after", `after-${suffix()}`, target);
    const after = await completed("after");
    expect(after.status?.environmentClassification?.environment).toBe("production");
    expect(await standby.metricReaching("kubernaut_alertprocessor_processings_total", 1)).toBe(1);
  });
});
