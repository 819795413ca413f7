import { request } from "node:http";
import { type AddressInfo, connect } from "node:net";
import { type ServerType, serve } from "@hono/node-server";
import { goRemediationOrchestrationAudit } from "@kubernaut/testing/fixtures";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestApp, type TestApp } from "../support/test-app.js";

/**
 * Request bodies as the service reads them under `@hono/node-server` (straight from Node's request, not through a
 * web `Request`), over a real socket: whole or chunked, within MAX_BODY_BYTES or not.
 */
const PATH = "/api/v1/audit/remediation-orchestration";
const LIMIT = 4096;

let t: TestApp;
let server: ServerType;
let port: number;

beforeAll(async () => {
  t = await openTestApp({ env: { MAX_BODY_BYTES: String(LIMIT) } });
  server = serve({ fetch: t.app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise((resolve) => server.once("listening", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await t.close();
});

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

/**
 * Sends `chunks` as one request: with a Content-Length when `chunked` is false, else with
 * `Transfer-Encoding: chunked`, one chunk at a time.
 */
function send(method: string, path: string, chunks: Buffer[], chunked: boolean): Promise<Answer> {
  const length = chunks.reduce((n, c) => n + c.length, 0);
  return new Promise((resolve, reject) => {
    const req = request({
      host: "127.0.0.1",
      port,
      method,
      path,
      headers: {
        "content-type": "application/json",
        ...(chunked ? { "transfer-encoding": "chunked" } : { "content-length": length }),
      },
    });
    req.on("response", (res) => {
      const parts: Buffer[] = [];
      res.on("data", (part: Buffer) => parts.push(part));
      res.on("end", () => {
        const text = Buffer.concat(parts).toString("utf8");
        resolve({
          status: res.statusCode ?? 0,
          body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
        });
      });
    });
    // A server that refuses early may close the socket while the rest of the body is being sent.
    req.on("error", reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

const record = (name: string, extra: Record<string, unknown> = {}) =>
  Buffer.from(JSON.stringify({ ...goRemediationOrchestrationAudit, remediation_name: name, ...extra }));

/** Splits `bytes` into `n` pieces of about the same size, cutting wherever that falls (inside a character too). */
function pieces(bytes: Buffer, n: number): Buffer[] {
  const size = Math.ceil(bytes.length / n);
  return Array.from({ length: n }, (_, i) => bytes.subarray(i * size, (i + 1) * size));
}

const stored = async (name: string) =>
  t.query<{ failure_reason: string | null }>(
    `SELECT failure_reason FROM remediation_audit WHERE remediation_name = '${name}'`,
  );

describe("request bodies under the Node server", () => {
  it("stores a record sent whole with its Content-Length", async () => {
    const answer = await send("POST", PATH, [record("rr-whole")], false);
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ inserted: 1 });
    expect(await stored("rr-whole")).toHaveLength(1);
  });

  it("stores a chunked record whose chunks cut through multi-byte characters, text intact", async () => {
    const reason = "délai dépassé ✓ 超时 🚨".repeat(20);
    const answer = await send(
      "POST",
      PATH,
      pieces(record("rr-chunked", { failure_reason: reason }), 7),
      true,
    );
    expect(answer.status).toBe(201);
    expect(await stored("rr-chunked")).toEqual([{ failure_reason: reason }]);
  });

  it("answers 400 for malformed JSON, whole or chunked, storing nothing", async () => {
    const bad = Buffer.from('{"remediation_name": "rr-bad", ');
    for (const chunked of [false, true]) {
      const answer = await send("POST", PATH, pieces(bad, 2), chunked);
      expect(answer.status).toBe(400);
      expect(answer.body.detail).toMatch(/JSON/);
    }
    expect(await stored("rr-bad")).toEqual([]);
  });

  it("answers 400 for bytes that are not UTF-8, whole or chunked, storing nothing", async () => {
    const latin1 = Buffer.from(record("rr-latin1", { failure_reason: "café" }).toString("utf8"), "latin1");
    for (const chunked of [false, true]) {
      const answer = await send("POST", PATH, pieces(latin1, 3), chunked);
      expect(answer.status).toBe(400);
      expect(answer.body.detail).toMatch(/not valid UTF-8/);
    }
    expect(await stored("rr-latin1")).toEqual([]);
  });

  it("answers 413 naming MAX_BODY_BYTES for a body over it, declared or only counted, storing nothing", async () => {
    const big = record("rr-big", { failure_reason: "x".repeat(LIMIT) });
    for (const chunked of [false, true]) {
      const answer = await send("POST", PATH, pieces(big, 4), chunked);
      expect(answer.status).toBe(413);
      expect(answer.body.detail).toBe(`request body exceeds ${LIMIT} bytes (MAX_BODY_BYTES)`);
    }
    expect(await stored("rr-big")).toEqual([]);
  });

  it("answers 413 while the client is still sending a body over the limit", async () => {
    const answer = await new Promise<Answer>((resolve, reject) => {
      const req = request({
        host: "127.0.0.1",
        port,
        method: "POST",
        path: PATH,
        headers: { "content-type": "application/json", "transfer-encoding": "chunked" },
      });
      req.on("response", (res) => {
        const parts: Buffer[] = [];
        res.on("data", (part: Buffer) => parts.push(part));
        res.on("end", () => {
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(parts).toString("utf8")) });
          req.destroy();
        });
      });
      req.on("error", reject);
      // Over the limit, and more to come: the request is not ended until the answer is in.
      req.write(
        Buffer.from(`{"remediation_name": "rr-streaming", "failure_reason": "${"z".repeat(2 * LIMIT)}`),
      );
    });
    expect(answer.status).toBe(413);
    expect(answer.body.detail).toBe(`request body exceeds ${LIMIT} bytes (MAX_BODY_BYTES)`);
    expect((await send("GET", "/api/v1/limits", [], false)).status).toBe(200);
  });

  it("takes a body of exactly MAX_BODY_BYTES", async () => {
    const base = record("rr-exact", { failure_reason: "" });
    const exact = record("rr-exact", { failure_reason: "y".repeat(LIMIT - base.length) });
    expect(exact.length).toBe(LIMIT);
    expect((await send("POST", PATH, pieces(exact, 3), true)).status).toBe(201);
  });

  it("stores nothing of a body cut off by its client, and goes on answering", async () => {
    const whole = record("rr-cut");
    await new Promise<void>((resolve) => {
      const socket = connect(port, "127.0.0.1", () => {
        socket.write(
          `POST ${PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
            `Content-Length: ${whole.length}\r\n\r\n`,
        );
        socket.write(whole.subarray(0, whole.length / 2), () => setTimeout(() => socket.destroy(), 50));
      });
      socket.on("close", () => resolve());
      socket.on("error", () => {});
    });
    expect((await send("POST", PATH, [record("rr-after-cut")], false)).status).toBe(201);
    expect(await stored("rr-cut")).toEqual([]);
  });

  it("still answers requests without a body", async () => {
    const answer = await send("GET", "/api/v1/limits", [], false);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ max_body_bytes: LIMIT });
  });
});
