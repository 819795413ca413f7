import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { CoordinationV1Api } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Cluster, suffix, waitFor } from "./support.js";

const MAIN = fileURLToPath(new URL("../../src/main.ts", import.meta.url));
const LEASE = "remediation-orchestrator";

interface Replica {
  identity: string;
  probePort: number;
  process: ChildProcess;
  output: string[];
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

/** One orchestrator process (`src/main.ts`), as a Deployment replica would run it. */
async function startReplica(identity: string, namespace: string, kubeconfig: string): Promise<Replica> {
  const probePort = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", MAIN], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      KUBECONFIG: kubeconfig,
      // Nothing listens here: the replicas must reconcile without the storage service.
      STORAGE_URL: "http://127.0.0.1:9",
      WATCH_NAMESPACE: namespace,
      LEADER_ELECTION: "true",
      LEADER_ELECTION_NAMESPACE: namespace,
      LEADER_ELECTION_LEASE_DURATION: "3s",
      LEADER_ELECTION_RENEW_DEADLINE: "2s",
      LEADER_ELECTION_RETRY_PERIOD: "500ms",
      POD_NAME: identity,
      PROBE_PORT: String(probePort),
      PROBE_HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  for (const stream of [child.stdout, child.stderr])
    stream?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  return { identity, probePort, process: child, output };
}

async function metric(replica: Replica, name: string): Promise<number> {
  const text = await fetch(`http://127.0.0.1:${replica.probePort}/metrics`).then((r) => r.text());
  return text
    .split("\n")
    .filter((line) => line.startsWith(name))
    .reduce((sum, line) => sum + Number(line.split(" ").at(-1)), 0);
}

describe("two orchestrator replicas", () => {
  const cluster = new Cluster();
  const namespace = `leader-${suffix()}`;
  const leases = cluster.kubeConfig.makeApiClient(CoordinationV1Api);
  const replicas: Replica[] = [];

  const holder = async () => {
    const lease = await leases.readNamespacedLease({ name: LEASE, namespace }).catch(() => undefined);
    return lease?.spec?.holderIdentity || undefined;
  };

  beforeAll(async () => {
    await cluster.namespace(namespace);
    const kubeconfig = process.env.KUBECONFIG ?? "";
    replicas.push(
      await startReplica("replica-a", namespace, kubeconfig),
      await startReplica("replica-b", namespace, kubeconfig),
    );
    for (const replica of replicas) {
      await waitFor(
        `${replica.identity} to be ready`,
        () =>
          fetch(`http://127.0.0.1:${replica.probePort}/readyz`).then(
            (r) => (r.ok ? true : undefined),
            () => undefined,
          ),
        90_000,
      );
    }
  });

  afterAll(async () => {
    for (const replica of replicas) {
      if (replica.process.exitCode === null && replica.process.signalCode === null) {
        const exited = once(replica.process, "exit");
        replica.process.kill("SIGTERM");
        await exited;
      }
    }
    await cluster.deleteNamespace(namespace);
  });

  it("reconciles on the leader only, and fails over when the leader is killed", async () => {
    const first = await waitFor("a leader", holder, 90_000);
    const leader = replicas.find((r) => r.identity === first);
    const follower = replicas.find((r) => r.identity !== first);
    if (!leader || !follower) throw new Error(`unexpected lease holder ${first}`);
    await waitFor("the leader to report leading", async () =>
      (await metric(leader, "leader_election_master_status").catch(() => 0)) === 1 ? true : undefined,
    );

    await cluster.createRequest(namespace, "rr-before", `before-${suffix()}`);
    await cluster.inPhase(namespace, "rr-before", "processing");
    expect(await metric(leader, "controller_runtime_reconcile_total")).toBeGreaterThan(0);
    expect(await metric(follower, "controller_runtime_reconcile_total")).toBe(0);
    expect(await metric(follower, "leader_election_master_status")).toBe(0);

    leader.process.kill("SIGKILL");
    await waitFor(
      "the follower to take the lease",
      async () => ((await holder()) === follower.identity ? true : undefined),
      30_000,
    );
    await cluster.createRequest(namespace, "rr-after", `after-${suffix()}`);
    await cluster.inPhase(namespace, "rr-after", "processing");
    expect(await metric(follower, "controller_runtime_reconcile_total")).toBeGreaterThan(0);
    expect(await metric(follower, "leader_election_master_status")).toBe(1);
  });
});
