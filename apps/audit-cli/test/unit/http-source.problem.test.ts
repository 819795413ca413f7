import { describe, expect, it } from "vitest";
import { problemDetail } from "../../src/http-source.js";

describe("the service's refusals, as the CLI reports them", () => {
  it("names each field error after the detail", () => {
    const answer = JSON.stringify({
      status: 400,
      detail: "1 field is invalid",
      errors: [{ path: "query.from", message: "expected an RFC 3339 time" }],
    });
    expect(problemDetail(answer)).toBe("1 field is invalid (query.from: expected an RFC 3339 time)");
  });

  it("keeps a problem without field errors, and an answer that is not JSON, as they are", () => {
    expect(problemDetail(JSON.stringify({ detail: "no checkpoint yet" }))).toBe("no checkpoint yet");
    expect(problemDetail("upstream timed out")).toBe("upstream timed out");
  });
});
