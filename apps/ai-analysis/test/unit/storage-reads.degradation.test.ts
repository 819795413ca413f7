import { silentLogger } from "@kubernaut/controller-runtime";
import type { RecommendationEffectivenessResponse, SimilarInvestigations } from "@kubernaut/schema/contracts";
import { StorageApiError, StorageUnavailableError } from "@kubernaut/storage-client";
import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { analysisMetrics } from "../../src/metrics.js";
import { ActionHistoryReader } from "../../src/storage/action-history.js";
import { InvestigationMemory } from "../../src/storage/investigation-memory.js";
import { analysis } from "./builders.js";

const findings = {
  rootCauseHypotheses: [
    { hypothesis: "memory limit too low", confidence: 0.9, evidence: ["container api was OOMKilled"] },
  ],
  investigationReport: "report",
  recommendations: [],
};

function failures(registry: Registry, operation: string): Promise<number | undefined> {
  return registry
    .getSingleMetric("kubernaut_aianalysis_storage_read_failures_total")
    ?.get()
    .then((m) => m.values.find((v) => v.labels.operation === operation)?.value) as Promise<
    number | undefined
  >;
}

describe("investigation memory", () => {
  it("recalls similar investigations of the environment, k at a time, with the short timeout", async () => {
    const asked: unknown[] = [];
    const answer: SimilarInvestigations = {
      embedding_model: "m",
      results: [
        {
          id: "0b7f3c1e-2d4a-4e5b-8c6d-7e8f9a0b1c2d",
          alert_fingerprint: "fp-old",
          investigation_text: "signal KubePodOOMKilled",
          root_cause: "memory limit too low",
          confidence_score: 0.9,
          environment: "production",
          created_at: null,
          similarity: 0.93,
        },
      ],
    };
    const registry = new Registry();
    const memory = new InvestigationMemory(
      {
        searchInvestigations: async (query, options) => {
          asked.push(query, options);
          return answer;
        },
        storeInvestigationEmbedding: async () => ({}),
      },
      { timeoutMs: 1500, k: 5, logger: silentLogger, metrics: analysisMetrics(registry) },
    );
    expect(await memory.recall("production", "symptoms")).toEqual([
      {
        alertFingerprint: "fp-old",
        rootCause: "memory limit too low",
        similarity: 0.93,
        environment: "production",
        excerpt: "signal KubePodOOMKilled",
      },
    ]);
    expect(asked).toEqual([{ text: "symptoms", k: 5, environment: "production" }, { timeoutMs: 1500 }]);
  });

  it("investigates without memory when storage fails, counting the failure", async () => {
    const registry = new Registry();
    const memory = new InvestigationMemory(
      {
        searchInvestigations: () => Promise.reject(new StorageUnavailableError("ECONNREFUSED")),
        storeInvestigationEmbedding: () => Promise.reject(new StorageUnavailableError("ECONNREFUSED")),
      },
      { timeoutMs: 100, k: 5, logger: silentLogger, metrics: analysisMetrics(registry) },
    );
    expect(await memory.recall("production", "symptoms")).toEqual([]);
    expect(await failures(registry, "search_similar")).toBe(1);
    memory.remember(analysis(), "symptoms", findings);
    await memory.settle();
    expect(await failures(registry, "store_embedding")).toBe(1);
  });

  it("stores symptoms, root cause and evidence under an id derived from the AIAnalysis; a 409 counts as stored", async () => {
    const registry = new Registry();
    const stored: unknown[] = [];
    const memory = new InvestigationMemory(
      {
        searchInvestigations: async () => ({ embedding_model: "m", results: [] }),
        storeInvestigationEmbedding: async (body) => {
          stored.push(body);
          throw new StorageApiError({ method: "POST", path: "/x", status: 409, title: "Conflict" });
        },
      },
      { timeoutMs: 100, k: 0, logger: silentLogger, metrics: analysisMetrics(registry) },
    );
    expect(await memory.recall("production", "symptoms")).toEqual([]);
    memory.remember(analysis(), "signal X", findings);
    memory.remember(analysis(), "signal X", findings);
    await memory.settle();
    expect(stored[0]).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      alert_fingerprint: "fp-0123456789abcdef",
      investigation_text: "signal X\nroot cause: memory limit too low\ncontainer api was OOMKilled",
      root_cause: "memory limit too low",
      confidence_score: 0.9,
      environment: "production",
    });
    expect((stored[1] as { id: string }).id).toBe((stored[0] as { id: string }).id);
    expect(await failures(registry, "store_embedding")).toBe(0);
  });
});

describe("action history", () => {
  it("maps each action with recorded outcomes to its success rate and sample count", async () => {
    const answer: RecommendationEffectivenessResponse = {
      window: { since: null, until: "2025-01-15T10:30:00Z" },
      rows: [
        {
          top_recommendation: "restart-pod",
          avg_effectiveness: 0.4,
          avg_historical_success: null,
          total_recommendations: 12,
          success_rate: 0.75,
          sample_count: 8,
        },
        {
          top_recommendation: "drain-node",
          avg_effectiveness: 0.6,
          avg_historical_success: null,
          total_recommendations: 3,
          success_rate: null,
          sample_count: 0,
        },
        {
          top_recommendation: null,
          avg_effectiveness: null,
          avg_historical_success: null,
          total_recommendations: 1,
          success_rate: 1,
          sample_count: 1,
        },
      ],
    };
    const asked: unknown[] = [];
    const reader = new ActionHistoryReader(
      {
        analytics: async (name, params, options) => {
          asked.push(name, params, options);
          return answer;
        },
      },
      { timeoutMs: 800, window: "30d", logger: silentLogger, metrics: analysisMetrics(new Registry()) },
    );
    expect(await reader.historyFor("production")).toEqual(
      new Map([["restart-pod", { successRate: 0.75, sampleCount: 8 }]]),
    );
    expect(asked).toEqual([
      "recommendation-effectiveness",
      { environment: "production", window: "30d" },
      { timeoutMs: 800 },
    ]);
  });

  it("answers no history when storage is unreachable, counting the failure", async () => {
    const registry = new Registry();
    const reader = new ActionHistoryReader(
      { analytics: () => Promise.reject(new StorageUnavailableError("ECONNREFUSED")) },
      { timeoutMs: 800, window: "30d", logger: silentLogger, metrics: analysisMetrics(registry) },
    );
    expect(await reader.historyFor("production")).toEqual(new Map());
    expect(await failures(registry, "historical_success_rates")).toBe(1);
  });
});
