import { ANALYTICS_NAMES, Problem } from "@kubernaut/schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openReadApp, type ReadTestApp } from "../support/read-app.js";

let t: ReadTestApp;

beforeAll(async () => {
  t = await openReadApp();
});
afterAll(async () => {
  await t.close();
});

async function expectProblem(url: string, path: string) {
  const res = await t.get(url);
  expect(res.status, url).toBe(400);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  const problem = Problem.parse(await res.json());
  expect(
    problem.errors?.map((e) => e.path),
    url,
  ).toEqual([path]);
}

describe("window parameters of every analytics endpoint", () => {
  it.each(ANALYTICS_NAMES)("%s refuses a bad window, since or until, naming it", async (name) => {
    const url = `/api/v1/analytics/${name}`;
    await expectProblem(`${url}?window=7`, "query.window");
    await expectProblem(`${url}?window=0d`, "query.window");
    await expectProblem(`${url}?window=-7d`, "query.window");
    await expectProblem(`${url}?since=last-week`, "query.since");
    await expectProblem(`${url}?until=2026-11-23`, "query.until");
    await expectProblem(`${url}?window=7d&since=2026-11-01T00:00:00Z`, "query.window");
    await expectProblem(`${url}?since=2026-11-02T00:00:00Z&until=2026-11-01T00:00:00Z`, "query.since");
    await expectProblem(`${url}?limit=0`, "query.limit");
    await expectProblem(`${url}?limit=10001`, "query.limit");
    await expectProblem(`${url}?bogus=1`, "query.bogus");
  });
});

describe("endpoint parameters", () => {
  it("slow-enrichments refuses a threshold that is not a Go duration", async () => {
    await expectProblem("/api/v1/analytics/slow-enrichments?threshold=2", "query.threshold");
    await expectProblem("/api/v1/analytics/slow-enrichments?threshold=two%20seconds", "query.threshold");
  });

  it("recommendation-effectiveness refuses an empty or overlong environment", async () => {
    await expectProblem("/api/v1/analytics/recommendation-effectiveness?environment=", "query.environment");
    await expectProblem(
      `/api/v1/analytics/recommendation-effectiveness?environment=${"e".repeat(51)}`,
      "query.environment",
    );
  });

  it("only recommendation-effectiveness takes environment, only slow-enrichments a threshold", async () => {
    await expectProblem("/api/v1/analytics/failure-phases?environment=production", "query.environment");
    await expectProblem("/api/v1/analytics/retry-analysis?threshold=2s", "query.threshold");
  });

  it("answers 404 for an analytics query that does not exist", async () => {
    const res = await t.get("/api/v1/analytics/everything");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
  });
});
