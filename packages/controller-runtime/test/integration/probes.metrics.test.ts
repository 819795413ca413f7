import type { RemediationRequest } from "@kubernaut/crds";
import { createTestNamespace, type TestNamespace } from "@kubernaut/testing/kube";
import { waitFor } from "@kubernaut/testing/wait";
import { CoreV1Api } from "@kubernetes/client-node";
import { register as globalRegistry } from "prom-client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Manager, ObjectKey } from "../../src/index.js";
import { remediationRequest, remediationRequests, testManager } from "./helpers.js";

describe("probe and metrics server", () => {
  let namespace: TestNamespace;
  let manager: Manager;
  let storageAnswered: boolean;
  let failNext: boolean;

  beforeEach(async () => {
    namespace = await createTestNamespace({ prefix: "probes" });
    storageAnswered = true;
    failNext = true;
    manager = testManager(namespace.kubeConfig, namespace.name, {
      probes: { port: 0, host: "127.0.0.1" },
      readinessChecks: [{ name: "audit-storage", check: () => storageAnswered }],
    });
    manager.addController({
      name: "probe-test",
      for: remediationRequests,
      backoff: { baseMs: 10, capMs: 10 },
      reconciler: {
        async reconcile(_key: ObjectKey) {
          if (failNext) {
            failNext = false;
            throw new Error("first attempt fails");
          }
          return {};
        },
      },
    });
    await manager.start();
  });

  afterEach(async () => {
    await manager.stop();
    await namespace.delete();
  });

  const get = async (path: string) => {
    const response = await fetch(`http://127.0.0.1:${manager.probePort}${path}`);
    return { status: response.status, body: await response.text() };
  };

  it("answers /healthz, and /readyz from the informers and the pluggable checks", async () => {
    expect(await get("/healthz")).toEqual({ status: 200, body: "ok" });
    await manager.whenLeading();
    expect(await get("/readyz")).toEqual({ status: 200, body: "ok" });
    expect((await get("/readyz?verbose")).body).toBe("[+]informers-synced ok\n[+]audit-storage ok\nok");

    storageAnswered = false;
    const notReady = await get("/readyz");
    expect(notReady.status).toBe(503);
    expect(notReady.body).toContain("[-]audit-storage failed");
    expect((await get("/nowhere")).status).toBe(404);
  });

  it("exposes the reconcile and work queue metrics of its own registry on /metrics", async () => {
    await manager.whenLeading();
    await manager
      .client<RemediationRequest>(remediationRequests)
      .create(remediationRequest(namespace.name, "measured"));
    await waitFor(
      "a successful reconcile in /metrics",
      async () =>
        (await get("/metrics")).body.includes(
          'controller_runtime_reconcile_total{controller="probe-test",result="success"} 1',
        ),
      10_000,
    );
    const { body } = await get("/metrics");
    expect(body).toContain('controller_runtime_reconcile_total{controller="probe-test",result="error"} 1');
    expect(body).toContain('controller_runtime_reconcile_errors_total{controller="probe-test"} 1');
    expect(body).toContain('controller_runtime_reconcile_time_seconds_count{controller="probe-test"} 2');
    expect(body).toContain('workqueue_depth{name="probe-test"} 0');
    expect(
      await globalRegistry.getSingleMetricAsString("controller_runtime_reconcile_total").catch(() => ""),
    ).toBe("");
  });

  it("records Kubernetes Events, counting repeats on one Event", async () => {
    const created = await manager
      .client<RemediationRequest>(remediationRequests)
      .create(remediationRequest(namespace.name, "noted"));
    const recorder = manager.eventRecorder("probe-test");
    await recorder.event(created, "Warning", "AuditStorageUnavailable", "audit record buffered");
    await recorder.event(created, "Warning", "AuditStorageUnavailable", "audit record buffered");
    await recorder.event(created, "Normal", "PhaseChanged", "pending -> processing");

    const { items } = await namespace.kubeConfig
      .makeApiClient(CoreV1Api)
      .listNamespacedEvent({ namespace: namespace.name });
    const summary = items
      .map((event) => ({
        reason: event.reason,
        type: event.type,
        count: event.count,
        involved: `${event.involvedObject.kind}/${event.involvedObject.name}`,
        uid: event.involvedObject.uid,
        source: event.source?.component,
      }))
      .sort((a, b) => String(a.reason).localeCompare(String(b.reason)));
    const involved = {
      involved: "RemediationRequest/noted",
      uid: created.metadata.uid,
      source: "probe-test",
    };
    expect(summary).toEqual([
      { reason: "AuditStorageUnavailable", type: "Warning", count: 2, ...involved },
      { reason: "PhaseChanged", type: "Normal", count: 1, ...involved },
    ]);
  });
});
