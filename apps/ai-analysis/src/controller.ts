import {
  AuditedManager,
  type ControllerStartOptions,
  type RunningAuditedManager,
} from "@kubernaut/controller-kit";
import {
  type AIAnalysis,
  aiAnalysisKind,
  type WorkflowExecution,
  workflowExecutionKind,
} from "@kubernaut/crds";
import type { Config } from "./config.js";
import { ChatInvestigationProvider } from "./investigation/chat/chat-provider.js";
import type { InvestigationProvider } from "./investigation/request.js";
import { RuleBasedInvestigationProvider } from "./investigation/rules/rule-based-provider.js";
import { KubernetesClusterReader } from "./kube/cluster-observer.js";
import { type AnalysisMetrics, analysisMetrics, registerStorageReachable } from "./metrics.js";
import { AnalysisReconciler } from "./reconcile/analysis-reconciler.js";
import { ActionHistoryReader } from "./storage/action-history.js";
import { InvestigationMemory } from "./storage/investigation-memory.js";

export type ControllerOptions = ControllerStartOptions<Config>;

/** `stop()` also aborts investigations in flight and waits for embeddings still being stored. */
export type RunningController = RunningAuditedManager<AnalysisMetrics>;

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
  const audited = new AuditedManager({ ...options, metrics: analysisMetrics });
  const { kubeConfig, manager, storage, publisher, metrics } = audited;
  registerStorageReachable(audited.registry, publisher);
  const memory = new InvestigationMemory(storage, {
    timeoutMs: config.STORAGE_READ_TIMEOUT,
    k: config.SIMILAR_INVESTIGATIONS,
    logger,
    metrics,
  });
  const shutdown = new AbortController();

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
  return audited.start({
    interrupt: () => shutdown.abort(new Error("the controller is shutting down")),
    settle: () => memory.settle(),
  });
}
