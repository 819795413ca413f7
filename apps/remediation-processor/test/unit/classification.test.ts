import { describe, expect, it } from "vitest";
import {
  businessPriority,
  CONFIDENCE,
  classify,
  classifyEnvironment,
  environmentFromName,
  SLA_BY_PRIORITY,
} from "../../src/classification.js";

describe("classifyEnvironment", () => {
  it("prefers the kubernaut.ai/environment label, normalising its spelling", () => {
    expect(
      classifyEnvironment({
        namespace: "payments-dev",
        namespaceLabels: { "kubernaut.ai/environment": "Prod", environment: "staging" },
        environmentHint: undefined,
      }),
    ).toEqual({ environment: "production", confidence: 0.95, classificationMethod: "namespace-label" });
  });

  it("falls back to the plain environment label and keeps an unfamiliar value as written", () => {
    expect(
      classifyEnvironment({
        namespace: "x",
        namespaceLabels: { environment: "Canary" },
        environmentHint: undefined,
      }),
    ).toEqual({ environment: "canary", confidence: 0.95, classificationMethod: "namespace-label" });
  });

  it.each([
    ["prod", "production"],
    ["payments-production", "production"],
    ["team_staging", "staging"],
    ["web.dev", "development"],
    ["qa-checkout", "testing"],
    ["test", "testing"],
    ["dev-prod-mirror", "production"],
  ])("reads %s as %s from the name", (namespace, environment) => {
    expect(classifyEnvironment({ namespace, namespaceLabels: {}, environmentHint: undefined })).toEqual({
      environment,
      confidence: CONFIDENCE.pattern,
      classificationMethod: "pattern",
    });
  });

  it("does not match a word only contained in a segment", () => {
    expect(environmentFromName("product-catalog")).toBeUndefined();
    expect(environmentFromName("devops")).toBeUndefined();
  });

  it("uses the signal's hint, then unknown, when neither label nor name tell", () => {
    expect(
      classifyEnvironment({ namespace: "payments", namespaceLabels: undefined, environmentHint: "staging" }),
    ).toEqual({ environment: "staging", confidence: 0.5, classificationMethod: "fallback" });
    expect(
      classifyEnvironment({ namespace: "payments", namespaceLabels: undefined, environmentHint: undefined }),
    ).toEqual({ environment: "unknown", confidence: 0.3, classificationMethod: "fallback" });
  });
});

describe("business priority and SLA", () => {
  it.each([
    ["critical", "production", "P0"],
    ["critical", "staging", "P1"],
    ["critical", "unknown", "P1"],
    ["critical", "development", "P2"],
    ["warning", "production", "P1"],
    ["warning", "staging", "P2"],
    ["warning", "testing", "P3"],
    ["info", "production", "P2"],
    ["info", "development", "P3"],
    ["critical", "canary", "P1"],
  ] as const)("%s in %s is %s", (severity, environment, priority) => {
    expect(businessPriority(severity, environment)).toBe(priority);
  });

  it("attaches the SLA of the priority", () => {
    expect(SLA_BY_PRIORITY).toEqual({ P0: "5m", P1: "15m", P2: "1h", P3: "4h" });
    expect(
      classify({
        namespace: "shop",
        namespaceLabels: { environment: "production" },
        environmentHint: undefined,
        severity: "critical",
      }),
    ).toEqual({
      environment: "production",
      confidence: 0.95,
      classificationMethod: "namespace-label",
      businessPriority: "P0",
      slaRequirement: "5m",
    });
  });
});
