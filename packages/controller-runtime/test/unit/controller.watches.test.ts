import { KubeConfig } from "@kubernetes/client-node";
import { Registry } from "prom-client";
import { afterEach, describe, expect, it } from "vitest";
import type { ListerWatcher } from "../../src/list-watch.js";
import { silentLogger } from "../../src/logger.js";
import { Manager } from "../../src/manager.js";
import type { KubeObject, ObjectKey, ResourceKind } from "../../src/objects.js";

const requestKind: ResourceKind = {
  group: "example.com",
  version: "v1",
  kind: "Request",
  plural: "requests",
};
const workflowKind: ResourceKind = {
  group: "example.com",
  version: "v1",
  kind: "Workflow",
  plural: "workflows",
};

interface Linked extends KubeObject {
  spec?: { request?: string; duplicateOf?: string };
}

/** Lists `items` once, then watches until stopped. */
function listing(items: Linked[]): ListerWatcher<KubeObject> {
  return {
    list: async () => ({ items, resourceVersion: "1" }),
    watch: (_from, _onEvent, signal) =>
      new Promise((resolve) => signal.addEventListener("abort", () => resolve())),
  };
}

function unreachableCluster(): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: "none", server: "https://127.0.0.1:1" }],
    users: [{ name: "none" }],
    contexts: [{ name: "none", cluster: "none", user: "none" }],
    currentContext: "none",
  });
  return kubeConfig;
}

const inNs = (name: string | undefined): ObjectKey[] => (name ? [{ namespace: "ns", name }] : []);

let manager: Manager | undefined;
afterEach(async () => {
  await manager?.stop();
});

describe("Controller watches", () => {
  it("enqueues the primary keys a watched object maps to, besides the primary objects themselves", async () => {
    const sources: Record<string, Linked[]> = {
      requests: [
        { metadata: { namespace: "ns", name: "original" } },
        { metadata: { namespace: "ns", name: "copy" }, spec: { duplicateOf: "original" } },
      ],
      workflows: [
        { metadata: { namespace: "ns", name: "wf-1" }, spec: { request: "from-workflow" } },
        { metadata: { namespace: "ns", name: "wf-2" } },
      ],
    };
    manager = new Manager({
      kubeConfig: unreachableCluster(),
      registry: new Registry(),
      logger: silentLogger,
      listerWatcherFor: (kind) => listing(sources[kind.plural] ?? []),
    });
    const reconciled: string[] = [];
    manager.addController({
      name: "requests",
      for: requestKind,
      watches: [
        { kind: workflowKind, map: (workflow: Linked) => inNs(workflow.spec?.request) },
        { kind: requestKind, map: (request: Linked) => inNs(request.spec?.duplicateOf) },
      ],
      reconciler: {
        reconcile: async (key) => {
          reconciled.push(`${key.namespace}/${key.name}`);
          return {};
        },
      },
    });
    await manager.start();
    await manager.whenLeading();
    for (let i = 0; i < 500 && reconciled.length < 3; i++) await new Promise((r) => setTimeout(r, 2));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(reconciled.sort()).toEqual(["ns/copy", "ns/from-workflow", "ns/original"]);
  });
});
