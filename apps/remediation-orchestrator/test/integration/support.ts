import { ResourceClient, silentLogger } from "@kubernaut/controller-runtime";
import {
  type AIAnalysis,
  apiVersion,
  kinds,
  type RemediationProcessing,
  type RemediationRequest,
  type WorkflowExecution,
} from "@kubernaut/crds";
import {
  AuditTimeline,
  RemediationAuditPage,
  type RemediationAuditRecord,
} from "@kubernaut/schema/contracts";
import { inProcessControllerEnv, randomSuffix, readStorageJson } from "@kubernaut/testing/controller";
import { createNamespace, deleteNamespace, testKubeConfig } from "@kubernaut/testing/kube";
import { waitFor } from "@kubernaut/testing/wait";
import { CoreV1Api } from "@kubernetes/client-node";
import { loadConfig } from "../../src/config.js";
import { type RunningOrchestrator, startOrchestrator } from "../../src/controller.js";

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Six random hex digits, for names that must not collide between tests and runs. */
export const suffix = randomSuffix;

/** The orchestrator in-process, watching one namespace, without leader election unless `env` turns it on. */
export function runOrchestrator(
  namespace: string,
  storageUrl: string,
  env: Record<string, string> = {},
): Promise<RunningOrchestrator> {
  const config = loadConfig(
    inProcessControllerEnv(namespace, storageUrl, {
      AUDIT_RETRY_MAX_INTERVAL: "1s",
      AUDIT_CONFIRM_INTERVAL: "500ms",
      AUDIT_CONFIRM_TIMEOUT: "1s",
      ...env,
    }),
  );
  return startOrchestrator({ config, kubeConfig: testKubeConfig(), logger: silentLogger });
}

/** The test's view of the cluster: creates requests and plays the neighbouring controllers. */
export class Cluster {
  readonly kubeConfig = testKubeConfig();
  readonly core = this.kubeConfig.makeApiClient(CoreV1Api);
  readonly requests = new ResourceClient<RemediationRequest>(this.kubeConfig, kinds.remediationRequest);
  readonly processings = new ResourceClient<RemediationProcessing>(
    this.kubeConfig,
    kinds.remediationProcessing,
  );
  readonly analyses = new ResourceClient<AIAnalysis>(this.kubeConfig, kinds.aiAnalysis);
  readonly workflows = new ResourceClient<WorkflowExecution>(this.kubeConfig, kinds.workflowExecution);

  namespace(name: string, labels: Record<string, string> = {}): Promise<void> {
    return createNamespace(this.core, name, labels);
  }

  deleteNamespace(name: string): Promise<void> {
    return deleteNamespace(this.core, name);
  }

  async createRequest(
    namespace: string,
    name: string,
    fingerprint: string,
    spec: Partial<RemediationRequest["spec"]> = {},
  ) {
    return this.requests.create({
      apiVersion,
      kind: "RemediationRequest",
      metadata: { name, namespace },
      spec: {
        signalFingerprint: fingerprint,
        signalName: "PodOOMKilled",
        severity: "critical",
        environment: "production",
        targetResource: { kind: "Deployment", name: "api", namespace: "payments" },
        firingTime: new Date().toISOString(),
        ...spec,
      },
    });
  }

  request(namespace: string, name: string) {
    return this.requests.get({ namespace, name });
  }

  /** Waits until the request reaches `phase` and answers it. */
  inPhase(namespace: string, name: string, phase: string, timeoutMs = 60_000) {
    return waitFor(
      `${name} to reach ${phase}`,
      async () => {
        const rr = await this.request(namespace, name);
        return rr?.status?.phase === phase ? rr : undefined;
      },
      timeoutMs,
    );
  }

  /** Plays the processor: the request's RemediationProcessing completes with classification and enrichment. */
  async completeProcessing(namespace: string, rrName: string): Promise<RemediationProcessing> {
    const name = `${rrName}-processing`;
    await waitFor(`${name} to exist`, () => this.processings.get({ namespace, name }));
    const now = new Date().toISOString();
    return this.processings.patchStatus(
      { namespace, name },
      {
        phase: "completed",
        completedAt: now,
        phaseTransitions: { completed: now },
        degradedMode: false,
        enrichmentResults: {
          completedAt: now,
          duration: "120ms",
          enrichmentQuality: 1,
          contextSizeBytes: 2048,
          namespaceLabels: { "kubernaut.ai/environment": "production" },
          summary:
            "pod api-1 container app: CrashLoopBackOff, restarts 5, last terminated OOMKilled (exit 137)",
        },
        environmentClassification: {
          environment: "production",
          confidence: 0.95,
          businessPriority: "P0",
          slaRequirement: "5m",
          classificationMethod: "namespace-label",
        },
        routing: { routedToService: "ai-analysis", routingPriority: 0, routingKey: "production.P0.fp" },
      },
    );
  }

