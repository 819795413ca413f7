import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { type StorageService, startStorageService, workspaceRoot } from "@kubernaut/testing/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { extractCurls, type MarkdownCurl, shapeDifference } from "../support/markdown-curls.js";

/**
 * Every curl of the project's Markdown (the root README, each app's and package's README, docs/*.md) runs, in
 * document order, with the real curl binary against the built service on a free port (PGlite, or a database of
 * its own on TEST_DATABASE_URL): each must answer 2xx, and a documented answer (`# {"inserted":1,…}`) must have
 * the same shape. A README can then never drift from the API.
 */
const root = workspaceRoot();
const markdownFiles = [
  "README.md",
  ...listed("apps", (app) => join("apps", app, "README.md")),
  ...listed("packages", (pkg) => join("packages", pkg, "README.md")),
  ...listed("docs", (name) => (name.endsWith(".md") ? join("docs", name) : undefined)),
];
const curls = markdownFiles.flatMap((file) => extractCurls(readFileSync(join(root, file), "utf8"), file));
const runnable = curls.filter((curl) => curl.notRun === undefined);

/** The curls marked `<!-- not-run: reason -->`; a new one must be added here on purpose. */
const NOT_RUN = [
  "apps/datastorage/README.md: needs a cluster: a ServiceAccount token that AUTH_MODE=tokenreview checks",
];

/** What the examples must show between them. */
const COVERED = {
  "a single audit write": /-X POST \S+\/api\/v1\/audit\/remediation-orchestration/,
  "a batch": /\/api\/v1\/audit\/batch/,
  "a timeline": /\/api\/v1\/audit\/timeline\//,
  "analytics as JSON": /\/api\/v1\/analytics\//,
  "analytics as CSV": /Accept: text\/csv'? \S*\/api\/v1\/analytics\//,
  "storing an embedding": /\/api\/v1\/embeddings\/investigations'?\s/,
  "similarity search": /\/api\/v1\/embeddings\/investigations\/search/,
  "the OpenAPI document": /\/openapi\.json/,
  "the API browser": /\/docs\b/,
  liveness: /\/healthz/,
  readiness: /\/readyz/,
  metrics: /\/metrics/,
};

let storage: StorageService;
let curlHome: string;

beforeAll(async () => {
  storage = await startStorageService({ databaseUrl: process.env.TEST_DATABASE_URL });
  // The status code after the body, on a line of its own, whatever options the example passes.
  curlHome = await mkdtemp(join(tmpdir(), "docs-curls-"));
  await writeFile(join(curlHome, ".curlrc"), 'write-out = "\\n%{http_code}"\nmax-time = 60\n');
}, 180_000);

afterAll(async () => {
  await storage?.stop();
  if (curlHome) await rm(curlHome, { recursive: true, force: true });
});

describe("the curl examples of the Markdown documents", () => {
  it("are found, cover every kind of request, and the ones not run are the listed few", () => {
    expect(runnable.length).toBeGreaterThan(10);
    const uncovered = Object.entries(COVERED)
      .filter(([, pattern]) => !runnable.some((curl) => pattern.test(curl.command)))
      .map(([what]) => what);
    expect(uncovered).toEqual([]);
    expect(curls.filter((c) => c.notRun).map((c) => `${c.where.replace(/:\d+$/, "")}: ${c.notRun}`)).toEqual(
      NOT_RUN,
    );
  });

  for (const curl of runnable) {
    it(`${curl.where}: ${curl.command.split("\n")[0]}`, async () => {
      const { status, body } = await run(curl);
      expect(status, body).toBeGreaterThanOrEqual(200);
      expect(status, body).toBeLessThan(300);
      if (curl.documented !== undefined) {
        expect(shapeDifference(JSON.parse(curl.documented), JSON.parse(body)), body).toBeUndefined();
      }
    });
  }
});

async function run(curl: MarkdownCurl): Promise<{ status: number; body: string }> {
  const command = curl.command.replace(/\b(localhost|127\.0\.0\.1):8085\b/g, `127.0.0.1:${storage.port}`);
  expect(command, "the example does not talk to the service on localhost:8085").toContain(
    storage.url.slice(7),
  );
  const { stdout } = await promisify(execFile)("sh", ["-c", command], {
    env: { PATH: process.env.PATH, CURL_HOME: curlHome },
    maxBuffer: 64 * 1024 * 1024,
  });
  const cut = stdout.lastIndexOf("\n");
  return { status: Number(stdout.slice(cut + 1)), body: stdout.slice(0, cut) };
}

function listed(dir: string, pick: (name: string) => string | undefined): string[] {
  return readdirSync(join(root, dir))
    .sort()
    .map(pick)
    .filter((file): file is string => file !== undefined && existsSync(join(root, file)));
}
