import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { testKubeConfig } from "@kubernaut/testing/kube";
import { startStorageService } from "@kubernaut/testing/storage";
import { KubeConfig } from "@kubernetes/client-node";
import { type ApiProxy, startApiProxy } from "./api-proxy.js";
import { repoRoot } from "./kubectl.js";
import {
  auditLogMark,
  controllerNamespace,
  forbiddenRequestsSince,
  type ServiceAccountAccess,
  serviceAccountAccess,
} from "./service-accounts.js";
import type { ControllerName, SystemUnderTest } from "./system.js";
import { controllerNames } from "./system.js";

const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/** One controller as a real process: `node apps/<name>/dist/main.js`, its output kept for failures. */
class ControllerProcess {
  private child: ChildProcess | undefined;
  private readonly output: string[] = [];

  constructor(
    readonly name: ControllerName,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  start(): void {
    const script = join(repoRoot, "apps", this.name, "dist", "main.js");
    if (!existsSync(script)) throw new Error(`${script} does not exist: run \`pnpm build\` first`);
    const child = spawn(process.execPath, [script], { env: this.env, stdio: ["ignore", "pipe", "pipe"] });
    for (const stream of [child.stdout, child.stderr]) {
      stream.setEncoding("utf8");
      stream.on("data", (chunk: string) => {
        this.output.push(chunk);
        if (this.output.length > 200) this.output.shift();
        if (process.env.E2E_VERBOSE) process.stderr.write(`[${this.name}] ${chunk}`);
      });
    }
    child.once("exit", (code, signal) => {
      running.delete(child);
      if (code !== 0 && signal === null) {
        process.stderr.write(`${this.name} exited ${code}:\n${this.output.join("").slice(-4000)}\n`);
      }
    });
    running.add(child);
    this.child = child;
  }

  async stop(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, "exit");
    child.kill(signal);
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    await exited;
    clearTimeout(timer);
  }
}

/**
 * The built apps as processes: the storage service (on `TEST_DATABASE_URL` when set, else PGlite) and the
 * three controllers on the API server of `$KUBECONFIG` (the run's private one), each under its own
 * ServiceAccount with the RBAC of deploy/base, as deployed: toward the API server, and toward the storage
 * service, which authorizes each controller's token with a TokenReview and a SubjectAccessReview.
 */
