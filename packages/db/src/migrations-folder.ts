import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The nearest `migrations/` folder (one holding `meta/_journal.json`) in this module's directory or above it.
 * Walking up finds the repository's folder from `src/` and from `dist/`, and finds a deployed app's folder
 * wherever its image places `migrations/` above `node_modules/`.
 */
export function defaultMigrationsFolder(from: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (;;) {
    const candidate = join(dir, "migrations");
    if (existsSync(join(candidate, "meta", "_journal.json"))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) {
      throw new Error(
        `no migrations folder (migrations/meta/_journal.json) in ${from} or above it; set migrationsFolder`,
      );
    }
    dir = parent;
  }
}
