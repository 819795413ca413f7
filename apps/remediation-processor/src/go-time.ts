import { createHash } from "node:crypto";

/** Go's `time.Duration.String()` of a count of nanoseconds: `1.5ms`, `2.5s`, `1m30s`, `1h0m0s`. */
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

/** Nanoseconds elapsed since a `process.hrtime.bigint()` reading. */
export function nanosSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start);
}

/**
 * A UUID (version 5 layout, SHA-1 of a name) that is the same every time for the same name, so a record
 * published again after a crash carries the same `event_id` and the storage service drops the copy.
 */
export function deterministicEventId(name: string): string {
  const hash = createHash("sha1").update(`kubernaut.ai/audit/${name}`).digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
