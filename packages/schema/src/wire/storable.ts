import { z } from "zod";

/**
 * The values PostgreSQL can store, so that nothing a contract accepts fails in the database (and nothing stored
 * breaks a read later). Each check answers with a message that names the problem.
 */

/** int4 (`integer`) columns. */
export const INT4_MAX = 2_147_483_647;
/** The largest finite float4 (`real`, pgvector's element type). */
export const FLOAT4_MAX = 3.4028234663852886e38;
/** Free-form JSON objects (a recommendation's fields, an event payload): how deep and how many keys in all. */
export const MAX_JSON_DEPTH = 32;
export const MAX_JSON_KEYS = 10_000;

const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Text PostgreSQL stores as it is: no NUL character (text and jsonb refuse it) and no unpaired UTF-16 surrogate. */
export function isStorableText(value: string): boolean {
  return !value.includes("\u0000") && !UNPAIRED_SURROGATE.test(value);
}

export const STORABLE_TEXT_MESSAGE =
  "must not contain NUL characters (\\u0000) or unpaired UTF-16 surrogates";

/** A string the database can store. */
export function storableText() {
  return z.string({ error: "expected a string" }).refine(isStorableText, { error: STORABLE_TEXT_MESSAGE });
}

/** An integer an int4 column holds. */
export function int4() {
  return z.int32({ error: `expected an integer from -2147483648 to ${INT4_MAX}` });
}

/**
 * Checks a free-form JSON value: every string and key storable, at most `MAX_JSON_DEPTH` levels and `MAX_JSON_KEYS`
 * keys in all (deeper or larger values exhaust the stack or the memory of whoever reads them). Reports the first
 * problem at its path.
 */
export function checkStorableJson(
  value: unknown,
  ctx: z.RefinementCtx,
  base: readonly PropertyKey[] = [],
): void {
  let keys = 0;
  const visit = (node: unknown, path: PropertyKey[], depth: number): boolean => {
    if (depth > MAX_JSON_DEPTH) {
      ctx.addIssue({ code: "custom", path, message: `nested deeper than ${MAX_JSON_DEPTH} levels` });
      return false;
    }
    if (typeof node === "string") {
      if (isStorableText(node)) return true;
      ctx.addIssue({ code: "custom", path, message: STORABLE_TEXT_MESSAGE });
      return false;
    }
    if (typeof node === "number" && !Number.isFinite(node)) {
      ctx.addIssue({ code: "custom", path, message: "must be a finite number" });
      return false;
    }
    if (Array.isArray(node)) return node.every((item, i) => visit(item, [...path, i], depth + 1));
    if (node !== null && typeof node === "object") {
      for (const [key, item] of Object.entries(node)) {
        keys += 1;
        if (keys > MAX_JSON_KEYS) {
          ctx.addIssue({ code: "custom", path, message: `more than ${MAX_JSON_KEYS} keys in all` });
          return false;
        }
        if (!isStorableText(key)) {
          ctx.addIssue({ code: "custom", path: [...path, key], message: `key ${STORABLE_TEXT_MESSAGE}` });
          return false;
        }
        if (!visit(item, [...path, key], depth + 1)) return false;
      }
    }
    return true;
  };
  visit(value, [...base], 0);
}

/** 0001-01-01T00:00:00Z: the service writes times in UTC, and PostgreSQL reads no year before 0001 in that form. */
export const EARLIEST_STORABLE_MS = Date.parse("0001-01-01T00:00:00Z");

/**
 * 9999-12-31T23:59:59.999Z, the last millisecond PostgreSQL stores within four-digit years: it writes later instants
 * with a five-digit year, which RFC 3339 has no room for.
 */
export const LATEST_STORABLE_MS = Date.parse("9999-12-31T23:59:59.999Z");

/**
 * An RFC 3339 time PostgreSQL's `timestamptz` takes as the service writes it and reads it back: an offset within
 * ±15:59 (PostgreSQL's limit) and an instant from 0001-01-01T00:00:00Z (there is no year 0;
 * `0001-01-01T00:30:00+15:59` is in year 0 once in UTC) to 9999-12-31T23:59:59.999999Z (`9999-12-31T23:59:59-01:00`
 * is in year 10000 once in UTC).
 */
export function isStorableTime(value: string): boolean {
  const offset = /([+-])(\d{2}):?(\d{2})$/.exec(value);
  if (offset && Number(offset[2]) * 60 + Number(offset[3]) > 15 * 60 + 59) return false;
  const ms = Date.parse(value);
  if (value.startsWith("0000-") || !Number.isFinite(ms) || ms < EARLIEST_STORABLE_MS) return false;
  // PostgreSQL rounds to the microsecond: 9999-12-31T23:59:59.9999995Z is year 10000 once stored.
  return ms < LATEST_STORABLE_MS || (ms === LATEST_STORABLE_MS && nanosWithinMs(value) < 999_500);
}

export const STORABLE_TIME_MESSAGE =
  "must be a time from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999Z, with an offset within ±15:59 (PostgreSQL's range)";

/**
 * Orders two RFC 3339 instants to the nanosecond, as far as they are written (`Date.parse` stops at the
 * millisecond, and the wire carries up to nanoseconds): negative when `a` is earlier, NaN when either is not a time.
 */
export function compareInstants(a: string, b: string): number {
  const byMs = Date.parse(a) - Date.parse(b);
  return byMs !== 0 ? byMs : nanosWithinMs(a) - nanosWithinMs(b);
}

function nanosWithinMs(value: string): number {
  const fraction = /T[^.]*\.(\d+)/.exec(value)?.[1] ?? "";
  return Number(fraction.padEnd(9, "0").slice(3, 9));
}

/**
 * The instant `ms`, moved forward to the earliest one PostgreSQL stores: for a bound computed back from a given time
 * (an analytics window of 100 years before year 50), where "before year 1" and "from year 1" select the same rows.
 */
export function clampToStorable(ms: number): number {
  return Math.max(ms, EARLIEST_STORABLE_MS);
}

/** A wire instant for query parameters and cursors, e.g. `since`/`until`. */
export const storableInstant = z.iso
  .datetime({ offset: true, error: "expected an RFC 3339 time, e.g. 2025-01-15T10:30:00Z", abort: true })
  .refine(isStorableTime, { error: STORABLE_TIME_MESSAGE });
