import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { CoordinationV1Api, type KubeConfig } from "@kubernetes/client-node";
import {
  freeLoopbackPort,
  isAlive,
  LogTail,
  spawnNode,
  terminate,
  waitUntilReady,
  workspaceRoot,
} from "../storage/process.js";

/** Six random hex digits, for names that must not collide between tests and runs. */
export function randomSuffix(): string {
  return randomBytes(3).toString("hex");
}

/**
 * The configuration of a controller that an integration test runs in-process: it watches `namespace` only,
 * writes to the storage service at `storageUrl` with short timeouts, does not elect a leader, and serves its
 * probes on a loopback port the system picks. `env` adds or overrides variables.
 */
export function inProcessControllerEnv(
  namespace: string,
  storageUrl: string,
  env: Record<string, string> = {},
): Record<string, string> {
  return {
    STORAGE_URL: storageUrl,
    STORAGE_TIMEOUT: "2s",
    WATCH_NAMESPACE: namespace,
    LEADER_ELECTION: "false",
    PROBE_PORT: "0",
    PROBE_HOST: "127.0.0.1",
    SHUTDOWN_TIMEOUT: "2s",
    ...env,
  };
}

/**
 * `GET` of `path` on the storage service at `baseUrl`, its JSON body; throws with the status and the body
 * when the service answers an error.
 */
