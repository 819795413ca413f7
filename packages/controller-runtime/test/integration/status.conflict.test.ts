import type { RemediationRequest } from "@kubernaut/crds";
import { createTestNamespace, type TestNamespace } from "@kubernaut/testing/kube";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isConflict, ResourceClient, retryOnConflict, setCondition } from "../../src/index.js";
import { remediationRequest, remediationRequests } from "./helpers.js";

describe("status patches under concurrent writers", () => {
  let namespace: TestNamespace;
  let requests: ResourceClient<RemediationRequest>;
  const key = () => ({ namespace: namespace.name, name: "rr-status" });

  beforeEach(async () => {
    namespace = await createTestNamespace({ prefix: "status" });
    requests = new ResourceClient<RemediationRequest>(namespace.kubeConfig, remediationRequests);
    await requests.create(remediationRequest(namespace.name, "rr-status"));
  });

  afterEach(async () => {
    await namespace.delete();
  });

  it("merge patches of /status succeed while other writers change the object, and keep each other's fields", async () => {
    const rounds = 15;
    const writers = [
      async () => {
        for (let i = 1; i <= rounds; i++) await requests.patchStatus(key(), { duplicateCount: i });
      },
      async () => {
        for (let i = 1; i <= rounds; i++) await requests.patchStatus(key(), { errorMessage: `attempt ${i}` });
      },
      async () => {
        for (let i = 1; i <= rounds; i++) {
          await requests.mergePatch(key(), { metadata: { labels: { round: String(i) } } });
        }
      },
    ];
    await Promise.all(writers.map((write) => write()));
    const final = await requests.get(key());
    expect(final?.status).toMatchObject({ duplicateCount: rounds, errorMessage: `attempt ${rounds}` });
    expect(final?.metadata.labels).toEqual({ round: String(rounds) });
  });

  it("a status patch does not touch the spec, and null removes a field", async () => {
    await requests.patchStatus(key(), { phase: "failed", errorMessage: "boom" });
    const patched = await requests.patchStatus(key(), { errorMessage: null });
    expect(patched.status).toEqual({ phase: "failed" });
    expect(patched.spec.signalName).toBe("HighMemoryUsage");
  });

  it("a read-modify-write with a stale resourceVersion conflicts, and retryOnConflict re-reads until it wins", async () => {
    const stale = await requests.get(key());
    await requests.patchStatus(key(), { phase: "processing" });
    const conflict = await requests
      .replace({ ...stale!, spec: { ...stale!.spec, signalName: "Stale" } })
      .catch((error) => error);
    expect(isConflict(conflict)).toBe(true);
    expect(String(conflict.message)).toMatch(/replace RemediationRequest .*\/rr-status failed \(409/);

    let attempts = 0;
    const updated = await retryOnConflict(async () => {
      attempts++;
      const current = (attempts === 1 ? stale : await requests.get(key()))!;
      return requests.replace({ ...current, spec: { ...current.spec, signalName: "Fresh" } });
    });
    expect(attempts).toBe(2);
    expect(updated.spec.signalName).toBe("Fresh");
    expect(updated.status?.phase).toBe("processing");
  });

  it("conditions keep their lastTransitionTime until their status changes", async () => {
    const first = setCondition(
      undefined,
      { type: "Ready", status: "False", reason: "Pending", message: "" },
      new Date("2025-01-01T00:00:00Z"),
    );
    await requests.patchStatus(key(), { conditions: first });
    const current = await requests.get(key());
    const same = setCondition(current?.status?.conditions, {
      type: "Ready",
      status: "False",
      reason: "StillPending",
      message: "x",
    });
    const saved = await requests.patchStatus(key(), { conditions: same });
    expect(saved.status?.conditions?.[0]).toMatchObject({
      reason: "StillPending",
      lastTransitionTime: "2025-01-01T00:00:00.000Z",
    });
    const flipped = setCondition(saved.status?.conditions, {
      type: "Ready",
      status: "True",
      reason: "Done",
      message: "",
    });
    expect(flipped[0]?.lastTransitionTime).not.toBe("2025-01-01T00:00:00.000Z");
  });
});
