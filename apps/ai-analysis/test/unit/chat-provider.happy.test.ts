import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChatInvestigationProvider } from "../../src/investigation/chat/chat-provider.js";
import { type ChatServer, json, startChatServer } from "../support/chat-server.js";
import { request } from "./builders.js";

const recorded: unknown = JSON.parse(
  readFileSync(new URL("../fixtures/chat-completion.oomkilled.json", import.meta.url), "utf8"),
);

describe("chat investigation provider, recorded answer", () => {
  let server: ChatServer;
  beforeAll(async () => {
    server = await startChatServer(json(200, recorded));
  });
  afterAll(() => server.close());

  it("reads the model's structured answer into findings", async () => {
    const provider = new ChatInvestigationProvider({
      baseUrl: `${server.url}/`,
      apiKey: "sk-test",
      model: "gpt-4o-mini",
      timeoutMs: 5_000,
      responseFormat: "json_schema",
    });
    const findings = await provider.investigate(request(), AbortSignal.timeout(10_000));

    expect(findings.rootCauseHypotheses.map((h) => [h.hypothesis, h.confidence])).toEqual([
      ["memory limit too low", 0.88],
      ["memory leak in the application", 0.35],
    ]);
    expect(findings.investigationReport).toMatch(/OOM killer/);
    expect(findings.recommendations[0]).toEqual({
      action: "increase-memory-limit",
      targetResource: { kind: "Deployment", name: "api", namespace: "payments" },
      effectivenessEstimate: 0.82,
      rationale: "The container exceeds its 256Mi limit under normal load.",
      parameters: { container: "api", newLimit: "512Mi" },
    });
    expect(findings.recommendations[1]?.parameters).toEqual({});
  });

  it("posts the prompt, the case and a strict JSON schema to /v1/chat/completions", () => {
    const sent = server.requests[0];
    expect(sent?.method).toBe("POST");
    expect(sent?.url).toBe("/v1/chat/completions");
    expect(sent?.headers.authorization).toBe("Bearer sk-test");
    const body = sent?.body as {
      model: string;
      messages: { role: string; content: string }[];
      response_format: { type: string; json_schema: { strict: boolean; schema: { required: string[] } } };
    };
    expect(body.model).toBe("gpt-4o-mini");
    expect(body.messages.map((m) => m.role)).toEqual(["system", "user"]);
    expect(body.messages[0]?.content).toContain("- increase-memory-limit:");
    expect(body.messages[1]?.content).toContain('"lastTerminatedReason": "OOMKilled"');
    expect(body.response_format.type).toBe("json_schema");
    expect(body.response_format.json_schema.strict).toBe(true);
    expect(body.response_format.json_schema.schema.required).toEqual([
      "rootCauseHypotheses",
      "investigationReport",
      "recommendations",
    ]);
  });

  it("asks for JSON mode instead when configured for servers without structured output", async () => {
    const provider = new ChatInvestigationProvider({
      baseUrl: server.url,
      model: "local",
      timeoutMs: 5_000,
      responseFormat: "json_object",
    });
    await provider.investigate(request(), AbortSignal.timeout(10_000));
    const body = server.requests.at(-1)?.body as { response_format: unknown };
    expect(body.response_format).toEqual({ type: "json_object" });
    expect(server.requests.at(-1)?.headers.authorization).toBeUndefined();
  });

  it("passes similar past investigations to the model", async () => {
    const provider = new ChatInvestigationProvider({
      baseUrl: server.url,
      model: "m",
      timeoutMs: 5_000,
      responseFormat: "json_object",
    });
    await provider.investigate(
      request({
        similar: [
          {
            alertFingerprint: "fp-old",
            rootCause: "memory limit too low",
            similarity: 0.912,
            environment: "production",
            excerpt: "signal KubePodOOMKilled",
          },
        ],
      }),
      AbortSignal.timeout(10_000),
    );
    const body = server.requests.at(-1)?.body as { messages: { content: string }[] };
    expect(body.messages[1]?.content).toContain('"similarity": 0.91');
    expect(body.messages[1]?.content).toContain('"rootCause": "memory limit too low"');
  });
});
