import type { AppsV1Api, CoreV1Api } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { gatherContext } from "../../src/enrichment/gather.js";

const signal = {
  fingerprint: "f",
  name: "PodOOMKilled",
  severity: "critical" as const,
  targetResource: { kind: "Pod", name: "api-1", namespace: "payments" },
};

const later = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

/** Stands in for the API: the namespace answers last, the pod read fails, events never answer. */
const apis = {
  core: {
    readNamespace: () => later(30, { metadata: { labels: { environment: "production" } } }),
    readNamespacedPod: () =>
      Promise.reject(Object.assign(new Error("HTTP-Code: 404"), { code: 404, body: "" })),
    listNamespacedEvent: () => new Promise(() => {}),
  } as unknown as CoreV1Api,
  apps: {} as AppsV1Api,
};

describe("gatherContext", () => {
  it("reads every source independently, in the asked order, with failures and timeouts per source", async () => {
    const context = await gatherContext(
      apis,
      signal,
      ["namespace", "workload", "pods", "events", "metrics"],
      100,
    );
    expect(Object.keys(context.outcomes)).toEqual(["namespace", "workload", "pods", "events", "metrics"]);
    expect(context.outcomes).toEqual({
      namespace: { ok: true },
      workload: { ok: false, reason: "not found" },
      pods: { ok: false, reason: "not found" },
      events: { ok: false, reason: "events did not answer within 100 ms" },
      metrics: { ok: false, reason: "no reader for this source" },
    });
    expect(context.namespace?.labels).toEqual({ environment: "production" });
  });

  it("fails every cluster source of a signal without a namespace", async () => {
    const context = await gatherContext(
      apis,
      { ...signal, targetResource: { kind: "Node", name: "n1" } },
      ["namespace"],
      100,
    );
    expect(context.outcomes).toEqual({ namespace: { ok: false, reason: "the signal names no namespace" } });
  });
});
