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
    replicas = await startControllerReplicas(cluster.kubeConfig, {
      app: "ai-analysis",
      lease: "ai-analysis",
      namespace,
      kubeconfig: process.env.KUBECONFIG ?? "",
      // Nothing listens here: the replicas must analyse without the storage service.
      env: { STORAGE_URL: "http://127.0.0.1:9", LOG_LEVEL: "warn" },
    });
  });

  afterAll(async () => {
    await replicas?.stop();
    await cluster.deleteNamespace(namespace);
  });

  it("analyses on the leader only, and fails over when the leader is killed", async () => {
    const { leader, standbys } = await replicas.elected();
    const [standby] = standbys;
    if (!standby) throw new Error("no standby replica");

    await cluster.createAnalysis(namespace, "before", `before-${suffix()}`, pod);
    expect((await cluster.finished(namespace, "before")).status?.phase).toBe("completed");
    expect(await leader.metric("kubernaut_aianalysis_analyses_finished_total")).toBe(1);
    expect(await standby.metric("controller_runtime_reconcile_total")).toBe(0);
    expect(await standby.metric("kubernaut_aianalysis_investigations_total")).toBe(0);
    expect(await standby.metric("leader_election_master_status")).toBe(0);

    await leader.kill("SIGKILL");
    const next = await replicas.elected(leader.identity);
    expect(next.leader.identity).toBe(standby.identity);
    await cluster.createAnalysis(namespace, "after", `after-${suffix()}`, pod);
    const after = await cluster.finished(namespace, "after");
    expect(after.status?.workflowExecutionRef).toEqual({ name: "after-workflow", namespace });
    expect(await standby.metric("kubernaut_aianalysis_analyses_finished_total")).toBe(1);
  });
});
