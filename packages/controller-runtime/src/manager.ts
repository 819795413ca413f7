import type { KubeConfig } from "@kubernetes/client-node";
import type { Registry } from "prom-client";
import { ResourceClient } from "./client.js";
import { loadKubeConfig } from "./config.js";
import { Controller, type ControllerOptions } from "./controller.js";
import { EventRecorder } from "./events.js";
import { Informer } from "./informer.js";
import { type LeaderElectionOptions, LeaderElector } from "./leader-election.js";
import { type ListerWatcher, resourceListerWatcher } from "./list-watch.js";
import { type Logger, stderrLogger } from "./logger.js";
import { RuntimeMetrics } from "./metrics.js";
import { apiVersionOf, type KubeObject, type ResourceKind } from "./objects.js";
import { type HealthCheck, type ProbeServer, startProbeServer } from "./probes.js";

export interface ManagerOptions {
  /** Default: `loadKubeConfig()` ($KUBECONFIG, ~/.kube/config or in-cluster). */
  kubeConfig?: KubeConfig;
  /** The process's own prom-client Registry; the runtime's metrics are registered in it. */
  registry: Registry;
  /** Default: warnings and errors as JSON lines on stderr. */
  logger?: Logger;
  /** Watch only this namespace; all namespaces by default. */
  namespace?: string;
  /** Reconcile only while holding this Lease; omit to reconcile at once (a single replica). */
  leaderElection?: LeaderElectionOptions;
  /** Called when leadership is lost, after reconciling has stopped. Default: exit with code 1 so the pod restarts. */
  onStoppedLeading?: () => void;
  /** Serve /healthz, /readyz and /metrics on this port (0 picks one). */
  probes?: { port: number; host?: string };
  /** Extra /readyz checks, besides "informers synced". */
  readinessChecks?: HealthCheck[];
  /** Replaces the list/watch source of a kind (for tests that need to break or expire a watch). */
  listerWatcherFor?: (kind: ResourceKind, fallback: ListerWatcher<KubeObject>) => ListerWatcher<KubeObject>;
}

/**
 * Runs controllers in one process: shared informers per kind, the controllers' work queues, leader
 * election, and the probe/metrics server. Informers run on every replica (so a new leader starts with
 * a warm cache); work queues run only on the leader, and only once every informer has synced.
 */
export class Manager {
  readonly kubeConfig: KubeConfig;
  readonly registry: Registry;
  readonly logger: Logger;
  readonly metrics: RuntimeMetrics;
  private readonly informers = new Map<string, Informer<KubeObject>>();
  private readonly controllers: Controller[] = [];
  private readonly readinessChecks: HealthCheck[];
  private readonly elector: LeaderElector | undefined;
  private probeServer: ProbeServer | undefined;
  private state: "new" | "running" | "stopped" = "new";
  private leading = false;
  private readonly leadingWaiters: (() => void)[] = [];

  constructor(private readonly options: ManagerOptions) {
    this.kubeConfig = options.kubeConfig ?? loadKubeConfig();
    this.registry = options.registry;
    this.logger = options.logger ?? stderrLogger;
    this.metrics = new RuntimeMetrics(options.registry);
    this.readinessChecks = [
      {
        name: "informers-synced",
        check: () => [...this.informers.values()].every((informer) => informer.hasSynced()),
      },
      ...(options.readinessChecks ?? []),
    ];
    if (options.leaderElection) {
      const lease = options.leaderElection.name;
      this.elector = new LeaderElector(
        this.kubeConfig,
        options.leaderElection,
        {
          onStartedLeading: () => void this.startLeading(),
          onStoppedLeading: () => void this.lostLeadership(),
          onNewLeader: (identity) => this.logger.info({ lease, leader: identity }, "leader observed"),
        },
        this.logger,
      );
      this.metrics.leaderStatus.set({ name: lease }, 0);
    }
  }

  /** True while this process reconciles (it holds the lease, or runs without leader election). */
  get isLeader(): boolean {
    return this.leading;
  }

  /** The identity this process campaigns with, when leader election is on. */
  get identity(): string | undefined {
    return this.elector?.identity;
  }

  /** The port of the probe server, once started. */
  get probePort(): number | undefined {
    return this.probeServer?.port;
  }

  /** A typed client for `kind`. */
  client<T extends KubeObject>(kind: ResourceKind): ResourceClient<T> {
    return new ResourceClient<T>(this.kubeConfig, kind);
  }

