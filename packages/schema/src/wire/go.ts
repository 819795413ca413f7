import { z } from "zod";

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
export const goTime = z.iso.datetime({
  offset: true,
  error: "expected an RFC 3339 time, e.g. 2025-01-15T10:30:00.123456789Z",
});

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

const GO_DURATION = /^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$|^[-+]?0$/;
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
 * A Go `time.Duration`: `encoding/json` writes it as an integer count of nanoseconds;
 * humans and `Duration.String()` write strings such as `"2.5s"` or `"1m30s"`.
 */
export const goDuration = z.union([
  z.int({ error: "expected a duration: integer nanoseconds or a Go duration string such as 2.5s" }),
  z
    .string()
    .regex(GO_DURATION, { error: 'expected a Go duration string such as "2.5s", "150ms" or "1m30s"' }),
]);

/** Nanoseconds for a wire duration. */
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
