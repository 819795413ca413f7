#!/usr/bin/env node
// `pnpm run ci`: every check, in order, stopping at the first failure.
//   lint → build → typecheck → migration drift → unit tests → integration tests on PGlite
//   → integration tests on PostgreSQL (../shared/tools/pg-test-server, or TEST_DATABASE_URL if already set).
// Needs only Node ≥ 20.11 and pnpm; without a PostgreSQL server the last stage says so and is skipped.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const pgTestServer = join(root, "..", "shared", "tools", "pg-test-server");
const results = [];

/** Runs one stage; prints its summary line; on failure prints the summary and exits with its status. */
function stage(name, command, args, env = {}) {
  console.log(`\n=== ${name}: ${[command, ...args].join(" ")}`);
  const started = Date.now();
  const run = spawnSync(command, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
  const seconds = Math.round((Date.now() - started) / 1000);
  const ok = run.status === 0;
  results.push(`${ok ? "PASS" : "FAIL"}  ${name} (${seconds}s)`);
  console.log(`--- ${name}: ${ok ? "passed" : `FAILED (exit ${run.status ?? run.signal})`} in ${seconds}s`);
  if (!ok) finish(run.status || 1);
}

function skip(name, why) {
  results.push(`SKIP  ${name}: ${why}`);
  console.log(`\n=== ${name}: skipped, ${why}`);
}

function finish(code) {
  console.log(`\n=== summary\n${results.join("\n")}`);
  process.exit(code);
}

const withoutServer = { TEST_DATABASE_URL: "", TEST_DB_TIER: "pglite" };

console.log(
  process.env.KUBEBUILDER_ASSETS
    ? `Kubernetes: KUBEBUILDER_ASSETS=${process.env.KUBEBUILDER_ASSETS}`
    : "Kubernetes: KUBEBUILDER_ASSETS is unset; Kubernetes integration tests use their fallback (see README)",
);
stage("lint", "pnpm", ["exec", "biome", "ci", "."]);
stage("build", "pnpm", ["run", "build"]);
stage("typecheck", "pnpm", ["run", "typecheck"]);
stage("migration drift", process.execPath, [join(root, ".ci", "check-migration-drift.mjs")]);
stage("unit tests", "pnpm", ["run", "test"]);
stage("integration tests (PGlite)", "pnpm", ["run", "test:integration"], withoutServer);
if (process.env.TEST_DATABASE_URL) {
  stage("integration tests (PostgreSQL at TEST_DATABASE_URL)", "pnpm", ["run", "test:integration"], {
    TEST_DB_TIER: "",
  });
} else if (existsSync(pgTestServer)) {
  stage("integration tests (PostgreSQL)", pgTestServer, ["--", "pnpm", "run", "test:integration"], {
    TEST_DB_TIER: "",
  });
} else {
  skip(
    "integration tests (PostgreSQL)",
    `no ${pgTestServer} and TEST_DATABASE_URL is unset: the integration tests ran on PGlite only`,
  );
}
// Manifests (kubectl apply --dry-run=server) and the local-mode end-to-end specs, on PostgreSQL when available.
if (existsSync(pgTestServer) && !process.env.TEST_DATABASE_URL) {
  stage("e2e and manifests (PostgreSQL)", pgTestServer, ["--", "pnpm", "run", "test:e2e"]);
} else {
  stage("e2e and manifests", "pnpm", ["run", "test:e2e"]);
}
finish(0);
