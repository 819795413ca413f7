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
  // Go's zero time is "unset" in every spelling, even one whose offset puts it in year 0.
  .refine((value) => isGoZeroTime(value) || isStorableTime(value), { error: STORABLE_TIME_MESSAGE });

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

/** Nanoseconds per unit of Go's `time.ParseDuration`: `µs` is U+00B5 (what Go prints), `μs` U+03BC. */
const NANOS_PER_UNIT: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};
/** A decimal number as Go reads one before a unit: digits, a fraction, or both (`2`, `2.5`, `2.`, `.5`). */
const NUMBER = String.raw`(?:\d+(?:\.\d*)?|\.\d+)`;
/** Longer units first, so that `ms` is never read as `m` followed by `s`. */
const alternatives = (units: readonly string[]) =>
  [...units].sort((a, b) => b.length - a.length || a.localeCompare(b)).join("|");
const GO_UNITS = alternatives(Object.keys(NANOS_PER_UNIT));
const GO_PARTS = `(?:${NUMBER}(?:${GO_UNITS}))+`;

/**
 * Go's `time.ParseDuration` grammar exactly: an optional sign, then one or more decimal numbers each with a unit
 * (`ns`, `us`, `µs`/`μs`, `ms`, `s`, `m`, `h`), e.g. `"2.5s"`, `".5s"`, `"1h2m3.5s"`; or a bare `"0"`.
 */
export const GO_DURATION_GRAMMAR = new RegExp(`^[-+]?(?:${GO_PARTS}|0)$`);
/**
 * The same grammar without the minus sign: what the platform accepts (also the `pattern` of the CRDs' duration
 * fields, so the API server refuses a negative duration too). RE2 syntax, which Kubernetes evaluates.
 */
export const NON_NEGATIVE_GO_DURATION = new RegExp(`^\\+?(?:${GO_PARTS}|0)$`);
const GO_DURATION_PART = new RegExp(`(${NUMBER})(${GO_UNITS})`, "g");

/**
 * The durations the service accepts: from zero to 2^53 - 1 nanoseconds (about 104 days), the range a JavaScript
 * number holds exactly. A negative duration (a skewed clock) is refused rather than stored as a negative interval,
 * and Go's own limit (2^63 - 1 ns, about 292 years) is far beyond anything the platform measures.
 */
export const MAX_DURATION_NANOS = Number.MAX_SAFE_INTEGER;
export const DURATION_RANGE_MESSAGE =
  "must be from 0 to 9007199254740991 ns (about 104 days); a negative duration is refused";

/** Whether `text` is in Go's duration grammar (the sign included). */
export function isGoDurationText(text: string): boolean {
  return GO_DURATION_GRAMMAR.test(text);
}

/** Whether `nanos` is a duration the platform accepts (see `MAX_DURATION_NANOS`). */
export function inDurationRange(nanos: number): boolean {
  return Number.isFinite(nanos) && nanos >= 0 && nanos <= MAX_DURATION_NANOS;
}

/** A Go duration string only (a query parameter, a setting, a CRD field), in the accepted range. */
export const goDurationText = z
  .string({ error: 'expected a Go duration such as "500ms", "30s" or "5m"' })
  .refine((value) => !(value.startsWith("-") && GO_DURATION_GRAMMAR.test(value)), {
    error: DURATION_RANGE_MESSAGE,
    abort: true,
  })
  .regex(NON_NEGATIVE_GO_DURATION, {
    error: 'expected a Go duration such as "500ms", "30s" or "5m"',
    abort: true,
  })
  .refine((value) => inDurationRange(parseGoDuration(value)), { error: DURATION_RANGE_MESSAGE });

/**
 * A Go `time.Duration`: `encoding/json` writes it as an integer count of nanoseconds;
 * humans and `Duration.String()` write strings such as `"2.5s"` or `"1m30s"`. Only the accepted range passes.
 */
export const goDuration = z
  .union(
    [
      z.int({ error: "expected a duration: integer nanoseconds or a Go duration string such as 2.5s" }),
      z.string().regex(GO_DURATION_GRAMMAR, {
        error: 'expected a Go duration string such as "2.5s", "150ms" or "1m30s"',
      }),
    ],
    { error: "expected a duration: integer nanoseconds or a Go duration string such as 2.5s" },
  )
  // Text outside the grammar (NaN) was reported by the union already.
  .refine((value) => Number.isNaN(parseGoDuration(value)) || inDurationRange(parseGoDuration(value)), {
    error: DURATION_RANGE_MESSAGE,
  });

