import { describe, expect, it } from "vitest";
import { expectCompleteAuditTrail } from "../support/audit-trail.js";
import { useSpecSystem } from "../support/spec-system.js";

describe("a remediation of an OOMKilled pod, end to end", () => {
  const spec = useSpecSystem("e2e-happy");

  it("completes, with a timeline from all three controllers, the per-service rows and the analytics", async () => {
    const fingerprint = `oom-${spec.namespace}`;
    const rr = await spec.cluster.remediate(spec.namespace, "api-oom", fingerprint);
    expect(rr.status?.phase).toBe("completed");

    // Every record of each controller, once each, and the three per-service rows saying the same.
    const events = await expectCompleteAuditTrail(spec.storage, fingerprint, "api-oom");
    const occurred = events.map((e) => Date.parse(e.occurred_at));
    expect(occurred).toEqual([...occurred].sort((a, b) => a - b));
    const firstOf = (prefix: string) => events.findIndex((e) => e.event_type.startsWith(prefix));
    // The orchestrator starts the processing, whose result starts the analysis.
    expect(firstOf("remediation-orchestration.")).toBe(0);
    expect(firstOf("alert-processing.")).toBeGreaterThan(0);
    expect(firstOf("ai-analysis.")).toBeGreaterThan(firstOf("alert-processing."));

    const slowest = await spec.storage.analytics("slowest-orchestrations", "?limit=10000");
    expect(slowest.map((r) => r.remediation_name)).toContain("api-oom");
    const success = await spec.storage.analytics("orchestration-success-rate");
    const completed = success.find((r) => r.overall_phase === "completed");
    expect(Number(completed?.successful)).toBeGreaterThanOrEqual(1);
    const classification = await spec.storage.analytics("classification-accuracy");
    expect(classification.map((r) => r.environment)).toContain("production");
  });
});
