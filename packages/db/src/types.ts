import type { Schema } from "@kubernaut/schema";
import type { ExtractTablesWithRelations, SQLWrapper } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";

/** The typed Drizzle database, the same type over PGlite and node-postgres. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

/** The transaction `db.transaction(async (tx) => …)` hands its callback. */
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;

export type Driver = "pglite" | "node-postgres";

/** Connection figures for metrics. PGlite has a single session: one connection, never waited for. */
export interface PoolStats {
  /** Open connections. */
  total: number;
  /** Open connections not running a query. */
  idle: number;
  /** Queries waiting for a connection. */
  waiting: number;
  /** The most connections the pool opens. */
  max: number;
}

/** How the database's applied migrations compare with the migrations folder. */
export interface MigrationStatus {
  /** Migrations in the folder. */
  total: number;
  /** Of those, applied to the database. */
  applied: number;
  /** Of those, not applied yet. */
  pending: number;
  /** Every migration in the folder is applied. */
  upToDate: boolean;
}

/** One database, whichever driver serves it. */
export interface Database {
  readonly driver: Driver;
  /** The typed Drizzle database: query builder, relational queries, `transaction`. */
  readonly db: Db;
  /** Raw SQL, answering rows (see `execute`). */
  execute<T extends Record<string, unknown> = Record<string, unknown>>(
    query: SQLWrapper | string,
  ): Promise<T[]>;
  /**
   * Raw SQL like `execute`, as a prepared statement named after its text on PostgreSQL, so that a statement run
   * again and again is parsed once per connection (see `executePrepared`); the same as `execute` on PGlite,
   * which runs in process. For statements whose text comes from a small set.
   */
  executePrepared<T extends Record<string, unknown> = Record<string, unknown>>(
    query: SQLWrapper,
  ): Promise<T[]>;
  /** Runs `work` in one transaction on one connection; commits when it resolves, rolls back when it throws. */
  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * Applies the pending migrations of the migrations folder. On PostgreSQL it holds an advisory lock while it
   * does, so that replicas starting together apply each migration once.
   */
  migrate(): Promise<void>;
  migrationStatus(): Promise<MigrationStatus>;
  poolStats(): PoolStats;
  /** Closes the pool or the embedded database. Idempotent. */
  close(): Promise<void>;
}
