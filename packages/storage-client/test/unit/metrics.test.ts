import { Registry, register } from "prom-client";
import { describe, expect, it } from "vitest";
import { AUDIT_METRIC_NAMES, auditMetrics } from "../../src/index.js";

async function described(registry: Registry) {
  return Object.fromEntries(
    (await registry.getMetricsAsJSON()).map((m) => [
      m.name,
      { type: m.type, labels: m.values.map((v) => v.labels) },
    ]),
  );
}

describe("auditMetrics", () => {
  it("registers the orchestrator's seed names, with the seed's buckets", async () => {
    const registry = new Registry();
    auditMetrics(registry, "orchestrator");
    const metrics = await described(registry);
    expect(Object.keys(metrics).sort()).toEqual([
      "kubernaut_orchestrator_audit_publish_attempts_total",
      "kubernaut_orchestrator_audit_publish_duration_seconds",
      "kubernaut_orchestrator_audit_publish_failures_total",
      "kubernaut_orchestrator_audit_records_dropped_total",
      "kubernaut_orchestrator_pending_audit_records",
    ]);
    expect(metrics.kubernaut_orchestrator_audit_publish_attempts_total?.labels).toEqual([
      { status: "success" },
      { status: "error" },
    ]);
    expect(metrics.kubernaut_orchestrator_audit_records_dropped_total?.labels).toEqual([
      { reason: "buffer_full" },
      { reason: "rejected" },
      { reason: "dead_letter" },
      { reason: "shutdown" },
    ]);
    const text = await registry.metrics();
    for (const le of ["0.01", "0.05", "0.1", "0.25", "0.5", "1", "2", "+Inf"]) {
      expect(text).toContain(`kubernaut_orchestrator_audit_publish_duration_seconds_bucket{le="${le}"} 0`);
    }
  });

  it("registers the alert processor's audit_storage names, with buckets up to 1 s", async () => {
    const registry = new Registry();
    auditMetrics(registry, "alertprocessor");
    expect(Object.keys(await described(registry)).sort()).toEqual([
      "kubernaut_alertprocessor_audit_records_dropped_total",
      "kubernaut_alertprocessor_audit_storage_attempts_total",
      "kubernaut_alertprocessor_audit_storage_duration_seconds",
      "kubernaut_alertprocessor_audit_storage_failures_total",
      "kubernaut_alertprocessor_pending_audit_records",
    ]);
    const text = await registry.metrics();
    expect(text).toContain('kubernaut_alertprocessor_audit_storage_duration_seconds_bucket{le="1"} 0');
    expect(text).not.toContain('kubernaut_alertprocessor_audit_storage_duration_seconds_bucket{le="2"}');
  });

  it("registers the AI analysis controller's names in parallel to the orchestrator's", async () => {
    const registry = new Registry();
    auditMetrics(registry, "aianalysis");
    expect(Object.keys(await described(registry)).sort()).toEqual([
      "kubernaut_aianalysis_audit_publish_attempts_total",
      "kubernaut_aianalysis_audit_publish_duration_seconds",
      "kubernaut_aianalysis_audit_publish_failures_total",
      "kubernaut_aianalysis_audit_records_dropped_total",
      "kubernaut_aianalysis_pending_audit_records",
    ]);
    expect(AUDIT_METRIC_NAMES.aianalysis.buckets).toEqual(AUDIT_METRIC_NAMES.orchestrator.buckets);
  });

  it("reads the pending gauge from the tracked publishers at each scrape", async () => {
    const registry = new Registry();
    const metrics = auditMetrics(registry, "alertprocessor");
    let a = 3;
    const stop = metrics.trackPending(() => a);
    metrics.trackPending(() => 4);
    expect(await registry.metrics()).toContain("kubernaut_alertprocessor_pending_audit_records 7");
    a = 10;
    expect(await registry.metrics()).toContain("kubernaut_alertprocessor_pending_audit_records 14");
    stop();
    expect(await registry.metrics()).toContain("kubernaut_alertprocessor_pending_audit_records 4");
  });

  it("never touches the global registry", async () => {
    auditMetrics(new Registry(), "orchestrator");
    expect(await register.getMetricsAsJSON()).toEqual([]);
  });

  it("names an unknown preset", () => {
    expect(() => auditMetrics(new Registry(), "gateway" as never)).toThrow(
      /unknown audit metrics preset "gateway"/,
    );
  });
});
