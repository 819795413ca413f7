import { createHash } from "node:crypto";

/** A SHA-256 hash: 32 bytes. */
export type Hash = Buffer;

export const HASH_SIZE = 32;

export function sha256(...parts: readonly Uint8Array[]): Hash {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part);
  return hash.digest();
}

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

/** RFC 6962 §2.1: the hash of a leaf, SHA-256(0x00 ‖ data). */
export function leafHash(data: Uint8Array): Hash {
  return sha256(LEAF_PREFIX, data);
}

/** RFC 6962 §2.1: the hash of an interior node, SHA-256(0x01 ‖ left ‖ right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Hash {
  return sha256(NODE_PREFIX, left, right);
}

/** The root of the empty tree: SHA-256 of no bytes. */
export const EMPTY_ROOT: Hash = sha256();

export function hashEquals(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

/** Standard base64 (RFC 4648 §4), as checkpoints and the API write hashes. */
export function toBase64(hash: Uint8Array): string {
  return Buffer.from(hash.buffer, hash.byteOffset, hash.byteLength).toString("base64");
}

/** Decodes a standard base64 hash, refusing anything that is not exactly 32 bytes in canonical base64. */
export function hashFromBase64(text: string): Hash {
  const bytes = Buffer.from(text, "base64");
  if (bytes.length !== HASH_SIZE || bytes.toString("base64") !== text) {
    throw new Error(`not a base64 SHA-256 hash: ${JSON.stringify(text.slice(0, 60))}`);
  }
  return bytes;
}
