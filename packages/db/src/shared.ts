import type { DatabaseConfig } from "./config.js";
import type { MigrationSource } from "./migrate.js";
import { defaultMigrationsFolder } from "./migrations-folder.js";

/** What the driver modules take besides their client. */
export type DriverOptions = Pick<DatabaseConfig, "migrationsFolder" | "migrationsSchema">;

export function migrationSource(options: DriverOptions): MigrationSource {
  return {
    migrationsFolder: options.migrationsFolder ?? defaultMigrationsFolder(),
    migrationsSchema: options.migrationsSchema ?? "drizzle",
  };
}

/**
 * Runs calls of `task` one after another: two `migrate()` calls in one process must not interleave their
 * reads of the migrations table (PGlite has no advisory lock across its single session).
 */
export function oneAtATime(task: () => Promise<void>): () => Promise<void> {
  let tail: Promise<void> = Promise.resolve();
  return () => {
    const run = tail.then(task);
    tail = run.catch(() => undefined);
    return run;
  };
}

/** Runs `close` once; later calls wait for the same promise. */
export function once(close: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => {
    closing ??= close();
    return closing;
  };
}
