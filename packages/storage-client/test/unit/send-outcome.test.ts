import { describe, expect, it } from "vitest";
import {
  StorageApiError,
  StorageResponseError,
  StorageTimeoutError,
  StorageTokenError,
  StorageUnavailableError,
} from "../../src/errors.js";
import { classifyFailure } from "../../src/send-outcome.js";

const api = (status: number, extra: Partial<ConstructorParameters<typeof StorageApiError>[0]> = {}) =>
  new StorageApiError({ method: "POST", path: "/api/v1/audit/batch", status, title: "t", ...extra });

describe("classifyFailure", () => {
  it.each([500, 502, 503, 504, 429, 408, 401, 403])("retries %i", (status) => {
    expect(classifyFailure(api(status), 10)).toMatchObject({ kind: "retry", answered: true });
  });

  it("passes Retry-After on", () => {
    expect(classifyFailure(api(429, { retryAfterMs: 3_000 }), 1)).toMatchObject({ retryAfterMs: 3_000 });
  });

  it.each([
    new StorageUnavailableError("ECONNREFUSED"),
    new StorageTimeoutError("no answer", 5_000),
    new StorageTokenError("no token file"),
    new TypeError("anything else"),
  ])("retries %s as unanswered", (error) => {
    expect(classifyFailure(error, 10)).toMatchObject({ kind: "retry", answered: false });
  });

  it("maps per-record errors to record indexes, ignoring paths outside the batch", () => {
    const outcome = classifyFailure(
      api(400, {
        errors: [
          { path: "records.3.start_time", message: "bad time" },
          { path: "records.3.service_crd_statuses.aiAnalysis.phase", message: "required" },
          { path: "records.0", message: "unknown kind" },
          { path: "records.12.x", message: "out of range" },
          { path: "records", message: "too many" },
        ],
      }),
      10,
    );
    expect(outcome.kind).toBe("invalid");
    if (outcome.kind !== "invalid") return;
    expect([...outcome.invalid.entries()]).toEqual([
      [
        3,
        [
          { path: "start_time", message: "bad time" },
          { path: "service_crd_statuses.aiAnalysis.phase", message: "required" },
        ],
      ],
      [0, [{ path: "(record)", message: "unknown kind" }]],
    ]);
  });

  it("splits a batch refused as a whole (400 without record paths, 409, 413, 422), rejects a single record", () => {
    expect(classifyFailure(api(400, { errors: [{ path: "records", message: "too many" }] }), 10).kind).toBe(
      "split",
    );
    for (const status of [400, 409, 413, 422]) {
      expect(classifyFailure(api(status), 10).kind, String(status)).toBe("split");
      expect(classifyFailure(api(status), 1).kind, String(status)).toBe("reject");
    }
  });

  it.each([404, 405, 415])("rejects %i without retrying", (status) => {
    expect(classifyFailure(api(status), 10).kind).toBe("reject");
  });

  it("counts an unreadable success answer as delivered", () => {
    expect(classifyFailure(new StorageResponseError("bad body", 201), 3).kind).toBe("ack");
  });
});
