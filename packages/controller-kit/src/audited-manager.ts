import { type Logger, loadKubeConfig, Manager } from "@kubernaut/controller-runtime";
import { type AuditMetrics, AuditPublisher, StorageClient } from "@kubernaut/storage-client";
import type { KubeConfig } from "@kubernetes/client-node";
import { Registry } from "prom-client";
import { type ControllerConfig, managerOptionsFrom, storageConnectionFrom } from "./controller-config.js";

/** What a Kubernaut controller is started with; tests bring their own kubeConfig and onStoppedLeading. */
export interface ControllerStartOptions<C extends ControllerConfig = ControllerConfig> {
  config: C;
  /** Default: from KUBECONFIG, ~/.kube/config or the in-cluster service account. */
  kubeConfig?: KubeConfig;
  logger: Logger;
  /** Called when leadership is lost; default: exit so the pod restarts. */
  onStoppedLeading?: () => void;
}

export interface AuditedManagerOptions<M extends { audit: AuditMetrics }> extends ControllerStartOptions {
  /** The app's metrics in the process's registry; their `audit` part counts the publisher's deliveries. */
  metrics: (registry: Registry) => M;
}

/** A started controller, as its process and the tests hold it. */
export interface RunningAuditedManager<M> {
  manager: Manager;
  publisher: AuditPublisher;
  registry: Registry;
  metrics: M;
  /** Stops reconciling, then gives buffered audit records up to SHUTDOWN_TIMEOUT to reach storage. */
  stop(): Promise<void>;
}

/** The app's own steps around a stop, for work that outlives a reconcile. */
export interface StopSteps {
  /** Runs first, before reconciling stops: e.g. aborts long calls so that reconciles in flight return. */
  interrupt?: () => void;
  /** Awaited once reconciling has stopped, before the audit records are flushed. */
  settle?: () => Promise<void>;
}

/**
 * A Kubernaut controller's Manager and the audit publisher its reconcilers write to, both from the
 * controller's configuration: one metrics registry, the storage client, the publisher, and the Manager
 * (namespace, leader election, probes). The app adds its controllers, then calls `start()`.
 */
export class AuditedManager<M extends { audit: AuditMetrics }> {
  readonly kubeConfig: KubeConfig;
  readonly registry = new Registry();
  readonly metrics: M;
  readonly storage: StorageClient;
  readonly publisher: AuditPublisher;
  readonly manager: Manager;
  private readonly shutdownTimeoutMs: number;

  constructor(options: AuditedManagerOptions<M>) {
    const { config, logger } = options;
    this.kubeConfig = options.kubeConfig ?? loadKubeConfig();
    this.metrics = options.metrics(this.registry);
    this.storage = new StorageClient(storageConnectionFrom(config));
    this.publisher = new AuditPublisher({
      client: this.storage,
      metrics: this.metrics.audit,
      logger,
      backoff: { capMs: config.AUDIT_RETRY_MAX_INTERVAL },
      ...(config.AUDIT_SPOOL_DIR ? { spoolDir: config.AUDIT_SPOOL_DIR } : {}),
    });
    this.manager = new Manager({
      kubeConfig: this.kubeConfig,
      registry: this.registry,
      logger,
      ...managerOptionsFrom(config),
      ...(options.onStoppedLeading ? { onStoppedLeading: options.onStoppedLeading } : {}),
    });
    this.shutdownTimeoutMs = config.SHUTDOWN_TIMEOUT;
  }

  /**
   * Starts the Manager; resolves once started (reconciling begins when this replica leads). When start-up
   * fails, the publisher is closed without waiting for a flush and the error is thrown on.
   */
  async start(steps: StopSteps = {}): Promise<RunningAuditedManager<M>> {
    const { manager, publisher, registry, metrics } = this;
    try {
      await manager.start();
    } catch (error) {
      await publisher.close(0);
      throw error;
    }
    const shutdownTimeoutMs = this.shutdownTimeoutMs;
    return {
      manager,
      publisher,
      registry,
      metrics,
      async stop() {
        steps.interrupt?.();
        await manager.stop();
        await steps.settle?.();
        await publisher.close(shutdownTimeoutMs);
      },
    };
  }
}
