import type { Logger, ObjectKey } from "@kubernaut/controller-runtime";
import type { AIAnalysis, AIAnalysisStatus, AlertContext, WorkflowExecution } from "@kubernaut/crds";
import type { ResourceLookup } from "../analysis/hallucination.js";
import type { AIAnalysisAuditRecord } from "../audit/audit-events.js";
import type { InvestigationFindings } from "../investigation/findings.js";
import type {
  ClusterObservations,
  InvestigationProvider,
  SimilarInvestigation,
} from "../investigation/request.js";
import type { AnalysisMetrics } from "../metrics.js";
import type { ActionHistoryByAction } from "../recommending/ranking.js";
import type { RetryPolicy } from "./retry.js";

/** The AIAnalysis API (a `ResourceClient<AIAnalysis>` fits). */
export interface AIAnalysisAccess {
  get(key: ObjectKey): Promise<AIAnalysis | undefined>;
  /** Merge patch of `/status`; answers the object as stored. */
  patchStatus(key: ObjectKey, status: AIAnalysisStatus): Promise<AIAnalysis>;
}

/** The WorkflowExecution API (a `ResourceClient<WorkflowExecution>` fits). */
export interface WorkflowExecutionAccess {
  get(key: ObjectKey): Promise<WorkflowExecution | undefined>;
  create(object: WorkflowExecution): Promise<WorkflowExecution>;
}

/** What the reconciler reads from the cluster besides its own objects. */
export interface ClusterAccess extends ResourceLookup {
  observe(alert: AlertContext): Promise<ClusterObservations>;
}

/** Past investigations: best-effort, never throws. */
export interface InvestigationRecall {
  recall(environment: string, symptoms: string): Promise<SimilarInvestigation[]>;
  remember(analysis: AIAnalysis, symptoms: string, findings: InvestigationFindings): void;
}

/** Historical success per action: best-effort, an empty map when unavailable. */
export interface ActionHistorySource {
  historyFor(environment: string): Promise<ActionHistoryByAction>;
}

/** Fire-and-forget audit (an `AuditPublisher` fits). */
export interface AuditSink {
  publish(record: AIAnalysisAuditRecord): boolean;
}

export interface AnalysisReconcilerDeps {
  analyses: AIAnalysisAccess;
  workflows: WorkflowExecutionAccess;
  cluster: ClusterAccess;
  provider: InvestigationProvider;
  memory: InvestigationRecall;
  history: ActionHistorySource;
  audit: AuditSink;
  metrics: AnalysisMetrics;
  logger: Logger;
  retry: RetryPolicy;
  /** How many recorded outcomes the investigator's estimate is worth when blending in history. */
  priorWeight: number;
  now: () => Date;
  /** Aborted on shutdown, so an investigation in flight stops. */
  shutdown: AbortSignal;
}
