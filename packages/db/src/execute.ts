import { createHash } from "node:crypto";
import type { SQLWrapper } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import type pg from "pg";
import type { Db } from "./types.js";

/** A row of a raw query, keyed by column name. */
export type Row = Record<string, unknown>;

const INT8_OID = 20;
const INT8_ARRAY_OID = 1016;

interface RawResult {
  rows: unknown[];
  fields?: { name: string; dataTypeID: number }[];
}

/**
 * Runs raw SQL on a database or inside a transaction and answers its rows as plain objects, the same on both
 * drivers. Use it rather than `db.execute()`, whose result is driver-specific.
 *
 * Both drivers leave timestamps, dates, intervals and numerics as the server's text. They differ on `bigint`
 * (`int8`: `count(*)`, `bigserial` columns, `max()` of a `bigint`): node-postgres answers a string, PGlite a
 * number, or a JS `bigint` above 2^53. Here every `bigint` (and each element of a `bigint[]`) is a number, so a
 * query needs no `::int` cast to answer one. A value beyond ±(2^53 - 1), which a number cannot hold exactly,
 * throws a `RangeError` naming the column rather than answer a rounded number or a value of another type: cast
 * such a column to `text` or `numeric` in the query.
 */
export async function execute<T extends object = Row>(
  executor: Pick<Db, "execute">,
  query: SQLWrapper | string,
): Promise<T[]> {
  return rowsOfResult<T>((await executor.execute(query)) as unknown as RawResult);
}

const dialect = new PgDialect();

/**
 * Runs raw SQL on a node-postgres pool as a named prepared statement, named after its text: each connection
 * parses (and, once PostgreSQL settles on a generic plan, plans) a statement once, and afterwards receives only
 * its name and parameters. Meant for statements whose text comes from a small set (their values are all
 * parameters), since each connection keeps every statement it has prepared.
 */
export async function executePrepared<T extends Row = Row>(pool: pg.Pool, query: SQLWrapper): Promise<T[]> {
  const { sql: text, params } = dialect.sqlToQuery(query.getSQL());
  const name = `k_${createHash("sha1").update(text).digest("base64url")}`;
  // Not `pool.query()`: it closes the connection after any error, so every value the server refused would cost
  // a new connection (a TCP and authentication round trip, each statement prepared again) and slow everyone
  // else's writes. A statement the server refused (severity ERROR) leaves its connection usable; only one that
  // failed with the connection (a FATAL error, a lost socket) is discarded.
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    return rowsOfResult<T>(await client.query({ name, text, values: params }));
  } catch (error) {
    if (!isStatementError(error)) broken = error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    client.release(broken);
  }
}

/** An error the server answered for the statement alone, after which the session goes on. */
function isStatementError(error: unknown): boolean {
  return (error as { severity?: unknown } | null)?.severity === "ERROR";
}

function rowsOfResult<T extends object>(result: RawResult): T[] {
  if (!Array.isArray(result?.rows)) throw new Error("the database driver answered a result without rows");
  const fields = result.fields ?? [];
  const bigints = fields.filter((f) => f.dataTypeID === INT8_OID).map((f) => f.name);
  const bigintArrays = fields.filter((f) => f.dataTypeID === INT8_ARRAY_OID).map((f) => f.name);
  if (bigints.length === 0 && bigintArrays.length === 0) return result.rows as T[];
  return result.rows.map((row) => {
    const out: Row = { ...(row as Row) };
    for (const name of bigints) out[name] = bigintToNumber(name, out[name]);
    for (const name of bigintArrays) out[name] = bigintArrayToNumbers(name, out[name]);
    return out as T;
  });
}

/** A `bigint` column's value as a number: node-postgres's text, PGlite's number or JS `bigint`; null stays. */
function bigintToNumber(column: string, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (typeof value === "number") return value;
  const exact = typeof value === "bigint" ? value : typeof value === "string" ? BigInt(value) : undefined;
  if (exact === undefined) return value;
  const number = Number(exact);
  if (!Number.isSafeInteger(number)) {
    throw new RangeError(
      `column "${column}" holds the bigint ${exact}, beyond what a JS number holds exactly (±(2^53 - 1)): ` +
        "cast it to text or numeric in the query",
    );
  }
  return number;
}

function bigintArrayToNumbers(column: string, value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  return value.map((element: unknown) =>
    Array.isArray(element) ? bigintArrayToNumbers(column, element) : bigintToNumber(column, element),
  );
}
