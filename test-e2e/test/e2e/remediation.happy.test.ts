import { describe, expect, it } from "vitest";
import { useSpecSystem } from "../support/spec-system.js";
import { hasCompleteTrail } from "../support/storage.js";

describe("a remediation of an OOMKilled pod, end to end", () => {
  const spec = useSpecSystem("e2e-happy");

  it("completes, with a timeline from all three controllers, the per-service rows and the analytics", async () => {
    const fingerprint = `oom-${spec.namespace}`;
    const rr = await spec.cluster.remediate(spec.namespace, "api-oom", fingerprint);
    expect(rr.status?.phase).toBe("completed");

    const events = await spec.storage.settledTimeline(fingerprint, hasCompleteTrail);
    const occurred = events.map((e) => Date.parse(e.occurred_at));
    expect(occurred).toEqual([...occurred].sort((a, b) => a - b));
    const firstOf = (prefix: string) => events.findIndex((e) => e.event_type.startsWith(prefix));
    // The orchestrator starts the processing, whose result starts the analysis.
    expect(firstOf("remediation-orchestration.")).toBe(0);
    expect(firstOf("alert-processing.")).toBeGreaterThan(0);
    expect(firstOf("ai-analysis.")).toBeGreaterThan(firstOf("alert-processing."));
    expect(events.at(-1)?.event_type).toBe("remediation-orchestration.completed");
    expect(new Set(events.map((e) => e.event_id)).size).toBe(events.length);

    const [remediation] = await spec.storage.rows("remediation-orchestration", fingerprint);
    expect(remediation).toMatchObject({ remediation_name: "api-oom", overall_phase: "completed" });
    const processing = await spec.storage.rows("alert-processing", fingerprint);
    expect(processing).toHaveLength(1);
    expect(processing[0]).toMatchObject({ environment: "production", status: "completed" });
    const analyses = await spec.storage.rows("ai-analysis", fingerprint);
    expect(analyses).toHaveLength(1);
    expect(analyses[0]).toMatchObject({ completion_status: "completed" });

    const slowest = await spec.storage.analytics("slowest-orchestrations", "?limit=10000");
    expect(slowest.map((r) => r.remediation_name)).toContain("api-oom");
    const success = await spec.storage.analytics("orchestration-success-rate");
    const completed = success.find((r) => r.overall_phase === "completed");
    expect(Number(completed?.successful)).toBeGreaterThanOrEqual(1);
    const classification = await spec.storage.analytics("classification-accuracy");
    expect(classification.map((r) => r.environment)).toContain("production");
  });
});
