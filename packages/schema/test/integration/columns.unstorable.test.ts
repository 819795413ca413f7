import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import { getTableColumns, getTableName } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { schema } from "../../src/index.js";
import { type Probe, unstorable } from "../support/unstorable.js";

/** Runs one statement with parameters; rows come back as objects. */
type Run = (sql: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

/**
 * The derivation of `contracts.storable.test.ts` checked against the database itself, on PGlite and (with
 * TEST_DATABASE_URL) PostgreSQL: each value it calls unstorable for a column is refused by the column's type, or
 * comes back as something else, on one of the ways the service sends values (the text as given, as query
 * parameters and legal holds are; or a time converted to UTC, as record fields are). Each value it calls unusable
 * is stored but has an undefined cosine similarity. So the contract test cannot pass on a wrong idea of the types.
 */
const tiers: { name: string; open: () => Promise<{ run: Run; close: () => Promise<void> }> }[] = [
  {
    name: "PGlite",
    open: async () => {
      const db = await PGlite.create({ extensions: { vector } });
      await db.exec("CREATE EXTENSION vector");
      return {
        run: async (sql, params) => (await db.query<Record<string, unknown>>(sql, params)).rows,
        close: () => db.close(),
      };
    },
  },
];
const serverUrl = process.env.TEST_DATABASE_URL?.trim();
if (serverUrl) {
  tiers.push({
    name: "PostgreSQL",
    open: async () => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      // Nothing outlives the test: the extension and every probe are rolled back.
      await client.query("BEGIN");
      await client.query("CREATE EXTENSION IF NOT EXISTS vector");
      return {
        run: async (sql, params) => {
          await client.query("SAVEPOINT probe");
          try {
            const { rows } = await client.query(sql, params);
            await client.query("RELEASE SAVEPOINT probe");
            return rows;
          } catch (error) {
            await client.query("ROLLBACK TO SAVEPOINT probe");
            throw error;
          }
        },
        close: async () => {
          await client.query("ROLLBACK");
          await client.end();
        },
      };
    },
  });
}

const TABLES = Object.values(schema) as PgTable[];

/** The SQL type to cast to: a serial column is an integer one. */
const castType = (column: PgColumn) =>
  column
    .getSQLType()
    .replace(/^bigserial$/, "bigint")
    .replace(/^serial$/, "integer");

/** How the service would send `value` to the column: as given, and (times) as UTC text from a Date. */
function spellings(column: PgColumn, value: unknown): unknown[] {
  const type = column.getSQLType();
  if (type === "jsonb" || type.startsWith("vector")) return [JSON.stringify(value)];
  if (type.startsWith("timestamp") && typeof value === "string") {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? [value] : [value, new Date(ms).toISOString()];
  }
  return [value];
}

/** Whether the database refuses the value or gives back something else. */
async function refusedOrChanged(run: Run, column: PgColumn, probe: Probe): Promise<boolean> {
  const type = castType(column);
  for (const spelling of spellings(column, probe.value)) {
    try {
      if (!(await comesBackTheSame(run, type, spelling))) return true;
    } catch {
      return true;
    }
  }
  return false;
}

/** Stores nothing: casts `spelling` to `type` and compares what comes back (an instant for a time). */
async function comesBackTheSame(run: Run, type: string, spelling: unknown): Promise<boolean> {
  if (type.startsWith("timestamp")) {
    const [row] = await run(`SELECT (extract(epoch from $1::${type}) * 1000)::float8 AS v`, [spelling]);
    return Number(row?.v) === Date.parse(String(spelling));
  }
  const [row] = await run(`SELECT $1::${type} AS v`, [spelling]);
  const back = row?.v;
  if (type.startsWith("vector")) {
    const float4 = (text: string) => JSON.stringify((JSON.parse(text) as number[]).map(Math.fround));
    return float4(String(back)) === float4(String(spelling));
  }
  if (type === "jsonb")
    return JSON.stringify(typeof back === "string" ? JSON.parse(back) : back) === spelling;
  return JSON.stringify(back) === JSON.stringify(spelling);
}

describe.each(tiers)("the unstorable values derived from the columns, on $name", ({ open }) => {
  let db: Awaited<ReturnType<(typeof tiers)[number]["open"]>>;
  beforeAll(async () => {
    db = await open();
  });
  afterAll(async () => {
    await db?.close();
  });

  it.each(TABLES.map((table) => [getTableName(table), table] as const))(
    "%s: each is refused or changed by its column, or (vectors) has no cosine similarity",
    async (_, table) => {
      let probes = 0;
      for (const column of Object.values(getTableColumns(table)) as PgColumn[]) {
        for (const probe of unstorable(column)) {
          probes++;
          const what = `${column.name} (${column.getSQLType()}): ${probe.why}`;
          if (probe.unusable) {
            const [row] = await db.run(
              `SELECT ($1::${castType(column)} <=> $1::${castType(column)})::text AS v`,
              [JSON.stringify(probe.value)],
            );
            expect(row?.v, what).toBe("NaN");
          } else {
            expect(await refusedOrChanged(db.run, column, probe), `${what} was stored as it is`).toBe(true);
          }
        }
      }
      expect(probes).toBeGreaterThan(0);
    },
  );
});
