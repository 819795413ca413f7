import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultMigrationsFolder } from "@kubernaut/db";
import { createTestDatabase, type TestDatabase } from "@kubernaut/testing/db";
import { sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

interface Journal {
  entries: { idx: number; when: number; tag: string; version: string; breakpoints: boolean }[];
}

describe("migrate with a changed or broken migrations folder", () => {
  let t: TestDatabase;
  let folder: string;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), "migrations-"));
    await cp(defaultMigrationsFolder(), folder, { recursive: true });
    t = await createTestDatabase({ migrate: false, migrationsFolder: folder });
  });
  afterEach(async () => {
    await t.close();
    await rm(folder, { recursive: true, force: true });
  });

  /** What `drizzle-kit generate` does: a new SQL file and a newer journal entry. */
  async function addMigration(tag: string, statement: string) {
    const journalPath = join(folder, "meta", "_journal.json");
    const journal = JSON.parse(await readFile(journalPath, "utf8")) as Journal;
    const last = journal.entries.at(-1);
    if (!last) throw new Error("the migrations journal is empty");
    journal.entries.push({ ...last, idx: last.idx + 1, when: last.when + 1, tag });
    await writeFile(journalPath, JSON.stringify(journal));
    await writeFile(join(folder, `${tag}.sql`), statement);
  }

  it("reports a migration added after the last migrate as pending until migrate applies it", async () => {
    await t.database.migrate();
    await addMigration("9999_probe", "CREATE TABLE migration_probe (id int);");

    const before = await t.database.migrationStatus();
    expect(before).toEqual({
      total: before.applied + 1,
      applied: before.applied,
      pending: 1,
      upToDate: false,
    });

    await t.database.migrate();

    expect(await t.database.migrationStatus()).toMatchObject({ pending: 0, upToDate: true });
    expect(await t.database.execute(sql`SELECT count(*) AS n FROM migration_probe`)).toEqual([{ n: 0 }]);
  });

  it("applies nothing of a failing migration and leaves it pending", async () => {
    await t.database.migrate();
    await addMigration(
      "9999_broken",
      "CREATE TABLE half_done (id int);--> statement-breakpoint\nSELECT no_such_column;",
    );

    await expect(t.database.migrate()).rejects.toThrow();

    expect(await t.database.migrationStatus()).toMatchObject({ pending: 1, upToDate: false });
    const [table] = await t.database.execute(sql`SELECT to_regclass('half_done') IS NULL AS absent`);
    expect(table?.absent).toBe(true);
  });

  it("names the folder when it has no migrations journal", async () => {
    await rm(join(folder, "meta"), { recursive: true });

    await expect(t.database.migrate()).rejects.toThrow(`cannot read the migrations in ${folder}`);
    await expect(t.database.migrationStatus()).rejects.toThrow(`cannot read the migrations in ${folder}`);
  });
});
