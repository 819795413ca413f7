import { z } from "zod";
import { isStorableTime, STORABLE_TIME_MESSAGE } from "./storable.js";

/**
 * Go's zero `time.Time`, which `encoding/json` writes for a struct field that was never set.
 * The platform treats it as "unset" everywhere.
 */
export const GO_ZERO_TIME = "0001-01-01T00:00:00Z";

/** True for Go's zero time in any of the spellings Go produces (`Z`, `+00:00`, with fractions). */
export function isGoZeroTime(value: string): boolean {
  return value.startsWith("0001-01-01T00:00:00");
}

/** An RFC 3339 time with any fractional precision up to nanoseconds, as Go's `time.Time` marshals. */
export const goTime = z.iso
  .datetime({
    offset: true,
    error: "expected an RFC 3339 time, e.g. 2025-01-15T10:30:00.123456789Z",
    abort: true,
  })
  .refine(isStorableTime, { error: STORABLE_TIME_MESSAGE });

/** A time that must be set: Go's zero time is refused. */
export const goTimeRequired = goTime.refine((v) => !isGoZeroTime(v), {
  message: `must be set (${GO_ZERO_TIME} means unset)`,
});

/** An optional time: absent, `null` (a nil `*time.Time`) or Go's zero time all mean unset. */
export const goTimeOptional = goTime.nullish();

/** Converts a wire time to a Date, mapping every spelling of "unset" to null. */
export function parseGoTime(value: string | null | undefined): Date | null {
  if (value == null || isGoZeroTime(value)) return null;
  return new Date(value);
}

/**
 * Go's `time.ParseDuration` grammar: an optional sign, then one or more decimal numbers each with a unit
 * (`ns`, `us`, `µs`/`μs`, `ms`, `s`, `m`, `h`), e.g. `"2.5s"`, `".5s"`, `"1h2m3.5s"`; or a bare `"0"`.
 */
const GO_DURATION = /^[-+]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$|^[-+]?0$/;
const GO_DURATION_PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g;
const NANOS_PER_UNIT: Record<string, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/**
 * The durations the service accepts: from zero to 2^53 - 1 nanoseconds (about 104 days), the range a JavaScript
 * number holds exactly. A negative duration (a skewed clock) is refused rather than stored as a negative interval.
 */
export const MAX_DURATION_NANOS = Number.MAX_SAFE_INTEGER;
const DURATION_RANGE_MESSAGE =
  "must be from 0 to 9007199254740991 ns (about 104 days); a negative duration is refused";

/** Whether `text` is in Go's duration grammar (the sign included). */
export function isGoDurationText(text: string): boolean {
  return GO_DURATION.test(text);
}

/**
 * A Go `time.Duration`: `encoding/json` writes it as an integer count of nanoseconds;
 * humans and `Duration.String()` write strings such as `"2.5s"` or `"1m30s"`. Only the accepted range passes.
 */
export const goDuration = z
  .union([
    z.int({ error: "expected a duration: integer nanoseconds or a Go duration string such as 2.5s" }),
    z
      .string()
      .regex(GO_DURATION, { error: 'expected a Go duration string such as "2.5s", "150ms" or "1m30s"' }),
  ])
  .refine((value) => inDurationRange(parseGoDuration(value)), { error: DURATION_RANGE_MESSAGE });

/** A Go duration string only (e.g. a query parameter), in the accepted range. */
export const goDurationText = z
  .string()
  .regex(GO_DURATION, { error: 'expected a Go duration such as "2s", "500ms" or "1m30s"', abort: true })
  .refine((value) => inDurationRange(parseGoDuration(value)), { error: DURATION_RANGE_MESSAGE });

function inDurationRange(nanos: number): boolean {
  return Number.isFinite(nanos) && nanos >= 0 && nanos <= MAX_DURATION_NANOS;
}

/** Nanoseconds for a wire duration (Go's grammar; see `goDuration` for the range the service accepts). */
export function parseGoDuration(value: number | string): number {
  if (typeof value === "number") return value;
  const sign = value.startsWith("-") ? -1 : 1;
  let total = 0;
  for (const [, amount, unit] of value.matchAll(GO_DURATION_PART)) {
    total += Number(amount) * (NANOS_PER_UNIT[unit ?? "ns"] ?? 1);
  }
  return sign * Math.round(total);
}

/**
 * An ISO 8601 duration PostgreSQL casts to the exact interval (microsecond resolution),
 * so that `(processing_phases->0->>'duration')::interval` gives the true duration.
 */
export function nanosToInterval(nanos: number): string {
  const micros = Math.round(nanos / 1e3);
  const sign = micros < 0 ? "-" : "";
  const abs = Math.abs(micros);
  const seconds = Math.floor(abs / 1e6);
  const fraction = String(abs % 1e6)
    .padStart(6, "0")
    .replace(/0+$/, "");
  return `${sign}PT${seconds}${fraction ? `.${fraction}` : ""}S`;
}

/** Go writes an unset string as `""`; the database stores it as NULL. */
export function emptyToNull(value: string | null | undefined): string | null {
  return value == null || value === "" ? null : value;
}
