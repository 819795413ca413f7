import type { RemediationRequest } from "@kubernaut/crds";
import { createTestNamespace, type TestNamespace } from "@kubernaut/testing/kube";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { addFinalizer, hasFinalizer, ResourceClient, removeFinalizer } from "../../src/index.js";
import { remediationRequest, remediationRequests } from "./helpers.js";

const auditFinalizer = "kubernaut.ai/audit";

describe("finalizers", () => {
  let namespace: TestNamespace;
  let requests: ResourceClient<RemediationRequest>;
  const key = () => ({ namespace: namespace.name, name: "rr-final" });

  beforeEach(async () => {
    namespace = await createTestNamespace({ prefix: "finalizer" });
    requests = new ResourceClient<RemediationRequest>(namespace.kubeConfig, remediationRequests);
  });

  afterEach(async () => {
    await namespace.delete();
  });

  it("block deletion until removed", async () => {
    const created = await requests.create(remediationRequest(namespace.name, "rr-final"));
    const guarded = await addFinalizer(requests, created, auditFinalizer);
    expect(guarded?.metadata.finalizers).toEqual([auditFinalizer]);

    expect(await requests.delete(key())).toBe(true);
    const terminating = await requests.get(key());
    expect(terminating?.metadata.deletionTimestamp).toBeTruthy();
    expect(hasFinalizer(terminating!, auditFinalizer)).toBe(true);

    expect(await removeFinalizer(requests, terminating!, auditFinalizer)).toBeDefined();
    expect(await requests.get(key())).toBeUndefined();
  });

  it("are added once, and a concurrent writer's finalizer survives a stale object", async () => {
    const created = await requests.create(remediationRequest(namespace.name, "rr-final"));
    await addFinalizer(requests, created, auditFinalizer);
    // `created` is now stale: the guarded patch fails its resourceVersion test, re-reads and keeps both.
    const both = await addFinalizer(requests, created, "example.com/other");
    expect(both?.metadata.finalizers).toEqual([auditFinalizer, "example.com/other"]);
    const again = await addFinalizer(requests, both!, auditFinalizer);
    expect(again?.metadata.finalizers).toEqual([auditFinalizer, "example.com/other"]);

    // `both` goes stale through an unrelated write; the removal re-reads and still removes only its finalizer.
    await requests.mergePatch(key(), { metadata: { labels: { touched: "yes" } } });
    const removed = await removeFinalizer(requests, both!, "example.com/other");
    expect(removed?.metadata.finalizers).toEqual([auditFinalizer]);
  });
});
