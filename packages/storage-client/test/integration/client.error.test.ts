import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  StorageApiError,
  StorageClient,
  StorageResponseError,
  StorageTimeoutError,
  StorageUnavailableError,
} from "../../src/index.js";
import { orchestrationRecord } from "../support/records.js";
import { problem, StubStorage } from "../support/stub-storage.js";

let stub: StubStorage;
beforeEach(async () => {
  stub = await new StubStorage().up();
});
afterEach(async () => {
  await stub.down();
});

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected the request to fail");
    },
    (error: unknown) => error,
  );
}

describe("StorageClient errors", () => {
  it("turns a problem+json 400 into StorageApiError with the field errors", async () => {
    const client = new StorageClient({ baseUrl: stub.url });
    const bad = { ...orchestrationRecord(1), start_time: "yesterday" };

    const error = await failure(client.storeBatch([orchestrationRecord(0), bad]));

    expect(error).toBeInstanceOf(StorageApiError);
    expect(error).toMatchObject({
      status: 400,
      title: "Request validation failed",
      detail: "1 fields are invalid",
      errors: [{ path: "records.1.start_time", message: expect.stringContaining("RFC 3339") }],
      retryAfterMs: undefined,
    });
  });

  it("reads Retry-After from a 429", async () => {
    stub.behaviour = () => ({
      status: 429,
      body: problem(429, "Too Many Requests"),
      headers: { "content-type": "application/problem+json", "retry-after": "3" },
    });
    const error = await failure(new StorageClient({ baseUrl: stub.url }).limits());
    expect(error).toMatchObject({ name: "StorageApiError", status: 429, retryAfterMs: 3_000 });
  });

  it("keeps a non-JSON 5xx body as the detail", async () => {
    stub.behaviour = () => ({
      status: 502,
      body: "upstream down",
      headers: { "content-type": "text/plain" },
    });
    const error = await failure(new StorageClient({ baseUrl: stub.url }).limits());
    expect(error).toMatchObject({ status: 502, title: "Bad Gateway", detail: '"upstream down"', errors: [] });
  });

  it("gives up after the timeout with StorageTimeoutError", async () => {
    stub.behaviour = () => "hang";
    const client = new StorageClient({ baseUrl: stub.url, timeoutMs: 200 });
    const started = Date.now();

    const error = await failure(client.storeBatch([orchestrationRecord(1)]));

    expect(error).toBeInstanceOf(StorageTimeoutError);
    expect(error).toMatchObject({ timeoutMs: 200 });
    expect((error as Error).message).toBe("POST /api/v1/audit/batch got no answer within 200 ms");
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it("reports an unreachable service as StorageUnavailableError", async () => {
    await stub.down();
    const error = await failure(new StorageClient({ baseUrl: stub.url }).limits());
    expect(error).toBeInstanceOf(StorageUnavailableError);
    expect((error as Error).message).toContain("ECONNREFUSED");
  });

  it("rejects a success answer that breaks the contract with StorageResponseError", async () => {
    stub.behaviour = () => ({ status: 201, body: { inserted: "two" }, headers: {} });
    const error = await failure(
      new StorageClient({ baseUrl: stub.url }).storeBatch([orchestrationRecord(1)]),
    );
    expect(error).toBeInstanceOf(StorageResponseError);
    expect(error).toMatchObject({ status: 201 });
    expect((error as Error).message).toMatch(/inserted/);
  });

  it("passes the caller's abort reason through", async () => {
    stub.behaviour = () => "hang";
    const controller = new AbortController();
    const pending = failure(new StorageClient({ baseUrl: stub.url }).limits({ signal: controller.signal }));
    setTimeout(() => controller.abort(new Error("shutting down")), 50);
    await expect(pending).resolves.toMatchObject({ message: "shutting down" });
  });

  it("refuses a base URL that is not a URL, or a timeout that is not positive", () => {
    expect(() => new StorageClient({ baseUrl: "datastorage:8085" })).toThrow(
      'baseUrl must be an http(s) URL, got "datastorage:8085"',
    );
    expect(() => new StorageClient({ baseUrl: "not a url" })).toThrow(/baseUrl must be an http\(s\) URL/);
    expect(() => new StorageClient({ baseUrl: "http://x", timeoutMs: 0 })).toThrow(
      /timeoutMs must be positive/,
    );
  });
});
