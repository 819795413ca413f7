import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createTestDatabase, type TestDatabase } from "@kubernaut/testing/db";
import { sql } from "drizzle-orm";

/** The repository's migrations. */
export const MIGRATIONS = fileURLToPath(new URL("../../../../migrations", import.meta.url));

/** A test database migrated up to (not including) migration `tag`; closing it also removes its migrations. */
export async function databaseBefore(tag: string): Promise<TestDatabase> {
  const folder = await migrationsBefore(tag);
  const t = await createTestDatabase({ migrationsFolder: folder });
  return {
    ...t,
    close: async () => {
      await t.close();
      await rm(folder, { recursive: true, force: true });
    },
  };
}

/** The repository's migrations up to (not including) `tag`, as a folder of their own. */
async function migrationsBefore(tag: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "migrations-"));
  await mkdir(join(dir, "meta"));
  const journal = JSON.parse(await readFile(join(MIGRATIONS, "meta", "_journal.json"), "utf8")) as {
    entries: { tag: string; idx: number }[];
  };
  const cut = journal.entries.findIndex((entry) => entry.tag === tag);
  if (cut <= 0) throw new Error(`no migration ${tag} after the first`);
  journal.entries = journal.entries.slice(0, cut);
  await writeFile(join(dir, "meta", "_journal.json"), JSON.stringify(journal));
  for (const name of await readdir(MIGRATIONS)) {
    if (journal.entries.some((entry) => name === `${entry.tag}.sql`))
      await copyFile(join(MIGRATIONS, name), join(dir, name));
  }
  return dir;
}

/** Runs migration `tag`'s statements, one at a time in one transaction, as the migrator does. */
export async function applyMigration(db: TestDatabase, tag: string): Promise<void> {
  const text = await readFile(join(MIGRATIONS, `${tag}.sql`), "utf8");
  await db.db.transaction(async (tx) => {
    for (const statement of text.split("--> statement-breakpoint")) {
      if (statement.trim()) await tx.execute(sql.raw(statement));
    }
  });
}