export async function readStorageJson(
  baseUrl: string,
  path: string,
  headers: Record<string, string> = {},
  timeoutMs = 10_000,
): Promise<unknown> {
  const response = await fetch(`${baseUrl}${path}`, { headers, signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) throw new Error(`GET ${path} answered ${response.status}: ${await response.text()}`);
  return response.json();
}

export interface ControllerProcessOptions {
  /** The app under `apps/`, e.g. `remediation-processor`; its `src/main.ts` runs through tsx. */
  app: string;
  /** The process's configuration. It gets only `PATH` and `HOME` from the test process besides this. */
  env: Record<string, string>;
  /** How long to wait for `/readyz`. Default 90 s (tsx compiles the app on start, slowly on a busy machine). */
  readyTimeoutMs?: number;
}

/** One controller as a Deployment replica runs it: its own process, its own probe port. */
export interface ControllerProcess {
  readonly app: string;
  /** `POD_NAME` when the env sets it, else the app name. */
  readonly identity: string;
  readonly probePort: number;
  /** The sum of every sample of the metric `name` on `/metrics` (all label sets). */
  metric(name: string): Promise<number>;
  /**
   * `metric(name)` once it equals `expected`, or its last value after `timeoutMs` (default 10 s). A
   * controller counts an event after the write that makes it visible, so a test that has just seen the
   * write reads the counter through this.
   */
  metricReaching(name: string, expected: number, timeoutMs?: number): Promise<number>;
  alive(): boolean;
  /** Sends `signal` (default SIGKILL: a crash) and waits for the exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** SIGTERM, as Kubernetes stops a pod; SIGKILL after 20 s. */
  stop(): Promise<void>;
  /** The last lines the process logged, for assertion messages. */
  logs(): string;
}

const GRACE_MS = 20_000;

/**
 * Starts a controller app as a child process (`node --import tsx apps/<app>/src/main.ts`) with a free
 * loopback probe port, and waits until `/readyz` answers. The process dies with the test process.
 */
export async function startControllerProcess(options: ControllerProcessOptions): Promise<ControllerProcess> {
  const appDir = join(workspaceRoot(), "apps", options.app);
  const main = join(appDir, "src", "main.ts");
  if (!existsSync(main)) throw new Error(`${main} does not exist: no app ${options.app}`);
  const probePort = await freeLoopbackPort();
  const logs = new LogTail();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...options.env,
    PROBE_PORT: String(probePort),
    PROBE_HOST: "127.0.0.1",
  };
  const child: ChildProcess = spawnNode(main, env, logs, { nodeArgs: ["--import", "tsx"], cwd: appDir });
  const metric = async (name: string): Promise<number> => {
    const text = await fetch(`http://127.0.0.1:${probePort}/metrics`).then((r) => r.text());
    return text
      .split("\n")
      .filter((line) => line.startsWith(`${name} `) || line.startsWith(`${name}{`))
      .reduce((sum, line) => sum + Number(line.split(" ").at(-1)), 0);
  };
  try {
    await waitUntilReady(
      `http://127.0.0.1:${probePort}/readyz`,
      child,
      logs,
      options.readyTimeoutMs ?? 90_000,
      options.app,
    );
  } catch (error) {
    await terminate(child, "SIGKILL", GRACE_MS);
    throw error;
  }
  return {
    app: options.app,
    identity: options.env.POD_NAME ?? options.app,
    probePort,
    metric,
    async metricReaching(name, expected, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const value = await metric(name);
        if (value === expected || Date.now() > deadline) return value;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    alive: () => isAlive(child),
    kill: (signal = "SIGKILL") => terminate(child, signal, GRACE_MS),
    stop: () => terminate(child, "SIGTERM", GRACE_MS),
    logs: () => logs.toString(),
  };
}

export interface ReplicaSetOptions {
  app: string;
  /** Where the Lease lives; the replicas also watch only this namespace. */
  namespace: string;
  /** The Lease the replicas compete for (`LEADER_ELECTION_ID`), in `namespace`; default the app's name. */
  lease?: string;
  /** `KUBECONFIG` of the replicas; default the test process's (the test API server's). */
  kubeconfig?: string;
  /** Configuration common to every replica (storage URL, timeouts, …). */
  env?: Record<string, string>;
  /** Replicas to start, named `<app>-0`, `<app>-1`, …; default 2. */
  count?: number;
}

/** Replicas of one controller competing for a Lease, with short lease timings (5 s) so a failover takes seconds. */
export interface ControllerReplicas {
  readonly replicas: readonly ControllerProcess[];
  /** The Lease's holder identity, or undefined while nobody holds it. */
  holder(): Promise<string | undefined>;
  /**
   * Waits until one replica holds the Lease and reports leading (`leader_election_master_status 1`), and
   * answers it with the replicas that stand by. With `except`, a leader other than that identity.
   */
  elected(except?: string): Promise<{ leader: ControllerProcess; standbys: ControllerProcess[] }>;
  /** Kills the leader (SIGKILL, a crash) and answers the replica that leads next. */
  failover(): Promise<ControllerProcess>;
  /** Stops every replica still running (SIGTERM). */
  stop(): Promise<void>;
}

export async function startControllerReplicas(
  kubeConfig: KubeConfig,
  options: ReplicaSetOptions,
): Promise<ControllerReplicas> {
  const leases = kubeConfig.makeApiClient(CoordinationV1Api);
  const lease = options.lease ?? options.app;
  const replicas: ControllerProcess[] = [];
  // One after the other: starting (tsx compiling the app) takes the CPU, and on a small machine a leader
  // starved of it during a neighbour's start would miss its renew deadline.
  for (let i = 0; i < (options.count ?? 2); i++) {
    replicas.push(
      await startControllerProcess({
        app: options.app,
        env: {
          ...options.env,
          KUBECONFIG: options.kubeconfig ?? process.env.KUBECONFIG ?? "",
          WATCH_NAMESPACE: options.namespace,
          LEADER_ELECTION: "true",
          LEADER_ELECTION_ID: lease,
          LEADER_ELECTION_NAMESPACE: options.namespace,
          LEADER_ELECTION_LEASE_DURATION: "5s",
          LEADER_ELECTION_RENEW_DEADLINE: "4s",
          LEADER_ELECTION_RETRY_PERIOD: "1s",
          POD_NAME: `${options.app}-${i}`,
        },
      }),
    );
  }
  const holder = async () => {
    const current = await leases
      .readNamespacedLease({ name: lease, namespace: options.namespace })
      .catch(() => undefined);
    return current?.spec?.holderIdentity || undefined;
  };
  const elected: ControllerReplicas["elected"] = async (except) => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const identity = await holder();
      const leader = replicas.find((r) => r.identity === identity && r.identity !== except);
      if (leader?.alive() && (await leader.metric("leader_election_master_status").catch(() => 0)) === 1) {
        return { leader, standbys: replicas.filter((r) => r !== leader && r.alive()) };
      }
      if (Date.now() > deadline) {
        throw new Error(`no ${options.app} leader after 60 s (lease holder ${identity ?? "none"})`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };
  return {
    replicas,
    holder,
    elected,
    async failover() {
      const { leader } = await elected();
      await leader.kill("SIGKILL");
      return (await elected(leader.identity)).leader;
    },
    async stop() {
      await Promise.all(replicas.map((r) => r.stop()));
    },
  };
}
