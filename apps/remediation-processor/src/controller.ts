import { type Logger, loadKubeConfig, Manager } from "@kubernaut/controller-runtime";
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
    client: new StorageClient({
      baseUrl: config.STORAGE_URL,
      timeoutMs: config.STORAGE_TIMEOUT,
      ...storageToken(config),
    }),
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
    ...(config.WATCH_NAMESPACE ? { namespace: config.WATCH_NAMESPACE } : {}),
    ...(config.LEADER_ELECTION
      ? {
          leaderElection: {
            name: config.LEADER_ELECTION_ID,
            namespace: config.LEADER_ELECTION_NAMESPACE,
            leaseDurationMs: config.LEADER_ELECTION_LEASE_DURATION,
            renewDeadlineMs: config.LEADER_ELECTION_RENEW_DEADLINE,
            retryPeriodMs: config.LEADER_ELECTION_RETRY_PERIOD,
            ...(config.POD_NAME ? { identity: config.POD_NAME } : {}),
          },
        }
      : {}),
    ...(options.onStoppedLeading ? { onStoppedLeading: options.onStoppedLeading } : {}),
    probes: { port: config.PROBE_PORT, host: config.PROBE_HOST },
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

function storageToken(config: Config) {
  if (config.STORAGE_TOKEN_FILE) return { token: { file: config.STORAGE_TOKEN_FILE } };
  if (config.STORAGE_TOKEN) return { token: config.STORAGE_TOKEN };
  return {};
}
