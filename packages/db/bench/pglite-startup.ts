import { performance } from "node:perf_hooks";
import { createPgliteDatabase, openPglite } from "../src/index.js";

/** Prints how long a migrated in-memory PGlite takes: migrating each time versus loading a migrated dump. */
async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const result = await work();
  console.log(`${label.padEnd(40)} ${(performance.now() - start).toFixed(0).padStart(6)} ms`);
  return result;
}

const template = await timed("start PGlite (memory, pgvector)", () => openPglite());
const database = createPgliteDatabase(template);
await timed("migrate", () => database.migrate());
const dump = await timed("dumpDataDir (uncompressed)", () => template.dumpDataDir("none"));
console.log(`dump size ${(dump.size / 1e6).toFixed(1)} MB`);
for (let i = 0; i < 3; i++) {
  const fresh = await timed(`start + migrate #${i + 1}`, async () => {
    const client = await openPglite();
    await createPgliteDatabase(client).migrate();
    return client;
  });
  await fresh.close();
  const loaded = await timed(`start from dump #${i + 1}`, () => openPglite({ loadDataDir: dump }));
  await loaded.close();
}
await database.close();
