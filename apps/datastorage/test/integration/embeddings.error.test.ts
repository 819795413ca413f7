import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Problem } from "@kubernaut/schema";
import { randomVectors } from "@kubernaut/testing/fixtures";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createOpenAIEmbedder } from "../../src/embeddings/openai.js";
import { type EmbeddingsTestApp, openEmbeddingsApp } from "../support/embeddings-app.js";

const STORE = "/api/v1/embeddings/investigations";
const SEARCH = "/api/v1/embeddings/investigations/search";

async function expectProblem(res: Response, status: number): Promise<Problem> {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  return Problem.parse(await res.json());
}

const pathsOf = (problem: Problem) => problem.errors?.map((e) => e.path) ?? [];

describe("rejected embedding requests", () => {
  let t: EmbeddingsTestApp;
  beforeAll(async () => {
    t = await openEmbeddingsApp();
  });
  afterAll(async () => {
    await t.close();
  });
  afterEach(async () => {
    // Every case here must leave the table as it found it: empty.
    expect(await t.storedRows()).toBe(0);
  });

  const vector = randomVectors(1, 1)[0] ?? [];
  const valid = { alert_fingerprint: "fp", investigation_text: "disk pressure on worker-3" };

  it("refuses an embedding of the wrong dimension", async () => {
    const problem = await expectProblem(
      await t.post(STORE, { ...valid, embedding: vector.slice(0, 768) }),
      400,
    );
    expect(problem.errors).toEqual([{ path: "embedding", message: "must have exactly 1536 dimensions" }]);
    const search = await expectProblem(await t.post(SEARCH, { vector: [...vector, 0.1] }), 400);
    expect(pathsOf(search)).toEqual(["vector"]);
  });

  it("refuses non-finite numbers", async () => {
    const body = JSON.stringify({ ...valid, embedding: vector }).replace(
      /("embedding":\[[^,]+,[^,]+,)[^,]+/,
      "$11e999",
    );
    const problem = await expectProblem(await t.postRaw(STORE, body), 400);
    expect(pathsOf(problem)).toEqual(["embedding.2"]);
    expect(problem.errors?.[0]?.message).toContain("Infinity");
    const search = await expectProblem(
      await t.post(SEARCH, { vector: vector.map((v, i) => (i === 5 ? "x" : v)) }),
      400,
    );
    expect(pathsOf(search)).toEqual(["vector.5"]);
  });

  it("refuses an all-zero vector, which has no direction to compare", async () => {
    const zeros = new Array(1536).fill(0);
    const store = await expectProblem(await t.post(STORE, { ...valid, embedding: zeros }), 400);
    expect(store.errors?.[0]?.path).toBe("embedding");
    expect(store.errors?.[0]?.message).toContain("all zeros");
    const search = await expectProblem(await t.post(SEARCH, { vector: zeros }), 400);
    expect(pathsOf(search)).toEqual(["vector"]);
  });

  it("refuses empty and blank text", async () => {
    for (const text of ["", " \n\t "]) {
      const store = await expectProblem(await t.post(STORE, { ...valid, investigation_text: text }), 400);
      expect(pathsOf(store)).toEqual(["investigation_text"]);
      const search = await expectProblem(await t.post(SEARCH, { text }), 400);
      expect(pathsOf(search)).toEqual(["text"]);
    }
  });

  it("names every invalid field of a store", async () => {
    const problem = await expectProblem(
      await t.post(STORE, { investigation_text: 42, confidence_score: 1.5, extra: true }),
      400,
    );
    expect(pathsOf(problem)).toEqual(
      expect.arrayContaining(["alert_fingerprint", "confidence_score", "investigation_text"]),
    );
    expect(JSON.stringify(problem.errors)).toContain("extra");
  });

  it("refuses embedding_model without an embedding", async () => {
    const problem = await expectProblem(
      await t.post(STORE, { ...valid, embedding_model: "text-embedding-3-small" }),
      400,
    );
    expect(pathsOf(problem)).toEqual(["embedding_model"]);
  });

  it("refuses a search with both or neither of text and vector, or k out of range", async () => {
    for (const body of [{ text: "x", vector }, { k: 3 }, { text: "x", k: 0 }, { text: "x", k: 101 }]) {
      await expectProblem(await t.post(SEARCH, body), 400);
    }
  });

  it("refuses a text search among rows of a model other than the embedder's", async () => {
    const problem = await expectProblem(
      await t.post(SEARCH, { text: "disk pressure", embedding_model: "text-embedding-3-small" }),
      400,
    );
    expect(problem.errors?.[0]?.message).toContain("kubernaut-hash-embedder-v1");
  });
});

describe("a store with an id already taken", () => {
  it("answers 409 and keeps the first row", async () => {
    const t = await openEmbeddingsApp();
    try {
      const id = crypto.randomUUID();
      const body = { id, alert_fingerprint: "fp", investigation_text: "first" };
      expect((await t.post(STORE, body)).status).toBe(201);
      const problem = await expectProblem(
        await t.post(STORE, { ...body, investigation_text: "second" }),
        409,
      );
      expect(problem.detail).toContain(id);
      expect(await t.storedRows()).toBe(1);
    } finally {
      await t.close();
    }
  });
});

describe("with a remote embeddings API that fails", () => {
  let remote: Server;
  let url: string;
  let answerStatus = 200;
  let t: EmbeddingsTestApp;

  beforeAll(async () => {
    remote = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        const body =
          answerStatus === 200
            ? { data: [{ index: 0, embedding: randomVectors(1, 7)[0] }] }
            : { error: { message: `remote says ${answerStatus}` } };
        res.writeHead(answerStatus, { "content-type": "application/json" }).end(JSON.stringify(body));
      });
    });
    remote.listen(0, "127.0.0.1");
    await once(remote, "listening");
    url = `http://127.0.0.1:${(remote.address() as AddressInfo).port}/v1`;
    t = await openEmbeddingsApp({ embedder: createOpenAIEmbedder({ url, model: "remote-embedder" }) });
  });
  afterAll(async () => {
    await t.close();
    remote.close();
  });
  beforeEach(() => {
    answerStatus = 200;
  });

  const body = { alert_fingerprint: "fp", investigation_text: "node worker-3 NotReady" };

  it("stores and searches with the remote model when it answers", async () => {
    const res = await t.post(STORE, body);
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({
      embedding_model: "remote-embedder",
      embedding_dimensions: 1536,
    });
    const found = await t.post(SEARCH, { text: "worker-3", k: 1 });
    expect(await found.json()).toMatchObject({
      embedding_model: "remote-embedder",
      results: [{ similarity: expect.closeTo(1, 5) }],
    });
    expect(await t.storedRows()).toBe(1);
  });

  it("answers 502 naming the remote when it refuses, and stores nothing", async () => {
    const before = await t.storedRows();
    answerStatus = 401;
    const problem = await expectProblem(await t.post(STORE, body), 502);
    expect(problem.detail).toContain(new URL(url).origin);
    expect(problem.detail).toContain("HTTP 401: remote says 401");
    expect(await t.storedRows()).toBe(before);
  });

  it("answers 503 when it is overloaded, for stores and text searches alike", async () => {
    answerStatus = 503;
    expect((await expectProblem(await t.post(STORE, body), 503)).detail).toContain("remote says 503");
    await expectProblem(await t.post(SEARCH, { text: "worker-3" }), 503);
  });
});
