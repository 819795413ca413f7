import type { RemediationRequest } from "@kubernaut/crds";
import { createTestNamespace, type TestNamespace } from "@kubernaut/testing/kube";
import { waitFor } from "@kubernaut/testing/wait";
import { CoordinationV1Api } from "@kubernetes/client-node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { formatObjectKey, LeaderElector, type Manager, type ObjectKey } from "../../src/index.js";
import { remediationRequest, remediationRequests, testManager } from "./helpers.js";

const timing = { leaseDurationMs: 4_000, renewDeadlineMs: 3_000, retryPeriodMs: 500 };

describe("leader election", () => {
  let namespace: TestNamespace;
  const electors: LeaderElector[] = [];
  const managers: Manager[] = [];

  beforeEach(async () => {
    namespace = await createTestNamespace({ prefix: "leader" });
  });

  afterEach(async () => {
    await Promise.all(electors.splice(0).map((elector) => elector.stop()));
    await Promise.all(managers.splice(0).map((manager) => manager.stop()));
    await namespace.delete();
  });

  function elector(identity: string, events: string[]): LeaderElector {
    const candidate = new LeaderElector(
      namespace.kubeConfig,
      { name: "lock", namespace: namespace.name, identity, ...timing },
      {
        onStartedLeading: () => events.push(`${identity} started`),
        onStoppedLeading: () => events.push(`${identity} lost`),
      },
    );
    electors.push(candidate);
    return candidate;
  }

  async function exactlyOneLeads(candidates: LeaderElector[], forMs: number): Promise<LeaderElector> {
    await waitFor("a leader", () => candidates.some((candidate) => candidate.isLeader), 15_000);
    // A window in which a second leader must never appear, checked every 50 ms.
    const end = Date.now() + forMs;
    while (Date.now() < end) {
      expect(candidates.filter((candidate) => candidate.isLeader)).toHaveLength(1);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return candidates.find((candidate) => candidate.isLeader)!;
  }

  it("elects exactly one of two candidates; the other takes over at once when the leader hands the lease back", async () => {
    const events: string[] = [];
    const candidates = [elector("a", events), elector("b", events)];
    for (const candidate of candidates) candidate.run();
    const leader = await exactlyOneLeads(candidates, 2 * timing.leaseDurationMs);
    const follower = candidates.find((candidate) => candidate !== leader)!;

    const stoppedAt = Date.now();
    await leader.stop({ release: true });
    await waitFor("the follower to take over", () => follower.isLeader, {
      timeoutMs: timing.leaseDurationMs,
      intervalMs: 25,
    });
    console.log(`takeover after a released lease: ${Date.now() - stoppedAt} ms`);
    expect(events).toEqual([`${leader.identity} started`, `${follower.identity} started`]);

    const lease = await namespace.kubeConfig
      .makeApiClient(CoordinationV1Api)
      .readNamespacedLease({ name: "lock", namespace: namespace.name });
    expect(lease.spec?.holderIdentity).toBe(follower.identity);
    expect(lease.spec?.leaseTransitions).toBe(1);
  });

  it("the other takes over within the lease duration when the leader stops renewing", async () => {
    const events: string[] = [];
    const candidates = [elector("a", events), elector("b", events)];
    for (const candidate of candidates) candidate.run();
    const leader = await exactlyOneLeads(candidates, timing.retryPeriodMs * 3);
    const follower = candidates.find((candidate) => candidate !== leader)!;

    const stoppedAt = Date.now();
    await leader.stop({ release: false }); // as if the process died
    // The follower may act only once the lease has gone unrenewed for a lease duration (+ one retry period).
    await waitFor("the follower to take over", () => follower.isLeader, {
      timeoutMs: timing.leaseDurationMs + 3 * timing.retryPeriodMs,
      intervalMs: 25,
    });
    const takeoverMs = Date.now() - stoppedAt;
    console.log(`takeover after the leader stopped renewing: ${takeoverMs} ms`);
    expect(takeoverMs).toBeGreaterThanOrEqual(timing.leaseDurationMs - 2 * timing.retryPeriodMs);
  });

  it("only the leading manager reconciles; losing the lease stops reconciling and calls onStoppedLeading", async () => {
    const reconciledBy: Record<string, string[]> = { one: [], two: [] };
    const lost: string[] = [];
    for (const name of ["one", "two"] as const) {
      const manager = testManager(namespace.kubeConfig, namespace.name, {
        leaderElection: { name: "manager-lock", namespace: namespace.name, identity: name, ...timing },
        onStoppedLeading: () => lost.push(name),
      });
      manager.addController({
        name: `controller-${name}`,
        for: remediationRequests,
        reconciler: {
          async reconcile(key: ObjectKey) {
            reconciledBy[name]?.push(formatObjectKey(key));
            return {};
          },
        },
      });
      managers.push(manager);
      await manager.start();
    }
    await waitFor("a leading manager", () => managers.some((manager) => manager.isLeader), 15_000);
    const leader = managers.find((manager) => manager.isLeader)!;
    const follower = managers.find((manager) => manager !== leader)!;
    const leaderName = leader.identity!;
    const followerName = follower.identity!;

    const requests = leader.client<RemediationRequest>(remediationRequests);
    await requests.create(remediationRequest(namespace.name, "first"));
    await waitFor("the leader to reconcile", () => (reconciledBy[leaderName]?.length ?? 0) > 0, 10_000);
    expect(reconciledBy[followerName]).toEqual([]);

    // Another holder takes the lease by force: the leader cannot renew, gives up, and stops reconciling.
    const leases = namespace.kubeConfig.makeApiClient(CoordinationV1Api);
    const lease = await leases.readNamespacedLease({ name: "manager-lock", namespace: namespace.name });
    lease.spec = { ...lease.spec, holderIdentity: "intruder", leaseDurationSeconds: 3600 };
    await leases.replaceNamespacedLease({ name: "manager-lock", namespace: namespace.name, body: lease });
    await waitFor("the leader to give up", () => lost.includes(leaderName), {
      timeoutMs: timing.renewDeadlineMs + 3 * timing.retryPeriodMs,
      intervalMs: 25,
    });
    expect(leader.isLeader).toBe(false);
    expect(follower.isLeader).toBe(false);

    const before = reconciledBy[leaderName]?.length ?? 0;
    await requests.create(remediationRequest(namespace.name, "second"));
    // A window in which nobody may reconcile: neither manager holds the lease.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(reconciledBy[leaderName]).toHaveLength(before);
    expect(reconciledBy[followerName]).toEqual([]);

    // The intruder hands the lease back: the follower takes over and reconciles what it has seen meanwhile.
    const taken = await leases.readNamespacedLease({ name: "manager-lock", namespace: namespace.name });
    taken.spec = { ...taken.spec, holderIdentity: undefined };
    await leases.replaceNamespacedLease({ name: "manager-lock", namespace: namespace.name, body: taken });
    await waitFor(
      "the follower to lead and reconcile",
      () => reconciledBy[followerName]?.includes(`${namespace.name}/second`) ?? false,
      15_000,
    );
    expect(follower.isLeader).toBe(true);
  });
});
