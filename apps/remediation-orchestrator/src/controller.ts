import {
  AuditedManager,
  type ControllerStartOptions,
  type RunningAuditedManager,
} from "@kubernaut/controller-kit";
import {
  type AIAnalysis,
  kinds,
  type RemediationProcessing,
  type RemediationRequest,
  type WorkflowExecution,
} from "@kubernaut/crds";
import { TimelineLedger } from "./audit-ledger.js";
import { AuditTrail } from "./audit-trail.js";
import { type Config, settingsFrom } from "./config.js";
import { type OrchestratorMetrics, orchestratorMetrics, registerStorageReachable } from "./metrics.js";
import { RemediationReconciler } from "./reconciler.js";
import { RetentionKeeper } from "./retention-keeper.js";

export interface OrchestratorOptions extends ControllerStartOptions<Config> {
  now?: () => Date;
}

export type RunningOrchestrator = RunningAuditedManager<OrchestratorMetrics>;

/**
 * Starts the remediation orchestrator: informers for RemediationRequest and its three child kinds, the
 * work queue, leader election, the audit publisher and the probe server. Resolves once started;
 * reconciling begins when this replica leads.
 */
export async function startOrchestrator(options: OrchestratorOptions): Promise<RunningOrchestrator> {
  const { config, logger } = options;
  const now = options.now ?? (() => new Date());
  const settings = settingsFrom(config);
  const audited = new AuditedManager({ ...options, metrics: orchestratorMetrics });
  const { manager, storage, publisher, metrics } = audited;
  registerStorageReachable(audited.registry, publisher);

  const requests = manager.client<RemediationRequest>(kinds.remediationRequest);
  const caches = {
    processings: manager.informer<RemediationProcessing>(kinds.remediationProcessing),
    analyses: manager.informer<AIAnalysis>(kinds.aiAnalysis),
    workflows: manager.informer<WorkflowExecution>(kinds.workflowExecution),
  };
  const requestCache = manager.informer<RemediationRequest>(kinds.remediationRequest);
  const events = manager.eventRecorder("remediation-orchestrator");
  const trail = new AuditTrail(publisher, logger, now);
  const retention = new RetentionKeeper({
    requests,
    caches,
    ledger: new TimelineLedger(storage, config.AUDIT_CONFIRM_TIMEOUT),
    trail,
    events,
    metrics,
    logger,
    settings,
    now,
  });
  const enqueue = (key: { namespace: string; name: string }) =>
    controller.queue.add(`${key.namespace}/${key.name}`);
  const controller = manager.addController({
    name: "remediationrequest",
    for: kinds.remediationRequest,
    owns: [kinds.remediationProcessing, kinds.aiAnalysis],
    watches: [
      // WorkflowExecutions are owned by their AIAnalysis, not by the request: map them back through their spec.
      {
        kind: kinds.workflowExecution,
        map: (workflow: WorkflowExecution) => {
          const ref = workflow.spec?.remediationRequestRef;
          return ref ? [ref] : [];
        },
      },
      // A request marked duplicate changes its original's duplicate count.
      {
        kind: kinds.remediationRequest,
        map: (request: RemediationRequest) => {
          const original = request.status?.duplicateOf;
          const namespace = request.metadata.namespace;
          return original && namespace ? [{ namespace, name: original }] : [];
        },
      },
    ],
    concurrency: config.MAX_CONCURRENT_RECONCILES,
    reconciler: new RemediationReconciler({
      requests,
      processings: manager.client<RemediationProcessing>(kinds.remediationProcessing),
      analyses: manager.client<AIAnalysis>(kinds.aiAnalysis),
      requestCache,
      caches,
      trail,
      retention,
      events,
      metrics,
      logger,
      settings,
      enqueue,
      now,
    }),
  });

  return audited.start();
}
