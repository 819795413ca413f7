import { sql } from "drizzle-orm";
import { execute } from "./execute.js";
import type { Db } from "./types.js";

/** What `tryWithAdvisoryLock` answers: the work's result, or that another holder had the lock. */
export type AdvisoryLockAttempt<T> = { acquired: true; value: T } | { acquired: false };

/** One connection taken for a lock: a session advisory lock belongs to the session that took it. */
export interface LockConnection<D extends Db = Db> {
  /** The database on this one connection (PGlite: the database itself, which has a single session). */
  readonly db: D;
  /** Gives the connection back; given an error, the pool discards it, and with it any lock its session holds. */
  release(error?: Error): void;
}

/**
 * The connections a database's locks are taken on, and the keys its holders in this process hold. PGlite runs
 * every query on one session, where advisory locks stack (the session that holds one takes it again at once),
 * so holders in one process are kept apart here as well as by the server.
 */
export class LockSource<D extends Db = Db> {
  private readonly tails = new Map<number, Promise<void>>();

  constructor(readonly connect: () => Promise<LockConnection<D>>) {}

  /**
   * Enters `key` in this process once no other holder here is in it (answers the exit), or answers null at
   * once when one is and `wait` is false.
   */
  async enter(key: number, wait: boolean): Promise<(() => void) | null> {
    const previous = this.tails.get(key);
    if (previous !== undefined && !wait) return null;
    let exit = () => {};
    const mine = new Promise<void>((resolve) => {
      exit = resolve;
    });
    const tail = (previous ?? Promise.resolve()).then(() => mine);
    this.tails.set(key, tail);
    await previous;
    return () => {
      exit();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    };
  }
}

const sources = new WeakMap<Db, LockSource>();

/** Lets `withAdvisoryLock(db, …)` find the connections of a database this package opened. */
export function registerLockSource(db: Db, source: LockSource): void {
  sources.set(db, source);
}

function sourceOf(db: Db): LockSource {
  const source = sources.get(db);
  if (source === undefined) throw new Error("advisory locks need a database opened by @kubernaut/db");
  return source;
}

/**
 * Runs `work` holding the session advisory lock `key`, waiting for it while another holder (another replica,
 * or another caller in this process) has it; answers what `work` answers. See `tryWithAdvisoryLock`.
 */
export async function withAdvisoryLock<T>(
  db: Db,
  key: number,
  work: (session: Db) => Promise<T>,
): Promise<T> {
  const attempt = await holdAdvisoryLock(sourceOf(db), key, true, work);
  if (!attempt.acquired) throw new Error(`advisory lock ${key} was not taken although waited for`);
  return attempt.value;
}

/**
 * Runs `work` holding the session advisory lock `key` if no other holder (another replica, or another caller
 * in this process) has it, without waiting: `{ acquired: false }` when one has.
 *
 * The lock is taken on a connection of its own (on PostgreSQL one checked out of the pool for the while;
 * PGlite's single session), and `work` gets that connection as `session`: statements run on it are under the
 * lock on the same connection, others go through the pool as usual. Afterwards, whether `work` resolved or
 * threw, the lock is released and the connection given back. When `work` or the release failed, the connection
 * is discarded rather than pooled, and any lock still on it goes with its session; a failed release does not
 * fail the work.
 */
export async function tryWithAdvisoryLock<T>(
  db: Db,
  key: number,
  work: (session: Db) => Promise<T>,
): Promise<AdvisoryLockAttempt<T>> {
  return holdAdvisoryLock(sourceOf(db), key, false, work);
}

/** The lock primitive, over any connection type (the migrator needs its driver's own database type). */
export async function holdAdvisoryLock<D extends Db, T>(
  source: LockSource<D>,
  key: number,
  wait: boolean,
  work: (session: D) => Promise<T>,
): Promise<AdvisoryLockAttempt<T>> {
  if (!Number.isSafeInteger(key)) throw new RangeError(`advisory lock key ${key} is not a safe integer`);
  const exit = await source.enter(key, wait);
  if (exit === null) return { acquired: false };
  try {
    const connection = await source.connect();
    let failure: Error | undefined;
    try {
      if (!(await lock(connection.db, key, wait))) return { acquired: false };
      let value: T;
      try {
        value = await work(connection.db);
      } catch (error) {
        failure = toError(error);
        await unlock(connection.db, key).catch(() => undefined);
        throw error;
      }
      await unlock(connection.db, key).catch((error: unknown) => {
        failure = toError(error);
      });
      return { acquired: true, value };
    } catch (error) {
      failure ??= toError(error);
      throw error;
    } finally {
      connection.release(failure);
    }
  } finally {
    exit();
  }
}

async function lock(session: Db, key: number, wait: boolean): Promise<boolean> {
  if (wait) {
    await execute(session, sql`SELECT pg_advisory_lock(${key}::bigint)`);
    return true;
  }
  const [row] = await execute<{ locked: boolean }>(
    session,
    sql`SELECT pg_try_advisory_lock(${key}::bigint) AS locked`,
  );
  return row?.locked === true;
}

async function unlock(session: Db, key: number): Promise<void> {
  await execute(session, sql`SELECT pg_advisory_unlock(${key}::bigint)`);
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