  async failProcessing(namespace: string, rrName: string, errorMessage: string): Promise<void> {
    const name = `${rrName}-processing`;
    await waitFor(`${name} to exist`, () => this.processings.get({ namespace, name }));
    await this.processings.patchStatus(
      { namespace, name },
      { phase: "failed", failedPhase: "enriching", errorMessage, completedAt: new Date().toISOString() },
    );
  }

  /**
   * Plays AI analysis: creates the WorkflowExecution (owned by the AIAnalysis) and completes the analysis
   * naming it.
   */
  async completeAnalysis(namespace: string, rrName: string): Promise<WorkflowExecution> {
    const name = `${rrName}-analysis`;
    const analysis = await waitFor(`${name} to exist`, () => this.analyses.get({ namespace, name }));
    const workflow = await this.workflows.create({
      apiVersion,
      kind: "WorkflowExecution",
      metadata: {
        name: `${rrName}-workflow`,
        namespace,
        ownerReferences: [
          {
            apiVersion,
            kind: "AIAnalysis",
            name,
            uid: analysis.metadata.uid ?? "",
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: {
        remediationRequestRef: { name: rrName, namespace },
        aiAnalysisRef: { name, namespace },
        action: "increase-memory-limit",
        targetResource: { kind: "Deployment", name: "api", namespace: "payments" },
      },
    });
    const now = new Date().toISOString();
    await this.analyses.patchStatus(
      { namespace, name },
      {
        phase: "completed",
        completedAt: now,
        confidenceScore: 0.9,
        workflowExecutionRef: { name: workflow.metadata.name ?? "", namespace },
      },
    );
    return workflow;
  }

  /** Plays the workflow engine. */
  async finishWorkflow(
    namespace: string,
    rrName: string,
    phase: "completed" | "failed" = "completed",
  ): Promise<void> {
    const now = new Date().toISOString();
    await this.workflows.patchStatus(
      { namespace, name: `${rrName}-workflow` },
      {
        phase,
        startTime: now,
        completedAt: now,
        ...(phase === "failed" ? { message: "rollout stuck" } : {}),
      },
    );
  }

  /** Plays every neighbour in turn, waiting for the orchestrator between steps. */
  async driveToCompletion(namespace: string, rrName: string): Promise<RemediationRequest> {
    await this.inPhase(namespace, rrName, "processing");
    await this.completeProcessing(namespace, rrName);
    await this.inPhase(namespace, rrName, "analyzing");
    await this.completeAnalysis(namespace, rrName);
    await this.inPhase(namespace, rrName, "executing");
    await this.finishWorkflow(namespace, rrName);
    return this.inPhase(namespace, rrName, "completed");
  }
}

export class StorageReader {
  constructor(readonly url: string) {}

  /** The `remediation_audit` rows of a fingerprint. */
  async remediationRows(fingerprint: string): Promise<RemediationAuditRecord[]> {
    return RemediationAuditPage.parse(
      await readStorageJson(
        this.url,
        `/api/v1/audit/remediation-orchestration?fingerprint=${encodeURIComponent(fingerprint)}`,
      ),
    ).items;
  }

  /** Waits for the one row of a remediation matching `accept`. */
  row(fingerprint: string, accept: (row: RemediationAuditRecord) => boolean, timeoutMs = 60_000) {
    return waitFor(
      `a remediation_audit row of ${fingerprint}`,
      async () => (await this.remediationRows(fingerprint)).find(accept),
      timeoutMs,
    );
  }

  async timeline(fingerprint: string) {
    return AuditTimeline.parse(
      await readStorageJson(this.url, `/api/v1/audit/timeline/${encodeURIComponent(fingerprint)}`),
    ).items;
  }
}
