import { OpenAPIHono } from "@hono/zod-openapi";
import { afterEach, describe, expect, it } from "vitest";
import type { AppEnv } from "../../src/env.js";
import { onError, onNotFound } from "../../src/errors.js";
import { explorerAssetsDir, registerUiRoutes } from "../../src/routes/ui/index.js";
import { openTestApp, type TestApp } from "../support/test-app.js";

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe("GET /ui", () => {
  it("serves the built explorer: index.html at /ui/, its hashed assets, and a 404 problem for anything else", async () => {
    expect(
      explorerAssetsDir(),
      "build the explorer first: pnpm --filter @kubernaut/explorer build",
    ).not.toBeNull();
    t = await openTestApp();
    const bare = await t.get("/ui");
    expect(bare.status).toBe(301);
    expect(bare.headers.get("location")).toBe("/ui/");

    const index = await t.get("/ui/");
    expect(index.status).toBe(200);
    expect(index.headers.get("content-type")).toMatch(/^text\/html/);
    expect(index.headers.get("cache-control")).toBe("no-cache");
    const html = await index.text();
    expect(html).toContain('<main id="view"');
    const script = /src="(\/ui\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script, html).toBeDefined();
    const asset = await t.get(script!);
    expect(asset.status).toBe(200);
    expect(asset.headers.get("content-type")).toMatch(/javascript/);
    expect(asset.headers.get("cache-control")).toContain("immutable");

    const missing = await t.get("/ui/assets/nothing-here.js");
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toBe("application/problem+json");
    expect((await t.get("/ui/../package.json")).status).toBe(404);
  });

  it("needs no token for the page itself while the API behind it does", async () => {
    t = await openTestApp({ env: { AUTH_MODE: "token", AUTH_TOKEN: "ui-token-0123456789" } });
    expect((await t.get("/ui/")).status).toBe(200);
    expect((await t.get("/api/v1/audit/remediation-orchestration")).status).toBe(401);
    const withToken = await t.get("/api/v1/audit/remediation-orchestration", {
      authorization: "Bearer ui-token-0123456789",
    });
    expect(withToken.status).toBe(200);
  });

  it("answers 503 naming the build command when the explorer is not built", async () => {
    const app = new OpenAPIHono<AppEnv>();
    registerUiRoutes(app, null);
    app.notFound(onNotFound);
    app.onError(onError);
    const res = await app.request("/ui/");
    expect(res.status).toBe(503);
    expect(((await res.json()) as { detail: string }).detail).toContain(
      "pnpm --filter @kubernaut/explorer build",
    );
  });
});
