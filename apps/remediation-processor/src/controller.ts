import {
  AuditedManager,
  type ControllerStartOptions,
  type RunningAuditedManager,
} from "@kubernaut/controller-kit";
import { type RemediationProcessing, remediationProcessingKind } from "@kubernaut/crds";
import { AppsV1Api, CoreV1Api } from "@kubernetes/client-node";
import type { Config } from "./config.js";
import { type ProcessorMetrics, processorMetrics, registerStorageReachable } from "./metrics.js";
import { ProcessingReconciler } from "./reconciler.js";

export type ProcessorOptions = ControllerStartOptions<Config>;

export type RunningProcessor = RunningAuditedManager<ProcessorMetrics>;

/**
 * Starts the remediation processor: informer and work queue for RemediationProcessing, leader election,
 * the audit publisher and the probe server (`/healthz`, `/readyz`, `/metrics`). Resolves once started;
 * reconciling begins when this replica leads.
 */
export async function startProcessor(options: ProcessorOptions): Promise<RunningProcessor> {
  const { config, logger } = options;
  const audited = new AuditedManager({ ...options, metrics: processorMetrics });
  const { kubeConfig, manager, publisher, metrics } = audited;
  registerStorageReachable(audited.registry, publisher);

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
  return audited.start();
}
