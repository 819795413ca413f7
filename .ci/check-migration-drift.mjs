#!/usr/bin/env node
// Fails when the migrations drizzle-kit generates from packages/schema differ from the committed ones, i.e.
// when a table changed without `pnpm db:generate` (or a generated migration was edited by hand).
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const migrations = join(root, "migrations");

/** Every file under migrations/ with a hash of its content. */
function snapshot(dir = migrations, files = new Map()) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) snapshot(path, files);
    else files.set(relative(root, path), createHash("sha256").update(readFileSync(path)).digest("hex"));
  }
  return files;
}

/** Uncommitted changes under migrations/, when this is a git checkout. */
function gitChanges() {
  try {
    const out = execFileSync("git", ["status", "--porcelain", "--", "migrations"], {
      cwd: root,
      encoding: "utf8",
    });
    return out.split("\n").filter(Boolean);
  } catch {
    return [];
  }
}

const before = snapshot();
// No stdin: drizzle-kit must not wait on a rename prompt in CI.
const generate = spawnSync("pnpm", ["--silent", "db:generate"], {
  cwd: root,
  stdio: ["ignore", "pipe", "inherit"],
});
if (generate.status !== 0) {
  console.error(
    `migration drift check: pnpm db:generate failed (exit ${generate.status ?? generate.signal})`,
  );
  process.exit(1);
}
const after = snapshot();
const changed = [...new Set([...before.keys(), ...after.keys()])].filter(
  (f) => before.get(f) !== after.get(f),
);
const uncommitted = gitChanges();

if (changed.length > 0 || uncommitted.length > 0) {
  console.error(
    "migration drift: the committed migrations are not what drizzle-kit generates from packages/schema.",
  );
  for (const file of changed) console.error(`  generated: ${file}`);
  for (const line of uncommitted) console.error(`  uncommitted: ${line}`);
  console.error("Run `pnpm db:generate` and commit migrations/.");
  process.exit(1);
}
console.log(`migration drift check: ${after.size} files under migrations/ match packages/schema`);
