import { Problem } from "@kubernaut/schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ORCHESTRATION, orchestration } from "../support/audit-records.js";
import { openReadApp, type ReadTestApp } from "../support/read-app.js";

let t: ReadTestApp;

beforeAll(async () => {
  t = await openReadApp();
  await t.write(ORCHESTRATION, orchestration({ remediation_name: "rr-1" }));
});
afterAll(async () => {
  await t.close();
});

/** Expects an RFC 7807 answer with `status` whose field errors name `path`. */
async function expectProblem(url: string, status: number, path?: string): Promise<Problem> {
  const res = await t.get(url);
  expect(res.status, url).toBe(status);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  const problem = Problem.parse(await res.json());
  expect(problem.status).toBe(status);
  if (path !== undefined)
    expect(
      problem.errors?.map((e) => e.path),
      url,
    ).toContain(path);
  return problem;
}

const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

describe("list parameters", () => {
  it.each([
    ["limit=0", "query.limit"],
    ["limit=501", "query.limit"],
    ["limit=ten", "query.limit"],
    ["limit=1.5", "query.limit"],
    ["since=yesterday", "query.since"],
    ["until=2026-13-01T00:00:00Z", "query.until"],
    ["since=2026-11-02T00:00:00Z&until=2026-11-01T00:00:00Z", "query.since"],
    ["fingerprint=", "query.fingerprint"],
    [`fingerprint=${"x".repeat(65)}`, "query.fingerprint"],
    ["phase=", "query.phase"],
    ["cursor=not*base64", "query.cursor"],
    [`cursor=${cursorOf({ a: 1 })}`, "query.cursor"],
    [`cursor=${cursorOf(["not a time", "1"])}`, "query.cursor"],
    // A cursor of a UUID-keyed list is no cursor of this integer-keyed one.
    [`cursor=${cursorOf(["2026-11-23T10:00:00Z", "0b7c1a5e-4d0f-4f4e-9a57-2f1f0c3f9d10"])}`, "query.cursor"],
  ])("GET remediation-orchestration?%s → 400 naming %s", async (query, path) => {
    await expectProblem(`${ORCHESTRATION}?${query}`, 400, path);
  });

  it("names an unknown parameter, such as the other tables' status filter", async () => {
    await expectProblem(`${ORCHESTRATION}?status=completed`, 400, "query.status");
    await expectProblem("/api/v1/audit/alert-processing?phase=completed", 400, "query.phase");
  });

  it("refuses an integer-keyed cursor on a UUID-keyed list", async () => {
    await expectProblem(
      `/api/v1/audit/ai-analysis?cursor=${cursorOf(["2026-11-23T10:00:00Z", "42"])}`,
      400,
      "query.cursor",
    );
  });
});

describe("one record by id", () => {
  it.each([
    [`${ORCHESTRATION}/abc`],
    [`${ORCHESTRATION}/0`],
    [`${ORCHESTRATION}/-1`],
    [`${ORCHESTRATION}/1.5`],
    [`${ORCHESTRATION}/99999999999999999999`],
    ["/api/v1/audit/alert-processing/42"],
    ["/api/v1/audit/ai-analysis/not-a-uuid"],
  ])("GET %s → 400 naming the id", async (url) => {
    await expectProblem(url, 400, "param.id");
  });

  it.each([
    [`${ORCHESTRATION}/9223372036854775807`],
    ["/api/v1/audit/alert-processing/0b7c1a5e-4d0f-4f4e-9a57-2f1f0c3f9d10"],
    ["/api/v1/audit/ai-analysis/0b7c1a5e-4d0f-4f4e-9a57-2f1f0c3f9d10"],
  ])("GET %s (absent) → 404 problem", async (url) => {
    const problem = await expectProblem(url, 404);
    expect(problem.detail).toContain("no ");
  });
});

describe("timeline parameters", () => {
  it.each([
    ["limit=0", "query.limit"],
    ["limit=10001", "query.limit"],
    ["since=2026-11-23", "query.since"],
    ["since=2026-11-23T10:00:00Z&until=2026-11-23T10:00:00Z", "query.since"],
    ["cursor=x", "query.cursor"],
  ])("GET timeline?%s → 400 naming %s", async (query, path) => {
    await expectProblem(`/api/v1/audit/timeline/fp-1?${query}`, 400, path);
  });

  it("refuses a fingerprint longer than the column", async () => {
    await expectProblem(`/api/v1/audit/timeline/${"f".repeat(65)}`, 400, "param.alert_fingerprint");
  });
});
