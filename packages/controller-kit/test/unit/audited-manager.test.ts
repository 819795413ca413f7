import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { silentLogger } from "@kubernaut/controller-runtime";
import { type AuditRecordInput, auditMetrics } from "@kubernaut/storage-client";
import { KubeConfig } from "@kubernetes/client-node";
import { afterEach, describe, expect, it, vi } from "vitest";
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

/** A loopback storage service that stores every batch it is sent, as the real one answers it. */
async function recordingStorage() {
  const batches: { records: Record<string, unknown>[] }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      if (req.method === "POST" && req.url === "/api/v1/audit/batch") {
        const batch = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
          records: Record<string, unknown>[];
        };
        batches.push(batch);
        const eventIds = batch.records.map((record) => String(record.event_id));
        res.writeHead(201, { "content-type": "application/json" });
        res.end(JSON.stringify({ inserted: eventIds.length, duplicates: 0, event_ids: eventIds }));
      } else {
        res.writeHead(404, { "content-type": "application/problem+json" });
        res.end(JSON.stringify({ type: "about:blank", title: "Not Found", status: 404 }));
      }
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    batches,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const record: AuditRecordInput = {
  kind: "remediation-orchestration",
  alert_fingerprint: "fp-audited",
  remediation_name: "rr-audited",
  overall_phase: "processing",
  start_time: "2026-11-23T10:00:00Z",
};

describe("audited manager", () => {
  let storage: Awaited<ReturnType<typeof recordingStorage>> | undefined;
  afterEach(async () => {
    await storage?.close();
    storage = undefined;
  });

  it("wires the manager and the publisher from the configuration", () => {
    const wired = audited({ POD_NAME: "pod-1" });
    expect(wired.manager.registry).toBe(wired.registry);
    expect(wired.manager.identity).toBe("pod-1");
    // The app's audit metrics are the ones registered in the manager's registry (served on /metrics).
    const attempts = wired.registry.getSingleMetric("kubernaut_orchestrator_audit_publish_attempts_total");
    expect(attempts).toBe(wired.metrics.audit.attempts);
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

  it("delivers what its reconcilers publish to STORAGE_URL, flushing on stop, and takes no more after", async () => {
    storage = await recordingStorage();
    const wired = audited({ STORAGE_URL: storage.url });
    vi.spyOn(wired.manager, "start").mockResolvedValue();
    vi.spyOn(wired.manager, "stop").mockResolvedValue();
    const running = await wired.start();
    expect(running.publisher).toBe(wired.publisher);
    expect(wired.publisher.publish(record)).toBe(true);
    // The batch interval (1 s) has not passed: the record reaches storage through the flush of stop().
    expect(storage.batches).toEqual([]);
    await running.stop();
    expect(storage.batches.flatMap((batch) => batch.records)).toEqual([
      expect.objectContaining({ ...record, event_id: expect.any(String) }),
    ]);
    const attempts = await wired.metrics.audit.attempts.get();
    expect(attempts.values.find((v) => v.labels.status === "success")?.value).toBe(1);
    expect(wired.publisher.publish({ ...record, remediation_name: "rr-after-stop" })).toBe(false);
  });
});
