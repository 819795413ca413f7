#!/usr/bin/env node
// `pnpm run ci`: every check, in order, stopping at the first failure.
//   lint → build → typecheck → migration drift → unit tests → integration tests on PGlite
//   → integration tests on PostgreSQL (../shared/tools/pg-test-server, or TEST_DATABASE_URL if already set)
//   → e2e and deploy manifests → image build check. The last line totals the tests: "N passed, N failed".
// Needs only Node ≥ 20.11 and pnpm; without a PostgreSQL server the last stage says so and is skipped.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { stripVTControlCharacters } from "node:util";

const root = fileURLToPath(new URL("..", import.meta.url));
const pgTestServer = join(root, "..", "shared", "tools", "pg-test-server");
const results = [];

const totals = { passed: 0, failed: 0, skipped: 0 };
// The failing tests and their first error line, repeated in the summary so the cause is at the end of the log.
const failures = [];
const FAILED_TEST = /\bFAIL\s+(\S+ > .*)$/;
const ERROR_LINE = /^\s*((?:\w*Error|AssertionError)\b.*)$/;
let awaitingError = false;
// Vitest's summary line, e.g. "Tests  2 failed | 40 passed | 1 skipped (43)", possibly behind a turbo prefix.
const VITEST_TESTS = /\bTests\s+((?:\d+ \w+(?: \| )?)+)\s*\(\d+\)/;

/** The line without colours and without turbo's "package:task:" prefix. */
function plain(line) {
  return stripVTControlCharacters(line).replace(/^\S+:[\w:-]+: /, "");
}

/** Notes a failing test (vitest's "FAIL file > suite > test") and the error line that follows it. */
function noteFailure(line) {
  const failed = FAILED_TEST.exec(line);
  if (failed) {
    if (failures.length < 40) failures.push(`  FAIL ${failed[1]}`);
    awaitingError = true;
    return;
  }
  const error = awaitingError ? ERROR_LINE.exec(line) : null;
  if (error) {
    failures.push(`       ${error[1].slice(0, 300)}`);
    awaitingError = false;
  }
}

/** Adds the counts of one line of test output, if it is a vitest summary line, and notes failures. */
function count(raw) {
  const line = plain(raw);
  noteFailure(line);
  const match = VITEST_TESTS.exec(line);
  if (!match) return;
  for (const [, n, kind] of match[1].matchAll(/(\d+) (\w+)/g)) {
    if (kind === "passed") totals.passed += Number(n);
    else if (kind === "failed") totals.failed += Number(n);
    else if (kind === "skipped" || kind === "todo") totals.skipped += Number(n);
  }
}

/** Runs one stage, streaming its output; prints its summary line; on failure prints the summary and exits. */
async function stage(name, command, args, env = {}) {
  console.log(`\n=== ${name}: ${[command, ...args].join(" ")}`);
  const started = Date.now();
  const child = spawn(command, args, {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, ...env },
  });
  let pending = "";
  child.stdout.on("data", (chunk) => {
    process.stdout.write(chunk);
    const lines = (pending + chunk.toString()).split("\n");
    pending = lines.pop() ?? "";
    lines.forEach(count);
  });
  const [status, signal] = await new Promise((resolve) =>
    child.on("close", (code, sig) => resolve([code, sig])),
  );
  count(pending);
  const seconds = Math.round((Date.now() - started) / 1000);
  const ok = status === 0;
  results.push(`${ok ? "PASS" : "FAIL"}  ${name} (${seconds}s)`);
  console.log(`--- ${name}: ${ok ? "passed" : `FAILED (exit ${status ?? signal})`} in ${seconds}s`);
  if (!ok) finish(status || 1);
}

function skip(name, why) {
  results.push(`SKIP  ${name}: ${why}`);
  console.log(`\n=== ${name}: skipped, ${why}`);
}

function finish(code) {
  console.log(`\n=== summary\n${results.join("\n")}`);
  if (failures.length > 0) console.log(`failing tests:\n${failures.join("\n")}`);
  const failed = code === 0 ? totals.failed : Math.max(totals.failed, 1);
  console.log(`tests: ${totals.passed} passed, ${failed} failed, ${totals.skipped} skipped`);
  process.exit(code);
}

const withoutServer = { TEST_DATABASE_URL: "", TEST_DB_TIER: "pglite" };

console.log(
  process.env.KUBEBUILDER_ASSETS
    ? `Kubernetes: KUBEBUILDER_ASSETS=${process.env.KUBEBUILDER_ASSETS}`
    : "Kubernetes: KUBEBUILDER_ASSETS is unset; Kubernetes integration tests use their fallback (see README)",
);
await stage("lint", "pnpm", ["exec", "biome", "ci", "."]);
await stage("build", "pnpm", ["run", "build"]);
await stage("typecheck", "pnpm", ["run", "typecheck"]);
await stage("migration drift", process.execPath, [join(root, ".ci", "check-migration-drift.mjs")]);
await stage("unit tests", "pnpm", ["run", "test"]);
await stage("integration tests (PGlite)", "pnpm", ["run", "test:integration"], withoutServer);
// The second pass is for the suites that touch a database; the Kubernetes-only ones ran above.
const databaseSuites = [
  "run",
  "test:integration",
  "--filter=!@kubernaut/crds",
  "--filter=!@kubernaut/controller-runtime",
];
if (process.env.TEST_DATABASE_URL) {
  await stage("integration tests (PostgreSQL at TEST_DATABASE_URL)", "pnpm", databaseSuites, {
    TEST_DB_TIER: "",
  });
} else if (existsSync(pgTestServer)) {
  await stage("integration tests (PostgreSQL)", pgTestServer, ["--", "pnpm", ...databaseSuites], {
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
  await stage("e2e and manifests (PostgreSQL)", pgTestServer, ["--", "pnpm", "run", "test:e2e"]);
} else {
  await stage("e2e and manifests", "pnpm", ["run", "test:e2e"]);
}
await stage("image build check", join(root, "scripts", "image-build-check.sh"), []);
finish(0);
