import { randomUUID } from "node:crypto";
import SwaggerParser from "@apidevtools/swagger-parser";
import { afterEach, describe, expect, it } from "vitest";
import { openTestApp, type TestApp } from "../support/test-app.js";

const record = {
  kind: "remediation-orchestration",
  alert_fingerprint: "fp-1",
  remediation_name: "rr-1",
  overall_phase: "pending",
  start_time: "2026-11-23T09:59:00Z",
};

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe("health", () => {
  it("/healthz answers while the process lives; /readyz once migrated and until shutdown starts", async () => {
    t = await openTestApp();
    expect(await (await t.get("/healthz")).json()).toEqual({ status: "ok" });
    const ready = await t.get("/readyz");
    expect(ready.status).toBe(200);
    t.lifecycle.shuttingDown = true;
    const stopping = await t.get("/readyz");
    expect(stopping.status).toBe(503);
    expect(await stopping.json()).toEqual({ status: "unavailable", reason: "shutting down" });
    expect((await t.get("/healthz")).status).toBe(200);
  });

  it("/readyz is 503 while migrations are pending", async () => {
    t = await openTestApp({ migrate: false });
    const res = await t.get("/readyz");
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      status: "unavailable",
      reason: expect.stringMatching(/^\d+ of \d+ migrations are not applied$/),
    });
  });
});

describe("GET /metrics", () => {
  it("counts requests by route pattern and status, writes by source and outcome, batches and the pool", async () => {
    t = await openTestApp();
    const event_id = randomUUID();
    expect((await t.post("/api/v1/audit/batch", { records: [{ ...record, event_id }, record] })).status).toBe(
      201,
    );
    expect((await t.post("/api/v1/audit/batch", { records: [{ ...record, event_id }] })).status).toBe(201);
    expect((await t.post("/api/v1/audit/remediation-orchestration", { overall_phase: 1 })).status).toBe(400);
    await t.get("/api/v1/audit/remediation-orchestration/9876543");
    await t.get("/no/such/path/1234567");

    const res = await t.get("/metrics");
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = await res.text();
    const value = (series: string) => {
      const line = text.split("\n").find((l) => l.startsWith(`${series} `));
      return line === undefined ? undefined : Number(line.slice(series.length + 1));
    };
    expect(
      value('datastorage_http_requests_total{method="POST",route="/api/v1/audit/batch",status="201"}'),
    ).toBe(2);
    expect(
      value(
        'datastorage_http_requests_total{method="POST",route="/api/v1/audit/remediation-orchestration",status="400"}',
      ),
    ).toBe(1);
    expect(value('datastorage_http_requests_total{method="GET",route="unmatched",status="404"}')).toBe(1);
    expect(text).toMatch(
      /datastorage_http_request_duration_seconds_bucket\{le="0.005",method="POST",route="\/api\/v1\/audit\/batch",status="201"\}/,
    );
    expect(text).not.toMatch(/9876543|1234567/);

    expect(value('datastorage_audit_writes_total{source="orchestrator",outcome="inserted"}')).toBe(2);
    expect(value('datastorage_audit_writes_total{source="orchestrator",outcome="duplicate"}')).toBe(1);
    expect(value('datastorage_audit_writes_total{source="orchestrator",outcome="rejected"}')).toBe(1);
    expect(value('datastorage_audit_duplicates_total{source="orchestrator"}')).toBe(1);
    expect(value("datastorage_audit_batch_records_count")).toBe(2);
    expect(value("datastorage_audit_batch_records_sum")).toBe(3);
    expect(value('datastorage_db_pool_connections{state="total"}')).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/^# TYPE datastorage_db_pool_connections gauge$/m);
    expect(text).toMatch(/^# TYPE datastorage_retention_rows_moved_total counter$/m);
  });
});

describe("OpenAPI", () => {
  it("/openapi.json is a valid OpenAPI 3.1 document with every route, and /docs browses it", async () => {
    t = await openTestApp({ env: { MAX_BATCH_RECORDS: "250" } });
    const doc = (await (await t.get("/openapi.json")).json()) as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
    };
    expect(doc.openapi).toBe("3.1.0");
    await SwaggerParser.validate(structuredClone(doc) as never);

    const undocumented = t.app.routes
      // Pages for people (the document itself, its browser, the explorer's static files) are not API routes.
      .filter(
        (r) =>
          r.method !== "ALL" &&
          !["/openapi.json", "/ui", "/ui/*"].includes(r.path) &&
          !/^\/docs(\/|$)/.test(r.path),
      )
      .map((r) => ({ method: r.method.toLowerCase(), path: r.path.replace(/:(\w+)/g, "{$1}") }))
      .filter(({ method, path }) => doc.paths[path]?.[method] === undefined);
    expect(undocumented).toEqual([]);
    for (const path of [
      "/api/v1/audit/remediation-orchestration",
      "/api/v1/audit/alert-processing",
      "/api/v1/audit/ai-analysis",
      "/api/v1/audit/batch",
    ]) {
      expect(doc.paths[path]?.post, path).toBeDefined();
    }
    const batch = JSON.stringify(doc.paths["/api/v1/audit/batch"]);
    expect(batch).toContain('"maxItems":250');
    expect(await (await t.get("/api/v1/limits")).json()).toEqual({
      max_batch_records: 250,
      max_body_bytes: 10 * 1024 * 1024,
    });
  });

  it("/docs is Swagger UI served by the service itself: every asset it loads is same-origin and answers", async () => {
    t = await openTestApp();
    const page = await t.get("/docs");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(page.headers.get("content-security-policy")).toContain("default-src 'self'");
    const html = await page.text();
    const base = "http://localhost/docs";
    const references = [...html.matchAll(/\b(?:src|href)="([^"]+)"/g)].map((m) => new URL(m[1] ?? "", base));
    expect(references.map((u) => u.pathname).sort()).toEqual([
      "/docs/favicon-32x32.png",
      "/docs/init.js",
      "/docs/swagger-ui-bundle.js",
      "/docs/swagger-ui.css",
    ]);
    for (const url of references) {
      expect(url.origin, url.href).toBe("http://localhost");
      const asset = await t.get(url.pathname);
      expect(asset.status, url.pathname).toBe(200);
      expect((await asset.arrayBuffer()).byteLength, url.pathname).toBeGreaterThan(0);
    }
    expect(await (await t.get("/docs/swagger-ui-bundle.js")).text()).toContain("SwaggerUIBundle");
    const init = await (await t.get("/docs/init.js")).text();
    expect(new URL(/new URL\("([^"]+)"/.exec(init)?.[1] ?? "", base).pathname).toBe("/openapi.json");
    // Only the files the page needs: nothing else of the package, nothing outside it.
    expect((await t.get("/docs/package.json")).status).toBe(404);
    expect((await t.get("/docs/..%2Fpackage.json")).status).toBe(404);
  });
});
