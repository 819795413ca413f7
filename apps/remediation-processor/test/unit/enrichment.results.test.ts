import { describe, expect, it } from "vitest";
import { requestedSources } from "../../src/enrichment/context.js";
import {
  contextQuality,
  contextSizeBytes,
  enrichmentOutcome,
  SUMMARY_MAX_CHARS,
} from "../../src/enrichment/results.js";
import { oomContext } from "./fixtures.js";

describe("context quality", () => {
  it("is the share of asked sources that answered", () => {
    const context = oomContext();
    expect(contextQuality(context)).toBe(1);
    context.outcomes.workload = { ok: false, reason: "not found" };
    context.outcomes.pods = { ok: false, reason: "not found" };
    expect(contextQuality(context)).toBe(0.5);
    context.outcomes.metrics = { ok: false, reason: "no reader for this source" };
    expect(contextQuality(context)).toBe(0.4);
  });

  it("is 0 when nothing was asked or nothing answered", () => {
    expect(contextQuality({ outcomes: {} })).toBe(0);
    expect(contextQuality({ outcomes: { namespace: { ok: false, reason: "forbidden" } } })).toBe(0);
  });
});

describe("context size", () => {
  it("counts the UTF-8 bytes of the serialised context", () => {
    const context = oomContext();
    expect(contextSizeBytes(context)).toBe(Buffer.byteLength(JSON.stringify(context)));
    const bigger = oomContext();
    bigger.namespace = { name: "payments", labels: { team: "é".repeat(10) }, annotations: {} };
    expect(contextSizeBytes(bigger)).toBe(Buffer.byteLength(JSON.stringify(bigger)));
  });
});

describe("requestedSources", () => {
  it("defaults to all cluster sources and expands 'kubernetes'", () => {
    expect(requestedSources(undefined)).toEqual(["namespace", "workload", "pods", "events"]);
    expect(requestedSources(["kubernetes", "metrics", "events"])).toEqual([
      "namespace",
      "workload",
      "pods",
      "events",
      "metrics",
    ]);
    expect(requestedSources(["namespace"])).toEqual(["namespace"]);
  });
});

describe("enrichmentOutcome", () => {
  it("summarises the target's health for AI analysis", () => {
    const { results, degradedMode, failedSources } = enrichmentOutcome(
      oomContext(),
      1_500_000,
      new Date("2025-01-15T10:00:01.5Z"),
    );
    expect(degradedMode).toBe(false);
    expect(failedSources).toEqual([]);
    expect(results).toMatchObject({
      completedAt: "2025-01-15T10:00:01.500Z",
      duration: "1.5ms",
      enrichmentQuality: 1,
      contextSources: ["namespace", "workload", "pods", "events"],
      targetResourceFound: true,
      relatedEventCount: 1,
      namespaceLabels: { environment: "production" },
      targetResourceLabels: { app: "api" },
    });
    expect(results.summary).toContain(
      "Deployment api: 1/2 ready; containers app(requests memory=128Mi limits memory=256Mi)",
    );
    expect(results.summary).toContain("last terminated OOMKilled (exit 137)");
    expect(results.summary).toContain("Warning BackOff x12");
  });

  it("flags degraded mode and names the failed sources", () => {
    const context = oomContext();
    delete context.workload;
    delete context.pods;
    context.outcomes.workload = { ok: false, reason: 'deployments.apps "api" not found' };
    context.outcomes.pods = { ok: false, reason: 'deployments.apps "api" not found' };
    const { results, degradedMode, failedSources } = enrichmentOutcome(context, 0, new Date());
    expect(degradedMode).toBe(true);
    expect(failedSources.map((s) => s.name)).toEqual(["workload", "pods"]);
    expect(results.enrichmentQuality).toBe(0.5);
    expect(results.targetResourceFound).toBe(false);
    expect(results.summary).toContain('unavailable workload: deployments.apps "api" not found');
  });

  it("bounds the summary and drops manifest-sized annotations", () => {
    const context = oomContext();
    context.events = Array.from({ length: 200 }, (_, i) => ({
      type: "Warning",
      reason: "BackOff",
      message: `message ${i} ${"x".repeat(80)}`,
      count: 1,
      involvedObject: "Pod/p",
    }));
    context.namespace = {
      name: "payments",
      labels: {},
      annotations: { "kubectl.kubernetes.io/last-applied-configuration": "{}", note: "y".repeat(1000) },
    };
    const { results } = enrichmentOutcome(context, 0, new Date());
    expect(results.summary?.length).toBe(SUMMARY_MAX_CHARS);
    expect(results.summary?.endsWith("…")).toBe(true);
    expect(Object.keys(results.namespaceAnnotations ?? {})).toEqual(["note"]);
    expect(results.namespaceAnnotations?.note?.length).toBe(256);
  });
});
