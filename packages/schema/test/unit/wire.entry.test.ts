import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const src = resolve(dirname(fileURLToPath(import.meta.url)), "../../src");

/** The packages a module loads, following its relative imports (type-only imports load nothing). */
function packagesLoadedBy(file: string, seen = new Set<string>()): Set<string> {
  const packages = new Set<string>();
  if (seen.has(file)) return packages;
  seen.add(file);
  const source = readFileSync(file, "utf8");
  for (const [, typeOnly, specifier = ""] of source.matchAll(
    /^(?:import|export)\s+(type\s+)?(?:[^"';]*?\s+from\s+)?"([^"]+)"/gm,
  )) {
    if (typeOnly) continue;
    if (specifier.startsWith(".")) {
      const next = resolve(dirname(file), specifier.replace(/\.js$/, ".ts"));
      for (const name of packagesLoadedBy(next, seen)) packages.add(name);
    } else {
      packages.add(specifier);
    }
  }
  return packages;
}

describe("@kubernaut/schema/wire", () => {
  it("loads zod and node:crypto and nothing else (no drizzle-orm), so controllers can import it", () => {
    expect([...packagesLoadedBy(resolve(src, "wire/index.ts"))].sort()).toEqual(["node:crypto", "zod"]);
  });
});

describe("@kubernaut/schema/contracts", () => {
  it("loads zod and node:crypto and nothing else (no drizzle-orm), so controllers can import it", () => {
    expect([...packagesLoadedBy(resolve(src, "contracts/index.ts"))].sort()).toEqual(["node:crypto", "zod"]);
  });

  it("is the check that notices drizzle-orm: the package's root entry loads it", () => {
    expect([...packagesLoadedBy(resolve(src, "index.ts"))]).toContain("drizzle-orm/pg-core");
  });
});
