#!/usr/bin/env node
// The package boundaries each README's "Owns, and must not import" states, checked on the source: every
// run-time import (`import type` is erased, so it does not count) of the production code under each folder
// below is matched against what that folder must not import. Prints each breach with file and line; exits 1
// if there is any.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

/** Folder → the import specifiers its production code must not use, each with the reason. */
const RULES = {
  "packages/schema/src": [
    [/^@kubernaut\//, "schema is the bottom layer: no workspace package"],
    [/^(pg|@electric-sql\/.*)$/, "schema declares tables; it never connects"],
  ],
  "packages/schema/src/wire": [[/^drizzle-orm/, "the wire grammar must load without Drizzle"]],
  "packages/tlog/src": [
    [/^@kubernaut\//, "the verifier's mathematics depend on no workspace package"],
    [/^(drizzle-orm|pg|hono|@hono\/.*|@kubernetes\/.*)/, "tlog has no database, HTTP stack or Kubernetes"],
  ],
  "packages/crds/src": [
    [/^@kubernaut\/(?!schema\/wire$)/, "crds uses only @kubernaut/schema/wire from the workspace"],
    [/^drizzle-orm/, "crds must load without Drizzle"],
  ],
  "packages/storage-client/src": [
    [
      /^@kubernaut\/(db|datastorage|controller-runtime|controller-kit|crds)/,
      "storage-client speaks HTTP only",
    ],
    [/^@kubernaut\/schema$/, "the schema's root loads Drizzle: use @kubernaut/schema/contracts"],
    [/^(@kubernetes\/.*|drizzle-orm|pg)/, "storage-client loads no Kubernetes or database code"],
  ],
  "packages/db/src": [
    [/^@kubernaut\/(?!schema$|common$)/, "db depends on schema and common alone in the workspace"],
  ],
  "packages/common/src": [
    [/^(?!node:)/, "common imports nothing but Node, so that every package can depend on it"],
  ],
  "packages/controller-runtime/src": [
    [/^@kubernaut\/(?!common$)/, "the generic runtime knows no audit records: common alone in the workspace"],
  ],
  "packages/controller-kit/src": [
    [/^@kubernaut\/(db|schema$)/, "the kit loads no database code: @kubernaut/schema/contracts only"],
    [/^(drizzle-orm|pg)$/, "the kit loads no database code"],
  ],
};

/** The controllers never load Drizzle or a database driver: they report over HTTP. */
for (const app of ["remediation-orchestrator", "remediation-processor", "ai-analysis"]) {
  RULES[`apps/${app}/src`] = [
    [/^@kubernaut\/(db|schema$)/, "a controller loads no database code: @kubernaut/schema/contracts only"],
    [/^(drizzle-orm|pg)$/, "a controller loads no database code"],
  ];
}

/** Every app and package: production code never imports the test helpers. */
const PRODUCTION = ["apps", "packages"].flatMap((dir) =>
  readdirSync(join(root, dir))
    .map((name) => `${dir}/${name}/src`)
    .filter((src) => !src.startsWith("packages/testing/") && exists(join(root, src))),
);

function exists(path) {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function* sourceFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(path);
    else if (/\.tsx?$/.test(entry.name) && !/\.(test|spec)\.tsx?$/.test(entry.name)) yield path;
  }
}

// `import x from "m"`, `import { a } from "m"`, `export … from "m"`, `import "m"`, `import("m")`; not `import type`.
const IMPORT =
  /^\s*(?:import(?!\s+type\b)(?:[\s\S]*?\sfrom)?|export(?!\s+type\b)[\s\S]*?\sfrom)\s*["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/gm;

function importsOf(file) {
  const text = readFileSync(file, "utf8");
  const found = [];
  for (const match of text.matchAll(IMPORT)) {
    const specifier = match[1] ?? match[2];
    const line = text.slice(0, match.index + match[0].length).split("\n").length;
    found.push({ specifier, line });
  }
  return found;
}

const breaches = [];
function check(folder, rules) {
  for (const file of sourceFiles(join(root, folder))) {
    for (const { specifier, line } of importsOf(file)) {
      if (specifier.startsWith(".")) continue;
      for (const [pattern, reason] of rules) {
        if (pattern.test(specifier))
          breaches.push(`${relative(root, file)}:${line}: imports ${specifier} (${reason})`);
      }
    }
  }
}

for (const [folder, rules] of Object.entries(RULES)) check(folder, rules);
for (const folder of PRODUCTION)
  check(folder, [[/^@kubernaut\/testing/, "production code never imports test helpers"]]);

if (breaches.length > 0) {
  console.error(`package boundaries: ${breaches.length} breach(es)\n${breaches.join("\n")}`);
  process.exit(1);
}
console.log(
  `package boundaries: ${Object.keys(RULES).length + PRODUCTION.length} folders keep to their README`,
);
