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

  it("fails every cluster source of a namespaced target without a namespace", async () => {
    const context = await gatherContext(
      apis,
      { ...signal, targetResource: { kind: "Pod", name: "api-1" } },
      ["namespace", "workload"],
      100,
    );
    expect(context.outcomes).toEqual({
      namespace: { ok: false, reason: "the signal names no namespace" },
      workload: { ok: false, reason: "the signal names no namespace" },
    });
  });

  it("reads a Node target without a namespace: the node, the pods on it across namespaces, its events", async () => {
    const asked: string[] = [];
    const nodeApis = {
      core: {
        readNode: ({ name }: { name: string }) => {
          asked.push(`readNode ${name}`);
          return Promise.resolve({
            metadata: { labels: { "kubernetes.io/hostname": name } },
            spec: { taints: [{ key: "node.kubernetes.io/disk-pressure", effect: "NoSchedule" }] },
            status: {
              conditions: [{ type: "DiskPressure", status: "True", reason: "KubeletHasDiskPressure" }],
              capacity: { "ephemeral-storage": "100Gi" },
            },
          });
        },
        listPodForAllNamespaces: ({ fieldSelector }: { fieldSelector: string }) => {
          asked.push(`listPodForAllNamespaces ${fieldSelector}`);
          return Promise.resolve({ items: [{ metadata: { name: "web-1", namespace: "shop" }, status: {} }] });
        },
        listEventForAllNamespaces: ({ fieldSelector }: { fieldSelector: string }) => {
          asked.push(`listEventForAllNamespaces ${fieldSelector}`);
          return Promise.resolve({
            items: [
              {
                type: "Warning",
                reason: "EvictionThresholdMet",
                involvedObject: { kind: "Node", name: "n1" },
              },
            ],
          });
        },
        listNamespacedEvent: ({ namespace, fieldSelector }: { namespace: string; fieldSelector: string }) => {
          asked.push(`listNamespacedEvent ${namespace} ${fieldSelector}`);
          return Promise.resolve({ items: [] });
        },
      } as unknown as CoreV1Api,
      apps: {} as AppsV1Api,
    };
    const context = await gatherContext(
      nodeApis,
      { ...signal, name: "NodeDiskPressure", targetResource: { kind: "Node", name: "n1" } },
      ["workload", "pods", "events"],
      1000,
    );
    expect(context.outcomes).toEqual({ workload: { ok: true }, pods: { ok: true }, events: { ok: true } });
    expect(context.workload?.facts).toEqual([
      "condition DiskPressure=True (KubeletHasDiskPressure)",
      "capacity ephemeral-storage=100Gi",
      "taint node.kubernetes.io/disk-pressure:NoSchedule",
    ]);
    expect(context.pods?.map((p) => p.name)).toEqual(["web-1"]);
    expect(context.events?.map((e) => e.reason)).toEqual(["EvictionThresholdMet"]);
    expect(asked).toEqual([
      "readNode n1",
      "listPodForAllNamespaces spec.nodeName=n1",
      "listEventForAllNamespaces involvedObject.kind=Node,involvedObject.name=n1",
      "listNamespacedEvent shop involvedObject.name=web-1",
    ]);
  });

  it("names a cluster-scoped kind it does not enrich and still reads the other sources", async () => {
    const context = await gatherContext(
      apis,
      { ...signal, namespace: "payments", targetResource: { kind: "StorageClass", name: "fast" } },
      ["namespace", "workload"],
      1000,
    );
    expect(context.outcomes).toEqual({
      namespace: { ok: true },
      workload: {
        ok: false,
        reason: "cluster-scoped kind StorageClass is not enriched (Node, PersistentVolume and Namespace are)",
      },
    });
  });
});
