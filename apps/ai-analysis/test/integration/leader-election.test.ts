import { type ControllerReplicas, startControllerReplicas } from "@kubernaut/testing/controller";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Cluster, suffix } from "./support.js";

describe("two AI analysis replicas", () => {
  const cluster = new Cluster();
  const namespace = `leader-prod-${suffix()}`;
  let replicas: ControllerReplicas;
  let pod: string;

  beforeAll(async () => {
    await cluster.namespace(namespace, { environment: "production" });
    pod = await cluster.oomKilledPod(namespace, "checkout");
    // Nothing listens here: the replicas must analyse without the storage service.
    const env = { STORAGE_URL: "http://127.0.0.1:9", LOG_LEVEL: "warn" };
    replicas = await startControllerReplicas(cluster.kubeConfig, { app: "ai-analysis", namespace, env });
  });

  afterAll(async () => {
    await replicas?.stop();
    await cluster.deleteNamespace(namespace);
  });

  it("analyses on the leader only, and fails over when the leader is killed", async () => {
    const { leader, standbys } = await replicas.elected();

    await cluster.createAnalysis(namespace, "before", `before-${suffix()}`, pod);
    expect((await cluster.finished(namespace, "before")).status?.phase).toBe("completed");
    expect(await leader.metricReaching("kubernaut_aianalysis_analyses_finished_total", 1)).toBe(1);
    expect(await standbys[0]?.metric("controller_runtime_reconcile_total")).toBe(0);
    expect(await standbys[0]?.metric("kubernaut_aianalysis_investigations_total")).toBe(0);
    expect(await standbys[0]?.metric("leader_election_master_status")).toBe(0);

    const standby = await replicas.failover();
    expect(standby).toBe(standbys[0]);
    await cluster.createAnalysis(namespace, "after", `after-${suffix()}`, pod);
    const after = await cluster.finished(namespace, "after");
    expect(after.status?.workflowExecutionRef).toEqual({ name: "after-workflow", namespace });
    expect(await standby.metricReaching("kubernaut_aianalysis_analyses_finished_total", 1)).toBe(1);
  });
});
