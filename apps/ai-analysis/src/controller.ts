import {
  type Logger,
  loadKubeConfig,
  Manager,
  managerOptionsFrom,
  storageConnectionFrom,
} from "@kubernaut/controller-runtime";
import {
  type AIAnalysis,
  aiAnalysisKind,
  type WorkflowExecution,
  workflowExecutionKind,
} from "@kubernaut/crds";
import { AuditPublisher, StorageClient } from "@kubernaut/storage-client";
import type { KubeConfig } from "@kubernetes/client-node";
import { Registry } from "prom-client";
import type { Config } from "./config.js";
import { ChatInvestigationProvider } from "./investigation/chat/chat-provider.js";
import type { InvestigationProvider } from "./investigation/request.js";
import { RuleBasedInvestigationProvider } from "./investigation/rules/rule-based-provider.js";
import { KubernetesClusterReader } from "./kube/cluster-observer.js";
import { type AnalysisMetrics, analysisMetrics, registerStorageReachable } from "./metrics.js";
import { AnalysisReconciler } from "./reconcile/analysis-reconciler.js";
import { ActionHistoryReader } from "./storage/action-history.js";
import { InvestigationMemory } from "./storage/investigation-memory.js";

export interface ControllerOptions {
  config: Config;
  /** Default: from KUBECONFIG, ~/.kube/config or the in-cluster service account. */
  kubeConfig?: KubeConfig;
  logger: Logger;
  /** Called when leadership is lost; default: exit so the pod restarts. */
  onStoppedLeading?: () => void;
}

export interface RunningController {
  manager: Manager;
  publisher: AuditPublisher;
  registry: Registry;
  metrics: AnalysisMetrics;
  /** Stops reconciling (aborting investigations in flight), then flushes audit records for up to SHUTDOWN_TIMEOUT. */
  stop(): Promise<void>;
}

export function investigationProvider(config: Config): InvestigationProvider {
  if (config.INVESTIGATION_PROVIDER === "rules") return new RuleBasedInvestigationProvider();
  if (!config.LLM_URL) throw new Error("LLM_URL: required when INVESTIGATION_PROVIDER=openai");
  return new ChatInvestigationProvider({
    baseUrl: config.LLM_URL,
    apiKey: config.LLM_API_KEY,
    model: config.LLM_MODEL,
    timeoutMs: config.LLM_TIMEOUT,
    responseFormat: config.LLM_RESPONSE_FORMAT,
  });
}

/**
 * Starts the AI analysis controller: informer and work queue for AIAnalysis, leader election, the audit
 * publisher and the probe server (`/healthz`, `/readyz`, `/metrics`). Resolves once started; reconciling
 * begins when this replica leads.
 */
export async function startController(options: ControllerOptions): Promise<RunningController> {
  const { config, logger } = options;
  const kubeConfig = options.kubeConfig ?? loadKubeConfig();
  const registry = new Registry();
  const metrics = analysisMetrics(registry);
  const storage = new StorageClient(storageConnectionFrom(config));
  const publisher = new AuditPublisher({
    client: storage,
    metrics: metrics.audit,
    logger,
    backoff: { capMs: config.AUDIT_RETRY_MAX_INTERVAL },
    ...(config.AUDIT_SPOOL_DIR ? { spoolDir: config.AUDIT_SPOOL_DIR } : {}),
  });
  registerStorageReachable(registry, publisher);
  const memory = new InvestigationMemory(storage, {
    timeoutMs: config.STORAGE_READ_TIMEOUT,
    k: config.SIMILAR_INVESTIGATIONS,
    logger,
    metrics,
  });
  const shutdown = new AbortController();

  const manager = new Manager({
    kubeConfig,
    registry,
    logger,
    ...managerOptionsFrom(config),
    ...(options.onStoppedLeading ? { onStoppedLeading: options.onStoppedLeading } : {}),
  });
  const cluster = new KubernetesClusterReader(kubeConfig, logger);
  manager.addController({
    name: "aianalysis",
    for: aiAnalysisKind,
    concurrency: config.MAX_CONCURRENT_RECONCILES,
    reconciler: new AnalysisReconciler({
      analyses: manager.client<AIAnalysis>(aiAnalysisKind),
      workflows: manager.client<WorkflowExecution>(workflowExecutionKind),
      cluster,
      provider: investigationProvider(config),
      memory,
      history: new ActionHistoryReader(storage, {
        timeoutMs: config.STORAGE_READ_TIMEOUT,
        window: config.HISTORY_WINDOW,
        logger,
        metrics,
      }),
      audit: publisher,
      metrics,
      logger,
      retry: {
        maxAttempts: config.INVESTIGATION_MAX_ATTEMPTS,
        baseDelayMs: config.INVESTIGATION_RETRY_BASE,
        maxDelayMs: config.INVESTIGATION_RETRY_MAX,
      },
      priorWeight: config.HISTORY_PRIOR_WEIGHT,
      now: () => new Date(),
      shutdown: shutdown.signal,
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
      shutdown.abort(new Error("the controller is shutting down"));
      await manager.stop();
      await memory.settle();
      await publisher.close(config.SHUTDOWN_TIMEOUT);
    },
  };
}
