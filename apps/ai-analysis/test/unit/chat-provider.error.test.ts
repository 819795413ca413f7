import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChatInvestigationProvider } from "../../src/investigation/chat/chat-provider.js";
import { InvestigationProviderError } from "../../src/investigation/findings.js";
import { type ChatServer, completion, json, startChatServer } from "../support/chat-server.js";
import { request } from "./builders.js";

describe("chat investigation provider, failures", () => {
  let server: ChatServer;
  let provider: ChatInvestigationProvider;
  beforeAll(async () => {
    server = await startChatServer(json(200, {}));
    provider = new ChatInvestigationProvider({
      baseUrl: server.url,
      model: "m",
      timeoutMs: 5_000,
      responseFormat: "json_schema",
    });
  });
  afterAll(() => server.close());

  async function failure(): Promise<InvestigationProviderError> {
    const error = await provider.investigate(request(), AbortSignal.timeout(5_000)).then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!(error instanceof InvestigationProviderError))
      throw new Error(`expected a provider error, got ${error}`);
    return error;
  }

  it("calls a 5xx answer unavailable and retryable", async () => {
    server.respondWith(json(503, { error: { message: "overloaded" } }));
    const error = await failure();
    expect(error).toMatchObject({ reason: "unavailable", retryable: true });
    expect(error.message).toMatch(/answered 503: .*overloaded/);
  });

  it("calls 429 retryable and a 4xx rejection final", async () => {
    server.respondWith(json(429, { error: { message: "slow down" } }));
    expect(await failure()).toMatchObject({ reason: "unavailable", retryable: true });
    server.respondWith(json(401, { error: { message: "invalid api key" } }));
    expect(await failure()).toMatchObject({ reason: "rejected", retryable: false });
  });

  it("times out a server that does not answer", async () => {
    server.respondWith(() => {});
    const impatient = new ChatInvestigationProvider({
      baseUrl: server.url,
      model: "m",
      timeoutMs: 300,
      responseFormat: "json_schema",
    });
    const error = await impatient.investigate(request(), AbortSignal.timeout(5_000)).catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: "timeout", retryable: true });
    expect((error as Error).message).toMatch(/no answer within 300 ms/);
  });

  it("calls an unreachable server unavailable", async () => {
    const closed = await startChatServer(json(200, {}));
    await closed.close();
    const unreachable = new ChatInvestigationProvider({
      baseUrl: closed.url,
      model: "m",
      timeoutMs: 1_000,
      responseFormat: "json_schema",
    });
    const error = await unreachable
      .investigate(request(), AbortSignal.timeout(5_000))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: "unavailable" });
    expect((error as Error).message).toMatch(/ECONNREFUSED/);
  });

  it.each([
    ["a body that is not JSON", "<html>bad gateway</html>", /not JSON/],
    ["something that is not a chat completion", { choices: [] }, /not a chat completion/],
    ["content that is not JSON", completion("I think the pod ran out of memory."), /answer is not JSON/],
    ["content missing required fields", completion('{"rootCauseHypotheses": []}'), /does not fit the schema/],
    ["an answer cut off at the token limit", completion('{"rootCause', "length"), /cut off/],
    [
      "a confidence out of range",
      completion(
        JSON.stringify({
          rootCauseHypotheses: [{ hypothesis: "h", confidence: 1.7, evidence: [] }],
          investigationReport: "r",
          recommendations: [],
        }),
      ),
      /rootCauseHypotheses\.0\.confidence/,
    ],
  ])("calls %s malformed and retryable", async (_what, body, message) => {
    server.respondWith(json(200, body));
    const error = await failure();
    expect(error).toMatchObject({ reason: "malformed", retryable: true });
    expect(error.message).toMatch(message);
  });

  it("accepts an answer wrapped in a Markdown code fence", async () => {
    const answer = {
      rootCauseHypotheses: [{ hypothesis: "h", confidence: 0.5, evidence: [] }],
      investigationReport: "r",
      recommendations: [],
    };
    server.respondWith(json(200, completion(`\`\`\`json\n${JSON.stringify(answer)}\n\`\`\``)));
    const findings = await provider.investigate(request(), AbortSignal.timeout(5_000));
    expect(findings.rootCauseHypotheses[0]?.hypothesis).toBe("h");
  });

  it("stops when the caller aborts, with the caller's reason", async () => {
    server.respondWith(() => {});
    const controller = new AbortController();
    const pending = provider.investigate(request(), controller.signal);
    controller.abort(new Error("shutting down"));
    await expect(pending).rejects.toThrow("shutting down");
  });
});