/**
 * Nanoseconds for a wire duration in Go's grammar (sign included; see `goDuration` for the range the service
 * accepts). Text outside the grammar is `NaN`.
 */
export function parseGoDuration(value: number | string): number {
  if (typeof value === "number") return value;
  if (!GO_DURATION_GRAMMAR.test(value)) return Number.NaN;
  const sign = value.startsWith("-") ? -1 : 1;
  let total = 0;
  for (const [, amount = "", unit = ""] of value.matchAll(GO_DURATION_PART)) {
    total += nanosOf(amount, NANOS_PER_UNIT[unit] ?? 1);
  }
  return total === 0 ? 0 : sign * Math.round(total);
}

/** `amount` units in nanoseconds, the whole and the fraction apart so that `59.999999999s` stays exact. */
function nanosOf(amount: string, nanosPerUnit: number): number {
  const [whole = "", fraction = ""] = amount.split(".");
  return Number(whole || "0") * nanosPerUnit + Number(`0.${fraction || "0"}`) * nanosPerUnit;
}

/** Go's `time.Duration.String()` of a count of nanoseconds: `1.5ms`, `2.5s`, `1m30s`, `1h0m0s`, `0s`. */
export function formatGoDuration(nanos: number): string {
  const ns = Math.round(nanos);
  if (ns === 0) return "0s";
  const sign = ns < 0 ? "-" : "";
  const abs = Math.abs(ns);
  if (abs < 1e3) return `${sign}${abs}ns`;
  if (abs < 1e6) return `${sign}${trimFraction(abs / 1e3)}µs`;
  if (abs < 1e9) return `${sign}${trimFraction(abs / 1e6)}ms`;
  const hours = Math.floor(abs / 3600e9);
  const minutes = Math.floor((abs % 3600e9) / 60e9);
  const seconds = trimFraction((abs % 60e9) / 1e9);
  if (hours > 0) return `${sign}${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${sign}${minutes}m${seconds}s`;
  return `${sign}${seconds}s`;
}

function trimFraction(value: number): string {
  return value.toFixed(9).replace(/\.?0+$/, "");
}

/** Go's units plus `d` (24 hours), for spans such as an analytics window: `7d`, `24h`, `1h30m`, `.5d`. */
const SPAN_UNITS = alternatives([...Object.keys(NANOS_PER_UNIT), "d"]);
const SPAN_GRAMMAR = new RegExp(`^(?:${NUMBER}(?:${SPAN_UNITS}))+$`);
const SPAN_PART = new RegExp(`(${NUMBER})(${SPAN_UNITS})`, "g");
const NANOS_PER_SPAN_UNIT: Readonly<Record<string, number>> = { ...NANOS_PER_UNIT, d: 86_400e9 };

/** The longest span: 100 years back reaches before any audit record and stays a time PostgreSQL stores. */
export const MAX_SPAN_DAYS = 36_500;

/** Milliseconds in a span (`7d`, `1h30m`); `NaN` for text outside the grammar. */
export function parseSpanMs(text: string): number {
  if (!SPAN_GRAMMAR.test(text)) return Number.NaN;
  let nanos = 0;
  for (const [, amount = "", unit = ""] of text.matchAll(SPAN_PART)) {
    nanos += nanosOf(amount, NANOS_PER_SPAN_UNIT[unit] ?? 0);
  }
  return nanos / 1e6;
}

/** A span longer than zero and at most `MAX_SPAN_DAYS`, e.g. an analytics `window` or how far back history counts. */
export const spanText = z
  .string({ error: 'expected a span such as "7d", "24h", "90m" or "1h30m"' })
  .max(100, { error: "at most 100 characters", abort: true })
  .regex(SPAN_GRAMMAR, { error: 'expected a span such as "7d", "24h", "90m" or "1h30m"', abort: true })
  .refine((v) => parseSpanMs(v) > 0, { error: "must be longer than zero", abort: true })
  .refine((v) => parseSpanMs(v) <= MAX_SPAN_DAYS * 86_400e3, { error: `must be at most ${MAX_SPAN_DAYS}d` });

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
