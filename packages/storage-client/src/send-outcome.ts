import type { FieldError } from "@kubernaut/schema/contracts";
import { StorageApiError, StorageResponseError } from "./errors.js";

/** What to do with a batch after one send. */
export type SendOutcome =
  | { kind: "ack" }
  /** Some records are invalid: drop them (with their field errors) and send the others. */
  | { kind: "invalid"; invalid: Map<number, FieldError[]>; error: StorageApiError }
  /** The batch as a whole was refused (too large, or an error that names no record): send it in halves. */
  | { kind: "split"; error: StorageApiError }
  /** The service refused these records for good. */
  | { kind: "reject"; error: StorageApiError }
  /** Transient: send again after a backoff. `answered` is false when the service was not reached. */
  | { kind: "retry"; error: unknown; answered: boolean; retryAfterMs?: number };

/** A token may have rotated (401/403); the others say "later". */
const RETRIED_CLIENT_ERRORS = new Set([401, 403, 408, 429]);
/**
 * What the service answers for something in the records (a value refused, a collision with stored data, too
 * large): a batch answered so, naming no record, is split until the records at fault are alone, so that it never
 * costs the others. Other refusals (404, 405, 415) are about the request, not a record.
 */
const RECORD_CLIENT_ERRORS = new Set([400, 409, 413, 422]);
const RECORD_PATH = /^records\.(\d+)(?:\.(.*))?$/;

/** Classifies the failure of one batch send of `batchSize` records. */
export function classifyFailure(error: unknown, batchSize: number): SendOutcome {
  if (error instanceof StorageResponseError) {
    // A success status means the records were stored even if the answer could not be read.
    return error.status >= 200 && error.status < 300
      ? { kind: "ack" }
      : { kind: "retry", error, answered: true };
  }
  if (!(error instanceof StorageApiError)) return { kind: "retry", error, answered: false };

  const { status } = error;
  if (status >= 500 || RETRIED_CLIENT_ERRORS.has(status) || status < 400) {
    return { kind: "retry", error, answered: true, retryAfterMs: error.retryAfterMs };
  }
  if (status === 400 || status === 422) {
    const invalid = invalidRecords(error.errors, batchSize);
    if (invalid.size > 0) return { kind: "invalid", invalid, error };
  }
  if (RECORD_CLIENT_ERRORS.has(status) && batchSize > 1) return { kind: "split", error };
  return { kind: "reject", error };
}

/** Maps `records.3.start_time` errors to record 3, with the path inside the record. */
export function invalidRecords(errors: readonly FieldError[], batchSize: number): Map<number, FieldError[]> {
  const byIndex = new Map<number, FieldError[]>();
  for (const fieldError of errors) {
    const match = RECORD_PATH.exec(fieldError.path);
    if (!match) continue;
    const index = Number(match[1]);
    if (index >= batchSize) continue;
    const list = byIndex.get(index) ?? [];
    list.push({ path: match[2] ?? "(record)", message: fieldError.message });
    byIndex.set(index, list);
  }
  return byIndex;
}
