import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createEmbedder } from "../../src/embeddings/embedder.js";
import { createOpenAIEmbedder } from "../../src/embeddings/openai.js";
import { HttpProblem } from "../../src/errors.js";

/** What the remote side saw, and how it answers the next request. */
interface Exchange {
  method: string;
  url: string;
  authorization: string | undefined;
  body: { model: string; input: string[]; dimensions?: number };
}
type Answer = (req: Exchange, res: ServerResponse) => void;

/** The remote side, on loopback: it speaks the OpenAI embeddings format, answering in reverse index order. */
const speaksOpenAI: Answer = (req, res) => {
  const dims = req.body.dimensions ?? 1536;
  const data = req.body.input
    .map((text, index) => ({
      object: "embedding",
      index,
      embedding: Array.from({ length: dims }, (_, d) => (d === 0 ? text.length : index + d / dims)),
    }))
    .reverse();
  json(res, 200, {
    object: "list",
    data,
    model: req.body.model,
    usage: { prompt_tokens: 1, total_tokens: 1 },
  });
};

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

let server: Server;
let baseUrl: string;
let answer: Answer;
const seen: Exchange[] = [];

beforeAll(async () => {
  server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const exchange: Exchange = {
      method: req.method ?? "",
      url: req.url ?? "",
      authorization: req.headers.authorization,
      body: JSON.parse(Buffer.concat(chunks).toString("utf8")),
    };
    seen.push(exchange);
    answer(exchange, res);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
  server.closeAllConnections();
  server.close();
  await once(server, "close");
});

beforeEach(() => {
  seen.length = 0;
  answer = speaksOpenAI;
});

async function problemOf(promise: Promise<unknown>): Promise<HttpProblem> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HttpProblem);
  return error as HttpProblem;
}

describe("OpenAI-compatible embedder", () => {
  it("posts model, inputs and dimensions to /v1/embeddings and orders the answer by index", async () => {
    const embedder = createOpenAIEmbedder({
      url: baseUrl,
      apiKey: "sk-test",
      model: "text-embedding-3-small",
    });
    expect(embedder.model).toBe("text-embedding-3-small");
    expect(embedder.dimensions).toBe(1536);

    const vectors = await embedder.embed(["a", "bb", "ccc"]);

    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      method: "POST",
      url: "/v1/embeddings",
      authorization: "Bearer sk-test",
      body: { model: "text-embedding-3-small", input: ["a", "bb", "ccc"], dimensions: 1536 },
    });
    expect(vectors.map((v) => v.length)).toEqual([1536, 1536, 1536]);
    expect(vectors.map((v) => [v[0], v[1]])).toEqual([
      [1, 0 + 1 / 1536],
      [2, 1 + 1 / 1536],
      [3, 2 + 1 / 1536],
    ]);
  });

  it("is what EMBEDDER=openai builds, and accepts the full endpoint URL too", async () => {
    const embedder = createEmbedder({
      EMBEDDER: "openai",
      EMBEDDINGS_URL: `${baseUrl}/embeddings`,
      EMBEDDINGS_API_KEY: undefined,
      EMBEDDINGS_MODEL: "nomic-embed-text",
    });
    await embedder.embed(["x"]);
    expect(seen[0]?.url).toBe("/v1/embeddings");
    expect(seen[0]?.authorization).toBeUndefined();
    expect(seen[0]?.body.model).toBe("nomic-embed-text");
  });

  it("makes no request for no texts", async () => {
    const embedder = createOpenAIEmbedder({ url: baseUrl, model: "m" });
    expect(await embedder.embed([])).toEqual([]);
    expect(seen).toHaveLength(0);
  });

  it("answers 502 naming the upstream status and message when the request is refused", async () => {
    answer = (_req, res) =>
      json(res, 401, { error: { message: "Incorrect API key provided", type: "auth" } });
    const problem = await problemOf(createOpenAIEmbedder({ url: baseUrl, model: "m" }).embed(["x"]));
    expect(problem.status).toBe(502);
    expect(problem.detail).toContain(new URL(baseUrl).origin);
    expect(problem.detail).toContain("HTTP 401: Incorrect API key provided");
  });

  it("answers 503 when the upstream is overloaded or failing", async () => {
    for (const status of [429, 500, 503]) {
      answer = (_req, res) => json(res, status, { error: { message: `upstream said ${status}` } });
      const problem = await problemOf(createOpenAIEmbedder({ url: baseUrl, model: "m" }).embed(["x"]));
      expect(problem.status).toBe(503);
      expect(problem.detail).toContain(`HTTP ${status}: upstream said ${status}`);
    }
  });

  it("answers 502 for answers that are not embeddings of the right shape", async () => {
    const cases: Array<[Answer, string]> = [
      [(_q, res) => res.writeHead(200).end("<html>proxy</html>"), "not JSON"],
      [(_q, res) => json(res, 200, { result: [] }), "without data[].index"],
      [
        (_q, res) => json(res, 200, { data: [{ index: 0, embedding: [1, 2, 3] }] }),
        "3 dimensions, expected 1536",
      ],
      [(_q, res) => json(res, 200, { data: [] }), "no embedding for input 0"],
      [(_q, res) => json(res, 200, { data: [{ index: 5, embedding: new Array(1536).fill(0) }] }), "index 5"],
      [
        (_q, res) => json(res, 200, { data: [{ index: 0, embedding: new Array(1536).fill(0) }] }),
        "a vector for input 0 that float4 cannot hold or compare",
      ],
      [
        (_q, res) => json(res, 200, { data: [{ index: 0, embedding: new Array(1536).fill(1e39) }] }),
        "float4 cannot hold or compare",
      ],
      [
        (_q, res) => json(res, 200, { data: [{ index: 0, embedding: new Array(1536).fill(1e-30) }] }),
        "float4 cannot hold or compare",
      ],
    ];
    for (const [reply, message] of cases) {
      answer = reply;
      const problem = await problemOf(createOpenAIEmbedder({ url: baseUrl, model: "m" }).embed(["x"]));
      expect(problem.status).toBe(502);
      expect(problem.detail).toContain(message);
    }
  });

  it("answers 503 when the upstream does not answer in time", async () => {
    answer = () => {
      // Never answers; afterAll closes the connection.
    };
    const embedder = createOpenAIEmbedder({ url: baseUrl, model: "m", timeoutMs: 200 });
    const started = Date.now();
    const problem = await problemOf(embedder.embed(["x"]));
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(problem.status).toBe(503);
    expect(problem.detail).toContain("no answer within 200 ms");
  });

  it("answers 503 when nothing listens at the URL", async () => {
    const closed = createServer();
    closed.listen(0, "127.0.0.1");
    await once(closed, "listening");
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    await once(closed, "close");
    const problem = await problemOf(
      createOpenAIEmbedder({ url: `http://127.0.0.1:${port}/v1`, model: "m" }).embed(["x"]),
    );
    expect(problem.status).toBe(503);
    expect(problem.detail).toMatch(/unreachable \(.*ECONNREFUSED/);
  });
});
