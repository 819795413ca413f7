#!/usr/bin/env node
// `pnpm run ci`: every check, in order, stopping at the first failure.
//   test dependencies (scripts/test-deps.sh: an API server, PostgreSQL + pgvector, Chromium; cached after the first
//   run) → lint → package boundaries (.ci/check-boundaries.mjs) → build → typecheck → migration drift → unit tests
//   → integration tests on PGlite → integration tests on PostgreSQL (TEST_DATABASE_URL, else a pgvector container
//   when a container runtime answers, else a throwaway server) → e2e and deploy manifests → image build check.
// The summary lists each stage, the tests that were skipped in every stage that ran them (with the reason), and
// totals the tests: "N passed, N failed, N skipped".
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { stripVTControlCharacters } from "node:util";

const root = fileURLToPath(new URL("..", import.meta.url));
const withPostgres = join(root, "scripts", "test-deps", "postgres.sh");
const resultsDir = join(root, ".ci", "results");
// Each vitest run also reports every test's outcome to .ci/results (read by skippedEverywhere()).
const reporters = ["--reporter=default", `--reporter=${join(root, ".ci", "test-reporter.mjs")}`];
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
  rmSync(resultsDir, { recursive: true, force: true });
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
  collectOutcomes(name);
  const seconds = Math.round((Date.now() - started) / 1000);
  const ok = status === 0;
  results.push(`${ok ? "PASS" : "FAIL"}  ${name} (${seconds}s)`);
  console.log(`--- ${name}: ${ok ? "passed" : `FAILED (exit ${status ?? signal})`} in ${seconds}s`);
  if (!ok) finish(status || 1);
}

/** test key → { states seen, skip notes } over every stage, from the reporter's files of the stage just run. */
const outcomes = new Map();
function collectOutcomes(stageName) {
  if (!existsSync(resultsDir)) return;
  for (const file of readdirSync(resultsDir)) {
    for (const line of readFileSync(join(resultsDir, file), "utf8").split("\n")) {
      if (!line) continue;
      const test = JSON.parse(line);
      const key = `${test.file} > ${test.name}`;
      const seen = outcomes.get(key) ?? { ran: false, notes: new Set() };
      if (test.state === "skipped") seen.notes.add(test.note ? `${stageName}: ${test.note}` : stageName);
      else seen.ran = true;
      outcomes.set(key, seen);
    }
  }
  rmSync(resultsDir, { recursive: true, force: true });
}

/** The tests no stage ran, each with the stages (and skip notes) that skipped it. */
function skippedEverywhere() {
  return [...outcomes]
    .filter(([, seen]) => !seen.ran)
    .map(([key, seen]) => `  SKIP ${key} (skipped in ${[...seen.notes].join("; ")})`);
}

/** Provisions the test dependencies and takes the VARIABLE=value lines they print into this process's env. */
async function provision(name, args) {
  console.log(`\n=== ${name}: scripts/test-deps.sh ${args.join(" ")}`);
  const started = Date.now();
  const child = spawn(join(root, "scripts", "test-deps.sh"), args, {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.on("data", (chunk) => {
    out += chunk;
  });
  const status = await new Promise((resolve) => child.on("close", (code) => resolve(code)));
  const seconds = Math.round((Date.now() - started) / 1000);
  if (status !== 0) {
    results.push(`FAIL  ${name} (${seconds}s)`);
    console.log(`--- ${name}: FAILED in ${seconds}s (the message above says what to install or set)`);
    finish(status || 1);
  }
  for (const line of out.split("\n")) {
    const match = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (!match) continue;
    process.env[match[1]] = match[2];
    console.log(`  ${match[1]}=${match[2]}`);
  }
  results.push(`PASS  ${name} (${seconds}s)`);
}

/** Whether a container runtime answers (then the PostgreSQL stage uses testcontainers). */
function containerRuntimeAnswers() {
  if (process.env.TEST_DB_TIER === "container") return true;
  const probe = spawnSync("docker", ["info", "--format", "{{.ServerVersion}}"], {
    timeout: 5000,
    stdio: "ignore",
  });
  return probe.status === 0;
}

function finish(code) {
  console.log(`\n=== summary\n${results.join("\n")}`);
  const skipped = skippedEverywhere();
  console.log(skipped.length > 0 ? `skipped tests:\n${skipped.join("\n")}` : "skipped tests: none");
  if (existsSync(process.env.EXPLORER_SCREENSHOTS ?? "")) {
    console.log(`explorer screenshots: ${process.env.EXPLORER_SCREENSHOTS}`);
  }
  if (failures.length > 0) console.log(`failing tests:\n${failures.join("\n")}`);
  const failed = code === 0 ? totals.failed : Math.max(totals.failed, 1);
  console.log(`tests: ${totals.passed} passed, ${failed} failed, ${totals.skipped} skipped`);
  process.exit(code);
}

const withoutServer = { TEST_DATABASE_URL: "", TEST_DB_TIER: "pglite" };
// The explorer's browser tests save a screenshot of each view here, kept after the run.
process.env.EXPLORER_SCREENSHOTS ??= join(root, ".ci", "screenshots");
const turboTests = (task, ...filters) => [
  "exec",
  "turbo",
  "run",
  task,
  "--concurrency=1",
  ...filters,
  "--",
  ...reporters,
];

const useContainer = !process.env.TEST_DATABASE_URL && containerRuntimeAnswers();
await provision("test dependencies", useContainer ? ["kube", "chromium"] : ["kube", "postgres", "chromium"]);
await stage("lint", "pnpm", ["exec", "biome", "ci", "."]);
await stage("package boundaries", process.execPath, [join(root, ".ci", "check-boundaries.mjs")]);
await stage("build", "pnpm", ["run", "build"]);
await stage("typecheck", "pnpm", ["run", "typecheck"]);
await stage("migration drift", process.execPath, [join(root, ".ci", "check-migration-drift.mjs")]);
await stage("unit tests", "pnpm", turboTests("test"));
await stage("integration tests (PGlite)", "pnpm", turboTests("test:integration"), withoutServer);
// The second pass is for the suites that touch a database; the Kubernetes-only ones ran above.
const databaseSuites = turboTests(
  "test:integration",
  "--filter=!@kubernaut/crds",
  "--filter=!@kubernaut/controller-runtime",
);
const e2e = ["--filter", "@kubernaut/test-e2e", "test:e2e", ...reporters];
await stage("deploy manifests in sync", join(root, "scripts", "sync-crds.sh"), ["--check"]);
if (process.env.TEST_DATABASE_URL) {
  await stage("integration tests (PostgreSQL at TEST_DATABASE_URL)", "pnpm", databaseSuites, {
    TEST_DB_TIER: "",
  });
  await stage("e2e and manifests (PostgreSQL at TEST_DATABASE_URL)", "pnpm", e2e);
} else if (useContainer) {
  await stage("integration tests (PostgreSQL container)", "pnpm", databaseSuites, {
    TEST_DB_TIER: "container",
  });
  await stage("e2e and manifests (PGlite)", "pnpm", e2e);
} else {
  await stage("integration tests (PostgreSQL)", withPostgres, ["--", "pnpm", ...databaseSuites], {
    TEST_DB_TIER: "",
  });
  await stage("e2e and manifests (PostgreSQL)", withPostgres, ["--", "pnpm", ...e2e]);
}
await stage("image build check", join(root, "scripts", "image-build-check.sh"), []);
finish(0);
