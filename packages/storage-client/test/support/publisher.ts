import { Registry } from "prom-client";
import {
  type AuditMetrics,
  AuditPublisher,
  type AuditPublisherOptions,
  auditMetrics,
} from "../../src/index.js";
import type { FakeTransport } from "./fake-transport.js";
import { recordingLogger } from "./logger.js";

/** A publisher over a fake transport, with deterministic jitter (always the largest delay) and its own registry. */
export function publisherFor(transport: FakeTransport, options: Partial<AuditPublisherOptions> = {}) {
  const registry = new Registry();
  const metrics: AuditMetrics = auditMetrics(registry, "orchestrator");
  const logger = recordingLogger();
  const publisher = new AuditPublisher({
    client: transport,
    metrics,
    logger,
    random: () => 0.999_999,
    ...options,
  });
  return { publisher, registry, metrics, logger };
}

export async function metricValue(registry: Registry, name: string, labels: Record<string, string> = {}) {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  if (!metric) throw new Error(`metric ${name} is not registered`);
  const value = metric.values.find((v) =>
    Object.entries(labels).every(([k, l]) => (v.labels as Record<string, unknown>)[k] === l),
  );
  return value?.value ?? 0;
}
