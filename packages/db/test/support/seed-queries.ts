import { readFileSync } from "node:fs";

/** The seeds' SQL statements by name (`<seed> <name>` in the fixture), verbatim. */
export function seedQueries(): Map<string, string> {
  const text = readFileSync(new URL("../fixtures/seed-queries.sql", import.meta.url), "utf8");
  const queries = new Map<string, string>();
  for (const block of text.split(/^-- @query /m).slice(1)) {
    const newline = block.indexOf("\n");
    const name = block.slice(0, newline).trim().split(" ")[1] ?? "";
    queries.set(name, block.slice(newline + 1).trim());
  }
  return queries;
}

/** One seed statement; throws when the fixture has no statement of that name. */
export function seedQuery(name: string): string {
  const query = seedQueries().get(name);
  if (!query) throw new Error(`no seed query "${name}" in test/fixtures/seed-queries.sql`);
  return query;
}
