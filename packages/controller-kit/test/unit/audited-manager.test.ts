import { silentLogger } from "@kubernaut/controller-runtime";
import { auditMetrics } from "@kubernaut/storage-client";
import { KubeConfig } from "@kubernetes/client-node";
import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { AuditedManager, controllerEnv, loadControllerConfig } from "../../src/index.js";

const schema = z.object(controllerEnv({ leaderElectionId: "example-controller", probePort: 0 }));

function audited(env: NodeJS.ProcessEnv = {}) {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: "none", server: "https://127.0.0.1:1" }],
    users: [{ name: "none" }],
    contexts: [{ name: "none", cluster: "none", user: "none" }],
    currentContext: "none",
  });
  return new AuditedManager({
    config: loadControllerConfig(schema, { SHUTDOWN_TIMEOUT: "3s", ...env }),
    kubeConfig,
    logger: silentLogger,
    metrics: (registry) => ({ audit: auditMetrics(registry, "orchestrator") }),
  });
}

describe("audited manager", () => {
  it("wires the manager and the publisher from the configuration", () => {
    const wired = audited({ POD_NAME: "pod-1" });
    expect(wired.manager.registry).toBe(wired.registry);
    expect(wired.manager.identity).toBe("pod-1");
    expect(wired.metrics.audit).toBeDefined();
    expect(audited({ LEADER_ELECTION: "false" }).manager.identity).toBeUndefined();
  });

  it("closes the publisher without waiting when start-up fails, and throws on", async () => {
    const wired = audited();
    vi.spyOn(wired.manager, "start").mockRejectedValue(new Error("no API server"));
    const close = vi.spyOn(wired.publisher, "close");
    await expect(wired.start()).rejects.toThrow("no API server");
    expect(close).toHaveBeenCalledWith(0);
  });

  it("stops in order: interrupt, reconciling, settle, then the audit flush within SHUTDOWN_TIMEOUT", async () => {
    const wired = audited();
    const steps: string[] = [];
    vi.spyOn(wired.manager, "start").mockResolvedValue();
    vi.spyOn(wired.manager, "stop").mockImplementation(async () => {
      steps.push("manager.stop");
    });
    const close = vi.spyOn(wired.publisher, "close");
    const running = await wired.start({
      interrupt: () => steps.push("interrupt"),
      settle: async () => {
        steps.push("settle");
      },
    });
    expect(running.registry).toBe(wired.registry);
    await running.stop();
    expect(steps).toEqual(["interrupt", "manager.stop", "settle"]);
    expect(close).toHaveBeenCalledWith(3_000);
  });
});
