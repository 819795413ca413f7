import { randomBytes } from "node:crypto";
import { ResourceClient, silentLogger } from "@kubernaut/controller-runtime";
import { apiVersion, kinds, type RemediationProcessing } from "@kubernaut/crds";
import { AlertProcessingAuditPage, type AlertProcessingAuditRecord } from "@kubernaut/schema";
import { createOomKilledWorkload, testKubeConfig } from "@kubernaut/testing/kube";
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

export function suffix(): string {
  return randomBytes(3).toString("hex");
}

/** The processor in-process against the test API server, watching one namespace, without leader election. */
export function runProcessor(
  kubeConfig: KubeConfig,
  namespace: string,
  storageUrl: string,
): Promise<RunningProcessor> {
  const config = loadConfig({
    STORAGE_URL: storageUrl,
    STORAGE_TIMEOUT: "2s",
    AUDIT_RETRY_MAX_INTERVAL: "1s",
    WATCH_NAMESPACE: namespace,
    LEADER_ELECTION: "false",
    PROBE_PORT: "0",
    PROBE_HOST: "127.0.0.1",
    SHUTDOWN_TIMEOUT: "2s",
  });
  return startProcessor({ config, kubeConfig, logger: silentLogger });
}

export class Cluster {
  readonly kubeConfig = testKubeConfig();
  readonly core = this.kubeConfig.makeApiClient(CoreV1Api);
  readonly processings = new ResourceClient<RemediationProcessing>(
    this.kubeConfig,
    kinds.remediationProcessing,
  );

  async namespace(name: string, labels: Record<string, string>): Promise<void> {
    await this.core.createNamespace({ body: { metadata: { name, labels } } });
  }

  async deleteNamespace(name: string): Promise<void> {
    await this.core.deleteNamespace({ name }).catch(() => undefined);
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
  const response = await fetch(
    `${storageUrl}/api/v1/audit/alert-processing?fingerprint=${encodeURIComponent(fingerprint)}`,
  );
  if (!response.ok) throw new Error(`storage answered ${response.status}: ${await response.text()}`);
  return AlertProcessingAuditPage.parse(await response.json()).items;
}
