import canonicalize from "canonicalize";
import { type Hash, leafHash } from "./hash.js";

/**
 * The canonical bytes of a JSON value: RFC 8785 (JSON Canonicalization Scheme): object members sorted by their
 * UTF-16 code units, no white space, numbers and strings as ECMAScript serialises them, UTF-8.
 */
export function canonicalJson(value: unknown): Buffer {
  const text = canonicalize(value);
  if (text === undefined) throw new Error("a value with no JSON form cannot be canonicalised");
  return Buffer.from(text, "utf8");
}

/** The leaf hash of a record: SHA-256(0x00 ‖ canonical JSON of the record). */
export function recordLeafHash(record: unknown): Hash {
  return leafHash(canonicalJson(record));
}
