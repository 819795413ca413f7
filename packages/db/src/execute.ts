import { createHash } from "node:crypto";
import type { SQLWrapper } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import type pg from "pg";
import type { Db, Tx } from "./types.js";

/** A row of a raw query, keyed by column name. */
export type Row = Record<string, unknown>;

const INT8_OID = 20;

interface RawResult {
  rows: unknown[];
  fields?: { name: string; dataTypeID: number }[];
}

/**
 * Runs raw SQL on a database or inside a transaction and answers its rows, the same on both drivers.
 *
 * `db.execute()` answers a driver-specific result; both carry `rows`, and both leave timestamps, dates,
 * intervals and numerics as the server's text. They differ on `bigint` (`COUNT(*)`, `SUM(int)`): PGlite
 * answers a number, node-postgres a string. Here both answer a number, so callers see one shape.
 */
export async function execute<T extends Row = Row>(
  executor: Db | Tx,
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

function rowsOfResult<T extends Row>(result: RawResult): T[] {
  if (!Array.isArray(result?.rows)) throw new Error("the database driver answered a result without rows");
  const bigintColumns = (result.fields ?? []).filter((f) => f.dataTypeID === INT8_OID).map((f) => f.name);
  if (bigintColumns.length === 0) return result.rows as T[];
  return result.rows.map((row) => {
    const out: Row = { ...(row as Row) };
    for (const name of bigintColumns) {
      if (typeof out[name] === "string") out[name] = Number(out[name]);
    }
    return out as T;
  });
}
