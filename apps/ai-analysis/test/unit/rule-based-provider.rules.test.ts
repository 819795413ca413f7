import { describe, expect, it } from "vitest";
import { InvestigationFindings } from "../../src/investigation/findings.js";
import { RuleBasedInvestigationProvider } from "../../src/investigation/rules/rule-based-provider.js";
import { alertContext, container, observations, request } from "./builders.js";

const provider = new RuleBasedInvestigationProvider();
const investigate = async (r: Parameters<typeof provider.investigate>[0]) =>
  InvestigationFindings.parse(await provider.investigate(r));
const actions = (f: InvestigationFindings) => f.recommendations.map((r) => r.action);

describe("rule-based investigation", () => {
  it("traces an OOMKilled container to a memory limit too low and raises the owning Deployment's limit", async () => {
    const findings = await investigate(request());
    expect(findings.rootCauseHypotheses[0]).toMatchObject({
      hypothesis: "memory limit too low",
      confidence: 0.9,
    });
    expect(findings.rootCauseHypotheses[0]?.evidence[0]).toContain("container api was OOMKilled");
    expect(actions(findings)).toEqual(["increase-memory-limit", "restart-pod"]);
    expect(findings.recommendations[0]).toMatchObject({
      targetResource: { kind: "Deployment", name: "api", namespace: "payments" },
      effectivenessEstimate: 0.85,
      parameters: { container: "api", currentLimit: "256Mi", increasePercent: "50" },
    });
    expect(findings.recommendations[1]?.targetResource).toEqual({
      kind: "Pod",
      name: "api-7d9f-abcde",
      namespace: "payments",
    });
    expect(findings.investigationReport).toContain("memory limit too low (confidence 0.90)");
  });

  it("diagnoses OOM from the signal name alone with less confidence, targeting the pod without an owner", async () => {
    const findings = await investigate(
      request({ cluster: { events: [] }, alert: alertContext({ signalName: "ContainerOOMKilled" }) }),
    );
    expect(findings.rootCauseHypotheses[0]).toMatchObject({
      hypothesis: "memory limit too low",
      confidence: 0.7,
    });
    expect(findings.recommendations[0]?.targetResource).toMatchObject({
      kind: "Pod",
      name: "api-7d9f-abcde",
    });
  });

  it("treats a crash loop whose last exit was not an OOM kill as a bad release: roll back first", async () => {
    const findings = await investigate(
      request({
        alert: alertContext({ signalName: "KubePodCrashLooping" }),
        cluster: observations({
          pod: {
            name: "api-7d9f-abcde",
            namespace: "payments",
            containers: [container({ waitingReason: "CrashLoopBackOff", lastExitCode: 1 })],
          },
        }),
      }),
    );
    expect(findings.rootCauseHypotheses[0]?.hypothesis).toMatch(/exits on start-up/);
    expect(findings.rootCauseHypotheses[0]?.confidence).toBe(0.75);
    expect(actions(findings)).toEqual(["rollback-deployment", "restart-pod"]);
  });

  it("leaves a crash loop caused by OOM kills to the OOM rule", async () => {
    const findings = await investigate(
      request({
        alert: alertContext({ signalName: "KubePodCrashLooping" }),
        cluster: observations({
          pod: {
            name: "p",
            namespace: "payments",
            containers: [container({ waitingReason: "CrashLoopBackOff", lastTerminatedReason: "OOMKilled" })],
          },
        }),
      }),
    );
    expect(findings.rootCauseHypotheses.map((h) => h.hypothesis)).toEqual(["memory limit too low"]);
  });

  it("answers high CPU with a higher CPU limit and more replicas", async () => {
    const findings = await investigate(
      request({
        alert: alertContext({ signalName: "CPUThrottlingHigh" }),
        cluster: observations({
          pod: { name: "p", namespace: "payments", containers: [container({ cpuLimit: "500m" })] },
        }),
      }),
    );
    expect(findings.rootCauseHypotheses[0]?.hypothesis).toBe("CPU limit too low for the current load");
    expect(findings.rootCauseHypotheses[0]?.evidence).toContain("container api CPU limit 500m");
    expect(actions(findings)).toEqual(["increase-cpu-limit", "scale-deployment"]);
  });

  it("answers high memory without an OOM kill with more memory, then a restart", async () => {
    const findings = await investigate(
      request({
        alert: alertContext({ signalName: "HighMemoryUsage" }),
        cluster: observations({ pod: { name: "p", namespace: "payments", containers: [container()] } }),
      }),
    );
    expect(findings.rootCauseHypotheses[0]?.hypothesis).toMatch(/memory usage near the limit/);
    expect(actions(findings)).toEqual(["increase-memory-limit", "restart-pod", "scale-deployment"]);
  });

  it("cleans the disk of a node under DiskPressure", async () => {
    const findings = await investigate(
      request({
        alert: alertContext({
          signalName: "KubeletEvictionWarning",
          targetResource: { kind: "Node", name: "node-1" },
        }),
        cluster: { node: { name: "node-1", unschedulable: false, problems: ["DiskPressure"] }, events: [] },
      }),
    );
    expect(findings.rootCauseHypotheses[0]).toMatchObject({
      hypothesis: "node disk nearly full (images, logs or ephemeral storage)",
      confidence: 0.85,
    });
    expect(findings.recommendations[0]).toMatchObject({
      action: "clean-disk",
      targetResource: { kind: "Node", name: "node-1", namespace: null },
    });
  });

  it("fixes the image reference of a workload that cannot pull its image", async () => {
    const findings = await investigate(
      request({
        alert: alertContext({ signalName: "KubePodNotReady" }),
        cluster: observations({
          pod: {
            name: "p",
            namespace: "payments",
            containers: [container({ waitingReason: "ImagePullBackOff", image: "registry/api:v9.9.9" })],
          },
        }),
      }),
    );
    expect(findings.rootCauseHypotheses[0]?.hypothesis).toMatch(/image cannot be pulled/);
    expect(findings.recommendations[0]).toMatchObject({
      action: "fix-image-reference",
      targetResource: { kind: "Deployment", name: "api" },
      parameters: { container: "api", image: "registry/api:v9.9.9" },
    });
    expect(actions(findings)).toContain("rollback-deployment");
  });

  it("cordons, then drains, a node that is not ready", async () => {
    const findings = await investigate(
      request({
        alert: alertContext({
          signalName: "KubeNodeNotReady",
          targetResource: { kind: "Node", name: "node-2" },
        }),
        cluster: { node: { name: "node-2", unschedulable: false, problems: ["NotReady"] }, events: [] },
      }),
    );
    expect(findings.rootCauseHypotheses[0]?.hypothesis).toMatch(/^node not ready/);
    expect(actions(findings)).toEqual(["cordon-node", "drain-node"]);
    expect(findings.recommendations.every((r) => r.targetResource.name === "node-2")).toBe(true);
  });

  it("matches on labels and annotations as well as on the signal name", async () => {
    const findings = await investigate(
      request({
        alert: alertContext({
          signalName: "PagerAlert",
          annotations: { summary: "Node node-3 is NotReady" },
        }),
        cluster: { node: { name: "node-3", unschedulable: false, problems: [] }, events: [] },
      }),
    );
    expect(findings.rootCauseHypotheses[0]).toMatchObject({ confidence: 0.65 });
    expect(actions(findings)[0]).toBe("cordon-node");
  });

  it("admits an unrecognised signal with low confidence and only a pod restart", async () => {
    const findings = await investigate(
      request({
        alert: alertContext({ signalName: "SomethingOdd" }),
        cluster: observations({ pod: { name: "p", namespace: "payments", containers: [container()] } }),
      }),
    );
    expect(findings.rootCauseHypotheses[0]?.confidence).toBe(0.2);
    expect(actions(findings)).toEqual(["restart-pod"]);
  });
});