export async function startLocalSystem(): Promise<SystemUnderTest> {
  const kubeConfig = testKubeConfig();
  const mark = await auditLogMark();
  // The controllers' kubeconfigs and audit spools.
  const work = await mkdtemp(join(tmpdir(), "kubernaut-e2e-"));
  const accounts = await serviceAccountAccess(kubeConfig, [...controllerNames, "datastorage"], work);
  const account = (name: string): ServiceAccountAccess => {
    const found = accounts.get(name);
    if (!found) throw new Error(`no ServiceAccount access for ${name}`);
    return found;
  };
  // As deployed: the service checks each caller's token with a TokenReview and a SubjectAccessReview of
  // services/data-storage, so a controller whose bindings lack the reader or writer role is refused.
  const storage = await startStorageService({
    ...(process.env.TEST_DATABASE_URL ? { databaseUrl: process.env.TEST_DATABASE_URL } : {}),
    readyTimeoutMs: 240_000,
    env: {
      AUTH_MODE: "tokenreview",
      KUBECONFIG: account("datastorage").kubeconfig,
      POD_NAMESPACE: controllerNamespace,
    },
  });
  // Each controller reaches the API server through a proxy, so that a spec can hold the requests a reconcile awaits.
  const proxies = new Map<ControllerName, { proxy: ApiProxy; kubeconfig: string }>();
  for (const name of controllerNames)
    proxies.set(name, await proxiedAccess(name, account(name).kubeconfig, work));
  const proxied = (name: ControllerName) => {
    const found = proxies.get(name);
    if (!found) throw new Error(`no API proxy for ${name}`);
    return found;
  };
  const controllers = new Map<ControllerName, ControllerProcess>();
  for (const name of controllerNames) {
    const controller = new ControllerProcess(name, {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: "production",
      KUBECONFIG: proxied(name).kubeconfig,
      STORAGE_URL: storage.url,
      STORAGE_TOKEN: account(name).token,
      STORAGE_TIMEOUT: "3s",
      AUDIT_SPOOL_DIR: join(work, `${name}-spool`),
      // As deployed: each process (a new identity on every start, like a new pod) holds the Lease in
      // kubernaut-system before it reconciles, through the leader-election Role of deploy/base.
      LEADER_ELECTION: "true",
      LEADER_ELECTION_NAMESPACE: controllerNamespace,
      PROBE_PORT: "0",
      PROBE_HOST: "127.0.0.1",
      LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? (process.env.E2E_VERBOSE ? "info" : "warn"),
      MAX_CONCURRENT_RECONCILES: "4",
      ...(name === "remediation-orchestrator"
        ? { AUDIT_RETRY_MAX_INTERVAL: "2s", AUDIT_CONFIRM_INTERVAL: "2s" }
        : {}),
      ...(name === "remediation-processor" ? { AUDIT_RETRY_MAX_INTERVAL: "2s" } : {}),
    });
    controller.start();
    controllers.set(name, controller);
  }
  const controller = (name: ControllerName): ControllerProcess => {
    const found = controllers.get(name);
    if (!found) throw new Error(`no controller ${name}`);
    return found;
  };

  return {
    mode: "local",
    kubeConfig,
    storageUrl: storage.url,
    // The orchestrator's account may read and write, as in the kind run.
    storageToken: account("remediation-orchestrator").token,
    restartStorage: () => storage.restart(),
    holdStorage() {
      storage.pause();
      return () => storage.resume();
    },
    holdApiRequests: (name, match) => proxied(name).proxy.hold(match),
    killController: (name) => controller(name).stop("SIGKILL"),
    startController: async (name) => controller(name).start(),
    async stop() {
      await Promise.all([...controllers.values()].map((c) => c.stop("SIGTERM")));
      await Promise.all([...proxies.values()].map(({ proxy }) => proxy.close()));
      const storageRefused = refusedByStorage(storage.logs());
      await storage.stop();
      await rm(work, { recursive: true, force: true });
      // A request the RBAC of deploy/base refused would fail in a cluster too, even if the code shrugged it off.
      const refused = await forbiddenRequestsSince(mark);
      if (refused.length > 0) {
        throw new Error(
          `the API server refused requests of the controllers (deploy/base RBAC):\n  ${refused.join("\n  ")}`,
        );
      }
      if (storageRefused.length > 0) {
        throw new Error(
          `the storage service refused the controllers (deploy/base kubernaut-datastorage-* bindings):\n  ${storageRefused.join("\n  ")}`,
        );
      }
    },
  };
}

/** The callers the storage service's authorizer refused, one line each (who, verb, resource), from its log. */
function refusedByStorage(logs: string): string[] {
  const refused = logs
    .split("\n")
    .map((line) => {
      try {
        return JSON.parse(line) as { msg?: string; user?: string; verb?: string; resource?: string };
      } catch {
        return {};
      }
    })
    .filter((entry) => entry.msg === "access refused by RBAC")
    .map((entry) => `${entry.user}: ${entry.verb} ${entry.resource}`);
  return [...new Set(refused)];
}

/** A proxy in front of the API server and a copy of `kubeconfig` (same user) that goes through it. */
async function proxiedAccess(
  name: string,
  kubeconfig: string,
  dir: string,
): Promise<{ proxy: ApiProxy; kubeconfig: string }> {
  const direct = new KubeConfig();
  direct.loadFromFile(kubeconfig);
  const cluster = direct.getCurrentCluster();
  const user = direct.getCurrentUser();
  const context = direct.getContextObject(direct.getCurrentContext());
  if (!cluster || !user || !context)
    throw new Error(`${kubeconfig} has no current cluster, user and context`);
  const caPem = cluster.caData
    ? Buffer.from(cluster.caData, "base64").toString("utf8")
    : cluster.caFile
      ? await readFile(cluster.caFile, "utf8")
      : undefined;
  if (caPem === undefined) throw new Error(`${kubeconfig} names no certificate authority`);
  const proxy = await startApiProxy(cluster.server, caPem, join(dir, `${name}-proxy`));
  const proxied = new KubeConfig();
  proxied.loadFromOptions({
    clusters: [
      {
        name: cluster.name,
        server: proxy.url,
        caData: Buffer.from(proxy.certPem).toString("base64"),
        skipTLSVerify: false,
      },
    ],
    users: [user],
    contexts: [context],
    currentContext: context.name,
  });
  const path = join(dir, `${name}.proxied.kubeconfig`);
  await writeFile(path, proxied.exportConfig(), { mode: 0o600 });
  return { proxy, kubeconfig: path };
}
