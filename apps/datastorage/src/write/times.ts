import { isGoZeroTime } from "@kubernaut/schema";

/**
 * A wire time as stored: the RFC 3339 text as sent (PostgreSQL rounds nanoseconds to microseconds),
 * or null for absent, `null` and Go's zero time.
 */
export function wireTime(value: string | null | undefined): string | null {
  return value == null || isGoZeroTime(value) ? null : value;
}

/** Milliseconds between two wire times, or null unless both are set. */
export function millisBetween(start: string | null, end: string | null): number | null {
  if (start === null || end === null) return null;
  return Math.max(0, Math.round(Date.parse(end) - Date.parse(start)));
}
