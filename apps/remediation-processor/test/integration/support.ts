import { ResourceClient, silentLogger } from "@kubernaut/controller-runtime";
import { apiVersion, kinds, type RemediationProcessing } from "@kubernaut/crds";
import { AlertProcessingAuditPage, type AlertProcessingAuditRecord } from "@kubernaut/schema/contracts";
import { inProcessControllerEnv, randomSuffix, readStorageJson } from "@kubernaut/testing/controller";
import {
  createNamespace,
  createOomKilledWorkload,
  deleteNamespace,
  testKubeConfig,
} from "@kubernaut/testing/kube";
import { waitFor } from "@kubernaut/testing/wait";
import { CoreV1Api, type KubeConfig } from "@kubernetes/client-node";
import { loadConfig } from "../../src/config.js";
import { type RunningProcessor, startProcessor } from "../../src/controller.js";

/**
 * The text of the processor's metric `name` once it matches `pattern`. Delivery is counted when the
 * storage service's answer is back, a moment after the stored row can already be read.
 */
export function metricMatching(processor: RunningProcessor, name: string, pattern: RegExp): Promise<string> {
  return waitFor(
    `${name} to match ${pattern}`,
    async () => {
      const text = await processor.registry.getSingleMetricAsString(name);
      return pattern.test(text) ? text : undefined;
    },
    30_000,
  );
}

/** Six random hex digits, for names that must not collide between tests and runs. */
export const suffix = randomSuffix;

/** The processor in-process against the test API server, watching one namespace, without leader election. */
export function runProcessor(
  kubeConfig: KubeConfig,
  namespace: string,
  storageUrl: string,
): Promise<RunningProcessor> {
  const config = loadConfig(
    inProcessControllerEnv(namespace, storageUrl, { AUDIT_RETRY_MAX_INTERVAL: "1s" }),
  );
  return startProcessor({ config, kubeConfig, logger: silentLogger });
}

export class Cluster {
  readonly kubeConfig = testKubeConfig();
  readonly core = this.kubeConfig.makeApiClient(CoreV1Api);
  readonly processings = new ResourceClient<RemediationProcessing>(
    this.kubeConfig,
    kinds.remediationProcessing,
  );

  namespace(name: string, labels: Record<string, string>): Promise<void> {
    return createNamespace(this.core, name, labels);
  }

  deleteNamespace(name: string): Promise<void> {
    return deleteNamespace(this.core, name);
  }

  /** A Deployment `name` with a 256Mi memory limit, and one of its pods whose container was OOMKilled. */
  oomKilledDeployment(namespace: string, name: string): Promise<string> {
    return createOomKilledWorkload(this.kubeConfig, namespace, name);
  }

  async createProcessing(
    namespace: string,
    name: string,
    fingerprint: string,
    target: { kind: string; name: string },
    contextSources?: string[],
  ) {
    return this.processings.create({
      apiVersion,
      kind: "RemediationProcessing",
      metadata: { name, namespace },
      spec: {
        remediationRequestRef: { name: `rr-${name}`, namespace },
        signal: {
          fingerprint,
          name: "PodOOMKilled",
          severity: "critical",
          targetResource: { ...target, namespace },
        },
        ...(contextSources ? { enrichmentConfig: { contextSources } } : {}),
      },
    });
  }

  async processing(namespace: string, name: string): Promise<RemediationProcessing | undefined> {
    return this.processings.get({ namespace, name });
  }
}

/** The `alert_processing_audit` rows of a fingerprint, read through the storage API. */
export async function alertProcessingRows(
  storageUrl: string,
  fingerprint: string,
): Promise<AlertProcessingAuditRecord[]> {
  return AlertProcessingAuditPage.parse(
    await readStorageJson(
      storageUrl,
      `/api/v1/audit/alert-processing?fingerprint=${encodeURIComponent(fingerprint)}`,
    ),
  ).items;
}
