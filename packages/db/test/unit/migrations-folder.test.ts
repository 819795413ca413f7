import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defaultMigrationsFolder } from "../../src/migrations-folder.js";

describe("defaultMigrationsFolder", () => {
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), "app-"));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it("finds the repository's migrations from this package", () => {
    expect(defaultMigrationsFolder()).toBe(join(import.meta.dirname, "..", "..", "..", "..", "migrations"));
  });

  it("finds migrations/ above a deployed package, skipping folders without a journal", async () => {
    const packageDir = join(root, "node_modules", "@kubernaut", "db", "dist");
    await mkdir(packageDir, { recursive: true });
    await mkdir(join(root, "node_modules", "migrations"));
    await mkdir(join(root, "migrations", "meta"), { recursive: true });
    await writeFile(join(root, "migrations", "meta", "_journal.json"), "{}");

    expect(defaultMigrationsFolder(packageDir)).toBe(join(root, "migrations"));
  });

  it("says where it looked when there is none", () => {
    expect(() => defaultMigrationsFolder(root)).toThrow(
      `no migrations folder (migrations/meta/_journal.json) in ${root}`,
    );
  });
});
