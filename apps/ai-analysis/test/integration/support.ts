import { ResourceClient, silentLogger } from "@kubernaut/controller-runtime";
import { type AIAnalysis, apiVersion, kinds, type WorkflowExecution } from "@kubernaut/crds";
import { AIAnalysisAuditPage, type AIAnalysisAuditRecord } from "@kubernaut/schema/contracts";
import { inProcessControllerEnv, randomSuffix, readStorageJson } from "@kubernaut/testing/controller";
import {
  createNamespace,
  createOomKilledWorkload,
  deleteNamespace,
  testKubeConfig,
} from "@kubernaut/testing/kube";
import { waitFor } from "@kubernaut/testing/wait";
import { CoreV1Api } from "@kubernetes/client-node";
import { loadConfig } from "../../src/config.js";
import { type RunningController, startController } from "../../src/controller.js";

/** Six random hex digits, for names that must not collide between tests and runs. */
export const suffix = randomSuffix;

/** The controller in-process against the test API server, watching one namespace, without leader election. */
export function runController(
  namespace: string,
  storageUrl: string,
  env: Record<string, string> = {},
): Promise<RunningController> {
  const config = loadConfig(
    inProcessControllerEnv(namespace, storageUrl, { STORAGE_READ_TIMEOUT: "2s", ...env }),
  );
  return startController({ config, kubeConfig: testKubeConfig(), logger: silentLogger });
}

export class Cluster {
  readonly kubeConfig = testKubeConfig();
  readonly core = this.kubeConfig.makeApiClient(CoreV1Api);
  readonly analyses = new ResourceClient<AIAnalysis>(this.kubeConfig, kinds.aiAnalysis);
  readonly workflows = new ResourceClient<WorkflowExecution>(this.kubeConfig, kinds.workflowExecution);

  namespace(name: string, labels: Record<string, string> = {}): Promise<void> {
    return createNamespace(this.core, name, labels);
  }

  deleteNamespace(name: string): Promise<void> {
    return deleteNamespace(this.core, name);
  }

  /** Deployment `name` → ReplicaSet → Pod, its container OOMKilled at a 256Mi limit. Answers the pod name. */
  oomKilledPod(namespace: string, name: string): Promise<string> {
    return createOomKilledWorkload(this.kubeConfig, namespace, name);
  }

  /** An AIAnalysis as the orchestrator creates it, for an OOMKilled signal on `pod`. */
  createAnalysis(
    namespace: string,
    name: string,
    fingerprint: string,
    pod: string,
    environment = "production",
  ) {
    return this.analyses.create({
      apiVersion,
      kind: "AIAnalysis",
      metadata: { name, namespace },
      spec: {
        remediationRequestRef: { name: `rr-${name}`, namespace },
        analysisRequest: {
          alertContext: {
            fingerprint,
            environment,
            severity: "critical",
            signalName: "KubePodOOMKilled",
            namespace,
            targetResource: { kind: "Pod", name: pod, namespace },
            businessPriority: "P0",
          },
        },
      },
    });
  }

  /** Waits until the analysis reaches `completed` or `failed`. */
  finished(namespace: string, name: string, timeoutMs = 60_000): Promise<AIAnalysis> {
    return waitFor(
      `AIAnalysis ${namespace}/${name} to finish`,
      async () => {
        const analysis = await this.analyses.get({ namespace, name });
        const phase = analysis?.status?.phase;
        return phase === "completed" || phase === "failed" ? analysis : undefined;
      },
      timeoutMs,
    );
  }
}

/** The `ai_analysis_audit` rows of a fingerprint, read through the storage API. */
export async function aiAnalysisRows(
  storageUrl: string,
  fingerprint: string,
): Promise<AIAnalysisAuditRecord[]> {
  return AIAnalysisAuditPage.parse(
    await readStorageJson(
      storageUrl,
      `/api/v1/audit/ai-analysis?fingerprint=${encodeURIComponent(fingerprint)}`,
    ),
  ).items;
}

/** Waits until the fingerprint's one merged row has every field `done` asks for. */
export function mergedRow(
  storageUrl: string,
  fingerprint: string,
  done: (row: AIAnalysisAuditRecord) => boolean,
  timeoutMs = 30_000,
): Promise<AIAnalysisAuditRecord> {
  return waitFor(
    `the ai_analysis_audit row of ${fingerprint}`,
    async () => {
      const rows = await aiAnalysisRows(storageUrl, fingerprint).catch(() => []);
      if (rows.length > 1)
        throw new Error(`expected one merged row for ${fingerprint}, found ${rows.length}`);
      return rows[0] && done(rows[0]) ? rows[0] : undefined;
    },
    timeoutMs,
  );
}
