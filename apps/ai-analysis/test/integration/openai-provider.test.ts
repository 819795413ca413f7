import { type StorageService, startStorageService } from "@kubernaut/testing/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningController } from "../../src/controller.js";
import { type ChatServer, completion, json, startChatServer } from "../support/chat-server.js";
import { Cluster, mergedRow, runController, suffix } from "./support.js";

describe("AIAnalysis with the OpenAI-compatible provider", () => {
  const cluster = new Cluster();
  const namespace = `prod-llm-${suffix()}`;
  let storage: StorageService;
  let chat: ChatServer;
  let controller: RunningController;

  beforeAll(async () => {
    storage = await startStorageService({ databaseUrl: process.env.TEST_DATABASE_URL });
    chat = await startChatServer(json(500, { error: { message: "model backend crashed" } }));
    await cluster.namespace(namespace);
    controller = await runController(namespace, storage.url, {
      INVESTIGATION_PROVIDER: "openai",
      LLM_URL: chat.url,
      LLM_MODEL: "test-model",
      LLM_TIMEOUT: "5s",
      INVESTIGATION_MAX_ATTEMPTS: "3",
      INVESTIGATION_RETRY_BASE: "200ms",
    });
  });

  afterAll(async () => {
    await controller?.stop();
    await chat?.close();
    await storage?.stop();
    await cluster.deleteNamespace(namespace);
  });

  it("retries a failing model with backoff, then fails the analysis and audits why", async () => {
    const pod = await cluster.oomKilledPod(namespace, "ledger");
    const fingerprint = `fp-llm-down-${suffix()}`;
    await cluster.createAnalysis(namespace, "ledger-oom", fingerprint, pod);

    const analysis = await cluster.finished(namespace, "ledger-oom");
    expect(analysis.status).toMatchObject({
      phase: "failed",
      failedPhase: "investigating",
      failureReason: expect.stringMatching(
        /^investigation failed after 3 attempts: .* answered 500: .*model backend crashed/,
      ),
    });
    expect(analysis.status?.investigationAttempts).toBe(2);
    expect(analysis.status?.completionStatus).toBe("failed");
    expect(chat.requests.filter((r) => r.url === "/v1/chat/completions")).toHaveLength(3);
    expect(analysis.status?.workflowExecutionRef).toBeUndefined();

    const row = await mergedRow(storage.url, fingerprint, (r) => r.completion_status !== null);
    expect(row).toMatchObject({
      crd_name: "ledger-oom",
      completion_status: "failed",
      failure_reason: analysis.status?.failureReason,
      workflow_crd_name: null,
      top_recommendation: null,
    });
    expect(row.investigation_start).not.toBeNull();
  });

  it("drops a recommendation for an object the cluster does not have and acts on the real one", async () => {
    const pod = await cluster.oomKilledPod(namespace, "billing");
    chat.respondWith(
      json(
        200,
        completion(
          JSON.stringify({
            rootCauseHypotheses: [
              { hypothesis: "memory limit too low", confidence: 0.9, evidence: ["OOMKilled"] },
            ],
            investigationReport: "The billing container was OOMKilled at its 256Mi limit.",
            recommendations: [
              {
                action: "increase-memory-limit",
                targetResource: { kind: "Deployment", name: "billing-api", namespace },
                effectivenessEstimate: 0.9,
                rationale: "raise the limit",
                parameters: [{ name: "newLimit", value: "512Mi" }],
              },
              {
                action: "restart-pod",
                targetResource: { kind: "Pod", name: pod, namespace: null },
                effectivenessEstimate: 0.4,
                rationale: "clear the symptom",
                parameters: [],
              },
            ],
          }),
        ),
      ),
    );
    const fingerprint = `fp-llm-ghost-${suffix()}`;
    await cluster.createAnalysis(namespace, "billing-oom", fingerprint, pod);

    const analysis = await cluster.finished(namespace, "billing-oom");
    expect(analysis.status).toMatchObject({
      phase: "completed",
      hallucinationDetected: true,
      confidenceScore: 0.68,
    });
    expect(analysis.status?.investigationResult?.provider).toBe("openai");
    expect(analysis.status?.recommendations?.map((r) => [r.action, r.targetResource?.name])).toEqual([
      ["restart-pod", pod],
    ]);
    const workflow = await cluster.workflows.get({ namespace, name: "billing-oom-workflow" });
    expect(workflow?.spec).toMatchObject({
      action: "restart-pod",
      targetResource: { kind: "Pod", name: pod, namespace },
    });

    const sent = chat.requests.at(-1)?.body as { messages: { content: string }[] } | undefined;
    const prompt = sent?.messages[1]?.content ?? "";
    expect(prompt).toContain(`"kind": "Deployment"`);
    expect(prompt).toContain(`"name": "billing"`);

    const row = await mergedRow(storage.url, fingerprint, (r) => r.workflow_crd_name !== null);
    expect(row).toMatchObject({ hallucination_detected: true, top_recommendation: "restart-pod" });
  });
});
