import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { processorMetrics } from "../../src/metrics.js";

describe("processor metrics", () => {
  it("counts every audit record the publisher drops as errors_total{audit_storage_failed, routing}", async () => {
    const registry = new Registry();
    const metrics = processorMetrics(registry);
    const errors = () => registry.getSingleMetricAsString("kubernaut_alertprocessor_errors_total");
    expect(await errors()).toContain('error_type="audit_storage_failed",phase="routing"} 0');
    metrics.audit.dropped.inc({ reason: "rejected" });
    metrics.audit.dropped.inc({ reason: "buffer_full" }, 2);
    expect(await errors()).toContain('error_type="audit_storage_failed",phase="routing"} 3');
    expect(await errors()).toContain('error_type="audit_storage_failed",phase="routing"} 3');
    metrics.audit.dropped.inc({ reason: "shutdown" });
    expect(await errors()).toContain('error_type="audit_storage_failed",phase="routing"} 4');
  });

  it("uses the seed's names for the audit storage metrics", async () => {
    const registry = new Registry();
    processorMetrics(registry);
    const names = (await registry.getMetricsAsJSON()).map((m) => m.name);
    expect(names).toEqual(
      expect.arrayContaining([
        "kubernaut_alertprocessor_audit_storage_attempts_total",
        "kubernaut_alertprocessor_audit_storage_duration_seconds",
        "kubernaut_alertprocessor_errors_total",
      ]),
    );
  });
});
