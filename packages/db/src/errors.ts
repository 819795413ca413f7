import { jitteredDelay, sleep } from "@kubernaut/common";
/**
 * What went wrong in the database, by what the caller should do about it:
 * - `input`: the values sent caused it (SQLSTATE class 22 data exceptions such as an out-of-range number or an
 *   invalid text representation, the integrity violations a value causes, a statement too large): answer 4xx,
 *   retrying cannot help;
 * - `conflict`: the request collides with what is stored (a unique or exclusion violation, a row a legal hold
 *   keeps from being deleted): answer 409, retrying cannot help either;
 * - `transient`: the same statement can succeed a moment later (a deadlock, a serialization failure, a lost or
 *   refused connection, a server starting or shutting down, too many connections): retry, then answer 503;
 * - `other`: anything else (a bug, a missing table): answer 500.
 */
export type DatabaseErrorKind = "input" | "conflict" | "transient" | "other";

export interface ClassifiedDatabaseError {
  kind: DatabaseErrorKind;
  /** The SQLSTATE, when the server sent one. */
  code: string | undefined;
  /** The server's message (or the driver's), safe to show: it names the problem, never the statement. */
  message: string;
  /** The column, constraint and table the server named, when it named them. */
  column?: string;
  constraint?: string;
  table?: string;
}

const INPUT_CODES = new Set(["23502", "23503", "23514", "54000", "54001", "54011", "54023"]);
/** 23001 is what the legal-hold triggers raise for a held row. */
const CONFLICT_CODES = new Set(["23001", "23505", "23P01"]);
const TRANSIENT_CODES = new Set([
  "40001",
  "40P01",
  "55P03",
  "57P01",
  "57P02",
  "57P03",
  "57014",
  "53000",
  "53100",
  "53200",
  "53300",
  "53400",
]);
/** What node-postgres and Node's sockets say when the connection itself failed (no SQLSTATE). */
const TRANSIENT_MESSAGE =
  /Connection terminated|connection (?:is )?closed|timeout exceeded when trying to connect|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|Client has encountered a connection error/i;

/**
 * Classifies an error thrown by a query on either driver. PGlite and node-postgres both put the SQLSTATE in
 * `code`; Drizzle wraps them in an error whose `cause` is the driver's, so the chain of causes is followed.
 */
export function classifyDatabaseError(error: unknown): ClassifiedDatabaseError | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    const code = "code" in current && typeof current.code === "string" ? current.code : undefined;
    if (code && /^[0-9A-Z]{5}$/.test(code)) {
      return { kind: kindOf(code), code, message: current.message, ...namedBy(current) };
    }
    if (TRANSIENT_MESSAGE.test(current.message) || (code && TRANSIENT_MESSAGE.test(code))) {
      return { kind: "transient", code: undefined, message: current.message };
    }
    current = current.cause;
  }
  return undefined;
}

function kindOf(code: string): DatabaseErrorKind {
  if (code.startsWith("22") || INPUT_CODES.has(code)) return "input";
  if (CONFLICT_CODES.has(code)) return "conflict";
  if (code.startsWith("08") || TRANSIENT_CODES.has(code)) return "transient";
  return "other";
}

/** The `column`, `constraint` and `table` fields both drivers copy from the server's error. */
function namedBy(error: Error): Pick<ClassifiedDatabaseError, "column" | "constraint" | "table"> {
  const named: Pick<ClassifiedDatabaseError, "column" | "constraint" | "table"> = {};
  for (const field of ["column", "constraint", "table"] as const) {
    const value = (error as Partial<Record<typeof field, unknown>>)[field];
    if (typeof value === "string" && value !== "") named[field] = value;
  }
  return named;
}

export function isTransientDatabaseError(error: unknown): boolean {
  return classifyDatabaseError(error)?.kind === "transient";
}

export interface RetryOptions {
  /** Attempts in all, the first included. */
  attempts?: number;
  /** The first wait; each later one doubles, with full jitter. */
  baseDelayMs?: number;
  /** Told of each transient failure that is about to be retried (for a metric or a log line). */
  onRetry?: (error: ClassifiedDatabaseError, attempt: number) => void;
}

/**
 * Runs `operation`, again after a transient database error (a deadlock, a serialization failure, a dropped
 * connection), up to `attempts` times with jittered exponential backoff; any other error, or the last transient
 * one, is thrown.
 */
export async function retryTransient<T>(operation: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 4;
  const base = options.baseDelayMs ?? 20;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      const classified = classifyDatabaseError(error);
      if (attempt >= attempts || classified?.kind !== "transient") throw error;
      options.onRetry?.(classified, attempt);
      await sleep(jitteredDelay(attempt, { baseMs: base, capMs: Number.POSITIVE_INFINITY }));
    }
  }
}