  /** The shared informer (and cache) of `kind`, created on first use. */
  informer<T extends KubeObject>(kind: ResourceKind): Informer<T> {
    const id = `${apiVersionOf(kind)}/${kind.plural}`;
    let informer = this.informers.get(id);
    if (!informer) {
      const real = resourceListerWatcher<KubeObject>(this.kubeConfig, kind, {
        namespace: this.options.namespace,
      });
      const source = this.options.listerWatcherFor?.(kind, real) ?? real;
      informer = new Informer(source, { name: kind.plural, logger: this.logger });
      this.informers.set(id, informer);
      if (this.state === "running") informer.start();
    }
    return informer as unknown as Informer<T>;
  }

  eventRecorder(component: string): EventRecorder {
    return new EventRecorder(this.kubeConfig, component, this.logger);
  }

  addReadinessCheck(check: HealthCheck): void {
    this.readinessChecks.push(check);
  }

  /** Registers a controller; call before `start()`. */
  addController(options: ControllerOptions): Controller {
    if (this.state !== "new") throw new Error(`add controller ${options.name} before the manager starts`);
    const controller = new Controller(
      options,
      {
        primary: this.informer(options.for),
        owned: (options.owns ?? []).map((kind) => this.informer(kind)),
        watched: (options.watches ?? []).map((watch) => ({ informer: this.informer(watch.kind), watch })),
      },
      this.metrics,
      this.logger,
    );
    this.controllers.push(controller);
    return controller;
  }

  /**
   * Starts the probe server and the informers and resolves; then campaigns for leadership (or leads at
   * once) and starts reconciling when leading and every informer has synced (see `whenLeading()`).
   */
  async start(): Promise<void> {
    if (this.state !== "new") throw new Error("a manager starts only once");
    this.state = "running";
    if (this.options.probes) {
      this.probeServer = await startProbeServer({
        ...this.options.probes,
        registry: this.registry,
        readinessChecks: () => this.readinessChecks,
      });
    }
    for (const informer of this.informers.values()) informer.start();
    if (this.elector) this.elector.run();
    else void this.startLeading();
  }

  /** Resolves once this process reconciles. */
  whenLeading(): Promise<void> {
    if (this.leading) return Promise.resolve();
    return new Promise((resolve) => this.leadingWaiters.push(resolve));
  }

  /** Graceful shutdown: stop reconciling (waiting for reconciles in flight), stop informers, release the lease. */
  async stop(): Promise<void> {
    if (this.state === "stopped") return;
    this.state = "stopped";
    await Promise.all(this.controllers.map((controller) => controller.stop()));
    await Promise.all([...this.informers.values()].map((informer) => informer.stop()));
    await this.elector?.stop({ release: true });
    this.setLeading(false);
    await this.probeServer?.close();
  }

  private async startLeading(): Promise<void> {
    await Promise.all([...this.informers.values()].map((informer) => informer.waitForSync()));
    if (this.state !== "running" || (this.elector && !this.elector.isLeader)) return;
    this.setLeading(true);
    for (const controller of this.controllers) controller.start();
    for (const resolve of this.leadingWaiters.splice(0)) resolve();
  }

  private async lostLeadership(): Promise<void> {
    this.setLeading(false);
    await Promise.all(this.controllers.map((controller) => controller.stop()));
    const onStoppedLeading =
      this.options.onStoppedLeading ??
      (() => {
        this.logger.error({}, "leadership lost; exiting so that the pod restarts");
        process.exit(1);
      });
    onStoppedLeading();
  }

  private setLeading(leading: boolean): void {
    this.leading = leading;
    if (this.options.leaderElection)
      this.metrics.leaderStatus.set({ name: this.options.leaderElection.name }, leading ? 1 : 0);
  }
}

/**
 * Starts `manager` and stops it gracefully on SIGTERM or SIGINT, then exits the process with code 0
 * (or 1 when stopping failed). Resolves once started.
 */
export async function runManager(
  manager: Manager,
  signals: readonly NodeJS.Signals[] = ["SIGTERM", "SIGINT"],
): Promise<void> {
  const shutdown = (signal: NodeJS.Signals) => {
    manager.logger.info({ signal }, "shutting down");
    manager.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        manager.logger.error({ err: String(error) }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  for (const signal of signals) process.once(signal, shutdown);
  await manager.start();
}
