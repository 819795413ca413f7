import { createHash, randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPgliteDatabase, type Database, defaultMigrationsFolder, openPglite } from "@kubernaut/db";

/**
 * Starting PGlite runs initdb, which takes seconds; starting from a dump of an initialised (and migrated)
 * data directory takes a fraction of that. So the template is built once, kept for the process and cached
 * in the temp directory under a key that changes with the migrations, and every test database starts from
 * a copy of it.
 */
interface Template {
  dump: Blob;
  fromCache: boolean;
}

const CACHE_DIR = join(tmpdir(), "kubernaut-pglite-templates");
const templates = new Map<string, Promise<Template>>();

/**
 * A fresh in-memory PGlite from the template: migrated, or only initialised when `migrated` is false.
 * `migrationsFolder` (default: the repository's) is what it is migrated with and what `migrate()` applies.
 */
export async function createPgliteTestDatabase(
  migrated: boolean,
  migrationsFolder: string = defaultMigrationsFolder(),
): Promise<Database> {
  const options = { migrationsFolder };
  const key = await templateKey(migrated, migrationsFolder);
  const path = join(CACHE_DIR, `${key}.tar`);
  let template = templates.get(key);
  if (!template) {
    template = readCached(path).then((cached) => cached ?? buildTemplate(path, migrated, migrationsFolder));
    templates.set(key, template);
  }
  const { dump, fromCache } = await template;
  try {
    return createPgliteDatabase(await openPglite({ loadDataDir: dump }), options);
  } catch (error) {
    if (!fromCache) throw error;
    // A dump cached by another PGlite version may not start: build a new one.
    const rebuilt = buildTemplate(path, migrated, migrationsFolder);
    templates.set(key, rebuilt);
    return createPgliteDatabase(await openPglite({ loadDataDir: (await rebuilt).dump }), options);
  }
}

async function readCached(path: string): Promise<Template | undefined> {
  const bytes = await readFile(path).catch(() => undefined);
  return bytes ? { dump: new Blob([bytes]), fromCache: true } : undefined;
}

async function buildTemplate(path: string, migrated: boolean, migrationsFolder: string): Promise<Template> {
  await rm(path, { force: true });
  const client = await openPglite();
  try {
    if (migrated) await createPgliteDatabase(client, { migrationsFolder }).migrate();
    const bytes = Buffer.from(await (await client.dumpDataDir("none")).arrayBuffer());
    await mkdir(CACHE_DIR, { recursive: true });
    // Written aside and renamed, so that a process reading the cache never sees half a file.
    const partial = `${path}.${randomBytes(4).toString("hex")}.partial`;
    await writeFile(partial, bytes);
    await rename(partial, path);
    return { dump: new Blob([bytes]), fromCache: false };
  } finally {
    await client.close();
  }
}

/** Changes whenever a migration file changes, so that a stale template is never used. */
async function templateKey(migrated: boolean, folder: string): Promise<string> {
  if (!migrated) return "initialised";
  const sqlFiles = (await readdir(folder)).filter((file) => file.endsWith(".sql")).sort();
  const hash = createHash("sha256");
  for (const file of [join("meta", "_journal.json"), ...sqlFiles]) {
    hash.update(file).update(await readFile(join(folder, file)));
  }
  return `migrated-${hash.digest("hex").slice(0, 16)}`;
}
