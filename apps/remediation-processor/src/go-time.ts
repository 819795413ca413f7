import { createHash } from "node:crypto";

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
