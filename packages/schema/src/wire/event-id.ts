import { createHash } from "node:crypto";

/**
 * The namespace of every deterministic audit id: the text `kubernaut.ai/audit/`, hashed in front of the name.
 * It is the text the orchestrator and the processor have always hashed, so the ids they stored stay what they
 * recompute (the orchestrator confirms a final record is stored by its id). The AI analysis controller used
 * a 16-byte UUID namespace until it moved to this one: a record it publishes again right after the upgrade is
 * stored once more under its new id.
 */
const EVENT_ID_NAMESPACE = new TextEncoder().encode("kubernaut.ai/audit/");

/** The SHA-1 name-based UUID layout (RFC 9562 §5.5) of `name` hashed after the `namespace` bytes. */
function sha1NameUuid(namespace: Uint8Array, name: string): string {
  const bytes = createHash("sha1").update(namespace).update(name, "utf8").digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The UUIDv5 (RFC 9562) of `name` in the namespace UUID `namespace` (e.g. `6ba7b810-9dad-11d1-80b4-00c04fd430c8`, DNS). */
export function uuidV5(namespace: string, name: string): string {
  const hex = namespace.replaceAll("-", "");
  if (!/^[0-9a-f]{32}$/i.test(hex)) throw new Error(`not a UUID: ${namespace}`);
  return sha1NameUuid(Buffer.from(hex, "hex"), name);
}

/**
 * A UUID (version 5 layout, SHA-1 of the `kubernaut.ai/audit/` namespace and `name`) that is the same every time
 * for the same name, so a record published again after a crash carries the same `event_id` and the storage
 * service drops the copy. Names are `<object uid>/<what happened>`, e.g. `<uid>/remediation-processing/completed`.
 */
export function deterministicEventId(name: string): string {
  return sha1NameUuid(EVENT_ID_NAMESPACE, name);
}
