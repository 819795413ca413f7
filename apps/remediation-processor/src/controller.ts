import {
  type Logger,
  loadKubeConfig,
  Manager,
  managerOptionsFrom,
  storageConnectionFrom,
} from "@kubernaut/controller-runtime";
import { type RemediationProcessing, remediationProcessingKind } from "@kubernaut/crds";
import { AuditPublisher, StorageClient } from "@kubernaut/storage-client";
import { AppsV1Api, CoreV1Api, type KubeConfig } from "@kubernetes/client-node";
import { Registry } from "prom-client";
import type { Config } from "./config.js";
import { type ProcessorMetrics, processorMetrics, registerStorageReachable } from "./metrics.js";
import { ProcessingReconciler } from "./reconciler.js";

export interface ProcessorOptions {
  config: Config;
  /** Default: from KUBECONFIG, ~/.kube/config or the in-cluster service account. */
  kubeConfig?: KubeConfig;
  logger: Logger;
  /** Called when leadership is lost; default: exit so the pod restarts. */
  onStoppedLeading?: () => void;
}

export interface RunningProcessor {
  manager: Manager;
  publisher: AuditPublisher;
  registry: Registry;
  metrics: ProcessorMetrics;
  /** Stops reconciling, then gives buffered audit records up to SHUTDOWN_TIMEOUT to reach storage. */
  stop(): Promise<void>;
}

/**
 * Starts the remediation processor: informer and work queue for RemediationProcessing, leader election,
 * the audit publisher and the probe server (`/healthz`, `/readyz`, `/metrics`). Resolves once started;
 * reconciling begins when this replica leads.
 */
export async function startProcessor(options: ProcessorOptions): Promise<RunningProcessor> {
  const { config, logger } = options;
  const kubeConfig = options.kubeConfig ?? loadKubeConfig();
  const registry = new Registry();
  const metrics = processorMetrics(registry);
  const publisher = new AuditPublisher({
    client: new StorageClient(storageConnectionFrom(config)),
    metrics: metrics.audit,
    logger,
    backoff: { capMs: config.AUDIT_RETRY_MAX_INTERVAL },
    ...(config.AUDIT_SPOOL_DIR ? { spoolDir: config.AUDIT_SPOOL_DIR } : {}),
  });
  registerStorageReachable(registry, publisher);

  const manager = new Manager({
    kubeConfig,
    registry,
    logger,
    ...managerOptionsFrom(config),
    ...(options.onStoppedLeading ? { onStoppedLeading: options.onStoppedLeading } : {}),
  });
  manager.addController({
    name: "remediationprocessing",
    for: remediationProcessingKind,
    concurrency: config.MAX_CONCURRENT_RECONCILES,
    reconciler: new ProcessingReconciler({
      client: manager.client<RemediationProcessing>(remediationProcessingKind),
      apis: { core: kubeConfig.makeApiClient(CoreV1Api), apps: kubeConfig.makeApiClient(AppsV1Api) },
      publisher,
      metrics,
      logger,
      sourceTimeoutMs: config.ENRICHMENT_SOURCE_TIMEOUT,
    }),
  });
  try {
    await manager.start();
  } catch (error) {
    await publisher.close(0);
    throw error;
  }
  return {
    manager,
    publisher,
    registry,
    metrics,
    async stop() {
      await manager.stop();
      await publisher.close(config.SHUTDOWN_TIMEOUT);
    },
  };
}
