import type { RemediationProcessing, RemediationRequest } from "@kubernaut/crds";
import { createTestNamespace, type TestNamespace } from "@kubernaut/testing/kube";
import { waitFor } from "@kubernaut/testing/wait";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { formatObjectKey, type Manager, type ObjectKey, setControllerReference } from "../../src/index.js";
import {
  remediationProcessing,
  remediationProcessings,
  remediationRequest,
  remediationRequests,
  testManager,
} from "./helpers.js";

describe("controller events", () => {
  let namespace: TestNamespace;
  let manager: Manager;
  /** Each reconcile: the key, whether the object exists, its phase, and the phase of its `-processing` child. */
  let reconciled: {
    key: string;
    exists: boolean;
    phase: string | undefined;
    child: { phase: string | undefined } | undefined;
  }[];

  beforeEach(async () => {
    namespace = await createTestNamespace({ prefix: "events" });
    manager = testManager(namespace.kubeConfig, namespace.name);
    const requests = manager.client<RemediationRequest>(remediationRequests);
    const processings = manager.client<RemediationProcessing>(remediationProcessings);
    reconciled = [];
    manager.addController({
      name: "events-test",
      for: remediationRequests,
      owns: [remediationProcessings],
      reconciler: {
        async reconcile(key: ObjectKey) {
          const current = await requests.get(key);
          const child = await processings.get({ ...key, name: `${key.name}-processing` });
          reconciled.push({
            key: formatObjectKey(key),
            exists: current !== undefined,
            phase: current?.status?.phase,
            child: child && { phase: child.status?.phase },
          });
          return {};
        },
      },
    });
    await manager.start();
    await manager.whenLeading();
  });

  afterEach(async () => {
    await manager.stop();
    await namespace.delete();
  });

  it("reconciles on create, update and delete", async () => {
    const requests = manager.client<RemediationRequest>(remediationRequests);
    const key = { namespace: namespace.name, name: "rr-lifecycle" };
    await requests.create(remediationRequest(namespace.name, key.name));
    await waitFor("reconcile after create", () => reconciled.some((entry) => entry.exists), 10_000);

    await requests.patchStatus(key, { phase: "processing" });
    await waitFor(
      "reconcile after update",
      () => reconciled.some((entry) => entry.phase === "processing"),
      10_000,
    );

    await requests.delete(key);
    await waitFor("reconcile after delete", () => reconciled.at(-1)?.exists === false, 10_000);
    expect(reconciled.every((entry) => entry.key === formatObjectKey(key))).toBe(true);
  });

  it("reconciles the owner when a child's status changes", async () => {
    const requests = manager.client<RemediationRequest>(remediationRequests);
    const processings = manager.client<RemediationProcessing>(remediationProcessings);
    const parent = await requests.create(remediationRequest(namespace.name, "rr-parent"));
    const child = setControllerReference(
      parent,
      remediationProcessing(namespace.name, "rr-parent-processing", parent),
    );
    await processings.create(child);
    // An unrelated child (no controller owner) must not enqueue anything.
    await processings.create(remediationProcessing(namespace.name, "orphan-processing", parent));
    await waitFor(
      "a reconcile of the parent that sees its child",
      () => reconciled.some((e) => e.child),
      10_000,
    );

    await processings.patchStatus(
      { namespace: namespace.name, name: "rr-parent-processing" },
      { phase: "enriching" },
    );
    // A reconcile of the owner that sees the child's new status: the change enqueued it.
    await waitFor(
      "reconcile of the owner after the child's status change",
      () => reconciled.some((entry) => entry.child?.phase === "enriching"),
      10_000,
    );
    expect(new Set(reconciled.map((entry) => entry.key))).toEqual(new Set([`${namespace.name}/rr-parent`]));
  });
});
