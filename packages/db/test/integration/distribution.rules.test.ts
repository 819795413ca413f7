import { SHARD_SAFE_TRIGGER_FUNCTIONS, TABLE_PLACEMENTS } from "@kubernaut/schema";
import { createTestDatabase, type TestDatabase } from "@kubernaut/testing/db";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * The migrated schema keeps the rules that let it move to Citus unchanged (docs/design.md, "Scale-out"): every
 * table has a placement; every key of a distributed table leads with its distribution column; partitioning is on
 * one level; no foreign key; sequences are bigint; triggers call only functions that run on a shard.
 */
let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t?.close());

const distributed = Object.entries(TABLE_PLACEMENTS).flatMap(([table, placement]) =>
  placement.kind === "distributed" ? [{ table, column: placement.column }] : [],
);

describe("the schema is ready for Citus", () => {
  it("places every table, and names only tables that exist", async () => {
    const rows = await t.database.execute<{ name: string }>(sql`
      SELECT c.relname AS name FROM pg_class c
      WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition
        AND c.relname <> '__drizzle_migrations'
      ORDER BY 1`);
    expect(rows.map((row) => row.name)).toEqual(Object.keys(TABLE_PLACEMENTS).sort());
  });

  it("leads every primary key and unique index of a distributed table with its distribution column", async () => {
    const offending: string[] = [];
    for (const { table, column } of distributed) {
      const keys = await t.database.execute<{ name: string; first: string; not_null: boolean }>(sql`
        SELECT i.indexrelid::regclass::text AS name, a.attname AS first, a.attnotnull AS not_null
        FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
        WHERE i.indrelid = ${table}::regclass AND (i.indisunique OR i.indisprimary)`);
      expect(keys.length, `${table} has no primary key`).toBeGreaterThan(0);
      for (const key of keys)
        if (key.first !== column || !key.not_null) offending.push(`${key.name} leads with ${key.first}`);
    }
    expect(offending).toEqual([]);
  });

  it("partitions on one level only (Citus cannot distribute a partitioned partition)", async () => {
    const nested = await t.database.execute(sql`
      SELECT c.relname FROM pg_class c WHERE c.relkind = 'p' AND c.relispartition`);
    expect(nested).toEqual([]);
  });

  it("has no foreign key, and only bigint sequences", async () => {
    expect(await t.database.execute(sql`SELECT conname FROM pg_constraint WHERE contype = 'f'`)).toEqual([]);
    const small = await t.database.execute(sql`
      SELECT seqrelid::regclass::text AS name FROM pg_sequence JOIN pg_class s ON s.oid = seqrelid
      WHERE s.relnamespace = current_schema()::regnamespace AND seqtypid <> 'bigint'::regtype`);
    expect(small).toEqual([]);
  });

  it("fires on distributed tables only triggers that read nothing but reference tables", async () => {
    const functions = await t.database.execute<{ fn: string }>(sql`
      SELECT DISTINCT p.proname AS fn
      FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid JOIN pg_proc p ON p.oid = tg.tgfoid
      LEFT JOIN pg_inherits i ON i.inhrelid = c.oid
      WHERE NOT tg.tgisinternal
        AND COALESCE(i.inhparent, c.oid)::regclass::text = ANY(${`{${distributed.map((d) => d.table).join(",")}}`}::text[])
      ORDER BY 1`);
    expect(functions.length).toBeGreaterThan(0);
    expect(
      functions.map((row) => row.fn).filter((fn) => !SHARD_SAFE_TRIGGER_FUNCTIONS.includes(fn as never)),
    ).toEqual([]);
  });
});
