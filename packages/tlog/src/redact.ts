import { createHmac, hkdfSync } from "node:crypto";
import { canonicalJson } from "./canonical.js";
import type { NoteSigner } from "./note.js";

/**
 * Redaction of an export, as Vault's audit devices do it: a named field's value is replaced by
 * `hmac-sha256:<base64 of HMAC-SHA256(key, canonical JSON of the value)>`. The same value always gives the same
 * text under one key, so redacted records can still be grouped and matched against a value one holds (the
 * service answers the HMAC of a given value), but the value cannot be read back. The record's leaf still
 * proves it: the line keeps the leaf hash of the record as sealed, unredacted.
 */
export const REDACTED_PREFIX = "hmac-sha256:";

/** A field path: names joined by dots (`payload.failure_reason`). */
export const REDACTION_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** The fields an export may not redact: the line names its event by them, and its leaf by the event. */
export const UNREDACTABLE = new Set(["event_id"]);

/**
 * The HMAC key of a log's redactions, derived from its signing key: Ed25519 signatures are deterministic, so the
 * signature of a fixed text is a secret only the key's holder can make, and every replica signing with the same
 * key derives the same redaction key (HKDF-SHA256).
 */
export function redactionKeyOf(signer: NoteSigner): Buffer {
  const secret = signer.sign(Buffer.from("kubernaut-audit redaction key v1", "utf8"));
  return Buffer.from(hkdfSync("sha256", secret, Buffer.alloc(0), "kubernaut-audit/redact/v1", 32));
}

/** The redacted text of a value. */
export function redactedValue(key: Uint8Array, value: unknown): string {
  return REDACTED_PREFIX + createHmac("sha256", key).update(canonicalJson(value)).digest("base64");
}

/**
 * `record` with each of `paths` that it holds replaced by its redacted value; `redacted` lists those paths, in
 * the order given. The record itself is not changed.
 */
export function redactRecord(
  record: Record<string, unknown>,
  paths: readonly string[],
  key: Uint8Array,
): { record: Record<string, unknown>; redacted: string[] } {
  let copy = record;
  const redacted: string[] = [];
  for (const path of paths) {
    const names = path.split(".");
    const updated = replaced(copy, names, key);
    if (updated !== undefined) {
      copy = updated;
      redacted.push(path);
    }
  }
  return { record: copy, redacted };
}

/** A copy of `object` with the value at `names` redacted, or undefined when it holds no such value. */
function replaced(
  object: Record<string, unknown>,
  names: readonly string[],
  key: Uint8Array,
): Record<string, unknown> | undefined {
  const [name, ...rest] = names;
  if (name === undefined || !Object.hasOwn(object, name)) return undefined;
  const value = object[name];
  if (rest.length === 0) return { ...object, [name]: redactedValue(key, value) };
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const inner = replaced(value as Record<string, unknown>, rest, key);
  return inner === undefined ? undefined : { ...object, [name]: inner };
}

/** Whether every path of `redacted` holds a redacted value in `record` (what a verifier checks of a line). */
export function isRedactedAt(record: Record<string, unknown>, redacted: readonly string[]): boolean {
  return redacted.every((path) => {
    let value: unknown = record;
    for (const name of path.split(".")) {
      if (typeof value !== "object" || value === null || !Object.hasOwn(value, name)) return false;
      value = (value as Record<string, unknown>)[name];
    }
    return typeof value === "string" && value.startsWith(REDACTED_PREFIX);
  });
}
