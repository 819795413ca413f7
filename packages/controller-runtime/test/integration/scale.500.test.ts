import type { RemediationRequest } from "@kubernaut/crds";
import { createTestNamespace, type TestNamespace } from "@kubernaut/testing/kube";
import { waitFor } from "@kubernaut/testing/wait";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatObjectKey, type Manager, type ObjectKey } from "../../src/index.js";
import { remediationRequest, remediationRequests, testManager } from "./helpers.js";

const count = 500;

describe(`${count} objects created at once`, () => {
  let namespace: TestNamespace;
  let manager: Manager;
  const done = new Set<string>();

  beforeAll(async () => {
    namespace = await createTestNamespace({ prefix: "scale" });
    manager = testManager(namespace.kubeConfig, namespace.name);
    const requests = manager.client<RemediationRequest>(remediationRequests);
    const cache = manager.informer<RemediationRequest>(remediationRequests);
    manager.addController({
      name: "scale",
      for: remediationRequests,
      concurrency: 8,
      reconciler: {
        async reconcile(key: ObjectKey) {
          const current = cache.get(key.namespace, key.name);
          if (!current) return {};
          if (!current.status?.phase) {
            await requests.patchStatus(key, { phase: "pending", startTime: new Date().toISOString() });
          }
          done.add(formatObjectKey(key));
          return {};
        },
      },
    });
    await manager.start();
    await manager.whenLeading();
  });

  afterAll(async () => {
    await manager.stop();
    await namespace.delete();
  });

  it("all reconcile", { timeout: 240_000 }, async () => {
    const requests = manager.client<RemediationRequest>(remediationRequests);
    const names = Array.from({ length: count }, (_, i) => `rr-${String(i).padStart(3, "0")}`);
    const started = Date.now();
    const pending = [...names];
    await Promise.all(
      Array.from({ length: 25 }, async () => {
        for (let name = pending.shift(); name; name = pending.shift()) {
          await requests.create(remediationRequest(namespace.name, name));
        }
      }),
    );
    const created = Date.now();
    await waitFor(`${count} reconciles`, () => done.size === count, 200_000);
    const reconciled = Date.now();
    console.log(
      `${count} RemediationRequests: created in ${created - started} ms, all reconciled ${reconciled - started} ms after the first create`,
    );
    const { items } = await requests.list({ namespace: namespace.name });
    expect(items).toHaveLength(count);
    expect(items.filter((item) => item.status?.phase === "pending")).toHaveLength(count);
  });
});
