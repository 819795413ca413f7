import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { seedQueries } from "../support/seed-queries.js";

/** The specification's documents, in the repository's docs. */
const seedsDir = join(import.meta.dirname, "..", "..", "..", "..", "docs", "specification");

describe("the seed queries fixture", () => {
  it("holds the 14 statements of the seeds", () => {
    expect(seedQueries().size).toBe(14);
  });

  it("copies each statement verbatim from a seed", () => {
    const seeds = readdirSync(seedsDir)
      .filter((file) => /^\d{3}_.*\.txt$/.test(file))
      .map((file) => readFileSync(join(seedsDir, file), "utf8"))
      .join("\n");
    expect(seeds.length, `no specification documents in ${seedsDir}`).toBeGreaterThan(0);
    for (const [name, query] of seedQueries()) {
      expect(seeds.includes(query), `${name} is not verbatim in ${seedsDir}`).toBe(true);
    }
  });
});
