import { createHash } from "node:crypto";

/** The namespace of every audit event id this controller derives (a fixed random UUID). */
const EVENT_ID_NAMESPACE = Buffer.from("5f1c7a2e9b3d4e6f8a0b1c2d3e4f5a6b", "hex");

/**
 * A UUIDv5 (RFC 9562) of `name`: the same AIAnalysis reaching the same trigger always yields the same id, so
 * a record published again after a crash is recognised by the storage service as a duplicate.
 */
export function deterministicEventId(name: string): string {
  const hash = createHash("sha1").update(EVENT_ID_NAMESPACE).update(name, "utf8").digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
