import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from "node:crypto";
import { sha256 } from "./hash.js";

/**
 * C2SP signed notes (c2sp.org/signed-note) with Ed25519, and the key encodings of Go's
 * golang.org/x/mod/sumdb/note: a verifier key `<name>+<key id, 8 hex>+<base64(0x01 ‖ 32-byte public key)>`,
 * a signer key `PRIVATE+KEY+<name>+<key id>+<base64(0x01 ‖ 32-byte seed)>`.
 */

const ED25519 = 0x01;
const SIGNATURE_PREFIX = "— ";
/** Notes with more signatures than this are refused (the spec asks verifiers to take at least 16). */
const MAX_SIGNATURES = 100;

// DER wrappers of a raw Ed25519 key: PKCS #8 for the 32-byte seed, SPKI for the 32-byte public key.
const PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");
const SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");

/** A note or key that cannot be used: malformed, unsigned by a known key, or with a bad signature. */
export class NoteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NoteError";
  }
}

export interface NoteVerifier {
  readonly name: string;
  readonly keyId: number;
  /** The verifier key in its text form (`name+id+key`), to publish. */
  readonly verifierKey: string;
  verify(text: Uint8Array, signature: Uint8Array): boolean;
}

export interface NoteSigner {
  readonly name: string;
  readonly keyId: number;
  readonly verifierKey: string;
  sign(text: Uint8Array): Buffer;
}

/** A key name: non-empty, without Unicode spaces or `+` (the spec's rule). */
export function isKeyName(name: string): boolean {
  return name.length > 0 && !/[\s+]/u.test(name) && !/[\p{Cc}]/u.test(name);
}

/** The key ID of an Ed25519 key: SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)[:4], big-endian. */
export function ed25519KeyId(name: string, publicKey: Uint8Array): number {
  return sha256(Buffer.from(`${name}\n`, "utf8"), Buffer.from([ED25519]), publicKey).readUInt32BE(0);
}

function hex8(id: number): string {
  return id.toString(16).padStart(8, "0");
}

function publicKeyObject(raw: Uint8Array): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: "der", type: "spki" });
}

function rawPublicKey(privateKey: KeyObject): Buffer {
  return createPublicKey(privateKey).export({ format: "der", type: "spki" }).subarray(SPKI_PREFIX.length);
}

function verifierFromRaw(name: string, publicKey: Buffer): NoteVerifier {
  const keyId = ed25519KeyId(name, publicKey);
  const key = publicKeyObject(publicKey);
  return {
    name,
    keyId,
    verifierKey: `${name}+${hex8(keyId)}+${Buffer.concat([Buffer.from([ED25519]), publicKey]).toString("base64")}`,
    verify: (text, signature) => signature.length === 64 && verify(null, text, key, signature),
  };
}

/** The parts of `name+id+base64` after an optional prefix, checked for shape and key ID. */
function splitKey(text: string, what: string): { name: string; id: number; type: number; key: Buffer } {
  // The base64 key may itself contain `+`: only the first two separate fields.
  const match = /^([^+]*)\+([^+]*)\+(.*)$/s.exec(text.trim());
  if (match === null) throw new NoteError(`malformed ${what} key: expected name+keyid+base64`);
  const [, name, idText, keyText] = match as unknown as [string, string, string, string];
  if (!isKeyName(name)) throw new NoteError(`malformed ${what} key: bad key name`);
  if (!/^[0-9a-f]{8}$/.test(idText))
    throw new NoteError(`malformed ${what} key: the key id is not 8 hex digits`);
  const decoded = Buffer.from(keyText, "base64");
  if (decoded.toString("base64") !== keyText || decoded.length !== 33) {
    throw new NoteError(`malformed ${what} key: expected base64 of a type byte and 32 key bytes`);
  }
  if (decoded[0] !== ED25519) throw new NoteError(`${what} key: only Ed25519 (type 0x01) is supported`);
  return { name, id: Number.parseInt(idText, 16), type: ED25519, key: decoded.subarray(1) };
}

/** Parses a verifier key `name+id+base64(0x01 ‖ public key)`, checking its key ID. */
export function parseVerifierKey(text: string): NoteVerifier {
  const { name, id, key } = splitKey(text, "verifier");
  let verifier: NoteVerifier;
  try {
    verifier = verifierFromRaw(name, key);
  } catch {
    throw new NoteError("malformed verifier key: not an Ed25519 public key");
  }
  if (verifier.keyId !== id) throw new NoteError("malformed verifier key: the key id does not match the key");
  return verifier;
}

/** Parses a signer key `PRIVATE+KEY+name+id+base64(0x01 ‖ seed)`, checking its key ID. */
export function parseSignerKey(text: string): NoteSigner {
  const trimmed = text.trim();
  if (!trimmed.startsWith("PRIVATE+KEY+"))
    throw new NoteError("malformed signer key: expected PRIVATE+KEY+…");
  const { name, id, key } = splitKey(trimmed.slice("PRIVATE+KEY+".length), "signer");
  const privateKey = createPrivateKey({
    key: Buffer.concat([PKCS8_PREFIX, key]),
    format: "der",
    type: "pkcs8",
  });
  const verifier = verifierFromRaw(name, rawPublicKey(privateKey));
  if (verifier.keyId !== id) throw new NoteError("malformed signer key: the key id does not match the key");
  return {
    name,
    keyId: id,
    verifierKey: verifier.verifierKey,
    sign: (message) => sign(null, message, privateKey),
  };
}

/** A new Ed25519 key named `name`: its signer key (secret) and verifier key (public), as text. */
export function generateSignerKey(name: string): { signerKey: string; verifierKey: string } {
  if (!isKeyName(name)) throw new NoteError(`not a key name: ${JSON.stringify(name)}`);
  const { privateKey } = generateKeyPairSync("ed25519");
  const seed = privateKey.export({ format: "der", type: "pkcs8" }).subarray(PKCS8_PREFIX.length);
  const verifier = verifierFromRaw(name, rawPublicKey(privateKey));
  const encoded = Buffer.concat([Buffer.from([ED25519]), seed]).toString("base64");
  return {
    signerKey: `PRIVATE+KEY+${name}+${hex8(verifier.keyId)}+${encoded}`,
    verifierKey: verifier.verifierKey,
  };
}

function checkNoteText(text: string): void {
  if (!text.endsWith("\n")) throw new NoteError("a note text must end with a newline");
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the spec forbids exactly these
  if (/[\u0000-\u0009\u000b-\u001f]/.test(text))
    throw new NoteError("a note must not contain control characters");
}

/** Signs a note text (ending in a newline) with each signer: the text, a blank line, one signature line each. */
export function signNote(text: string, signers: readonly NoteSigner[]): string {
  checkNoteText(text);
  const message = Buffer.from(text, "utf8");
  const lines = signers.map((signer) => {
    const id = Buffer.alloc(4);
    id.writeUInt32BE(signer.keyId);
    return `${SIGNATURE_PREFIX}${signer.name} ${Buffer.concat([id, signer.sign(message)]).toString("base64")}\n`;
  });
  return `${text}\n${lines.join("")}`;
}

/** A note whose signature by a known key verified. */
export interface OpenedNote {
  text: string;
  /** The known keys whose signatures verified. */
  verifiedBy: { name: string; keyId: number }[];
}

/**
 * Opens a signed note: signatures by unknown keys are ignored; a signature by a known key (same name and key ID)
 * that fails to verify rejects the note; so does a note no known key signed. Throws a NoteError naming why.
 */
export function openNote(note: string, verifiers: readonly NoteVerifier[]): OpenedNote {
  if (Buffer.from(note, "utf8").toString("utf8") !== note || note.includes("\uFFFD")) {
    throw new NoteError("a note must be valid UTF-8");
  }
  const split = note.lastIndexOf("\n\n");
  if (split < 0) throw new NoteError("malformed note: no blank line before the signatures");
  const text = note.slice(0, split + 1);
  checkNoteText(text);
  const block = note.slice(split + 2);
  if (!block.endsWith("\n")) throw new NoteError("malformed note: the signatures must end with a newline");
  const lines = block.slice(0, -1).split("\n");
  if (lines.length > MAX_SIGNATURES)
    throw new NoteError(`a note may carry at most ${MAX_SIGNATURES} signatures`);
  const message = Buffer.from(text, "utf8");
  const verifiedBy: OpenedNote["verifiedBy"] = [];
  for (const line of lines) {
    const match = /^— (\S+) (\S+)$/u.exec(line);
    if (match === null) throw new NoteError(`malformed signature line: ${JSON.stringify(line.slice(0, 80))}`);
    const [, name, encoded] = match as unknown as [string, string, string];
    const signature = Buffer.from(encoded, "base64");
    if (signature.toString("base64") !== encoded || signature.length < 5) {
      throw new NoteError(`malformed signature by ${name}: not base64 of a key id and a signature`);
    }
    const keyId = signature.readUInt32BE(0);
    const verifier = verifiers.find((v) => v.name === name && v.keyId === keyId);
    if (verifier === undefined) continue;
    if (!verifier.verify(message, signature.subarray(4))) {
      throw new NoteError(
        `the signature of ${name} (key ${hex8(keyId)}) does not verify: the note was altered or forged`,
      );
    }
    if (!verifiedBy.some((v) => v.keyId === keyId && v.name === name)) verifiedBy.push({ name, keyId });
  }
  if (verifiedBy.length === 0) {
    const known = verifiers.map((v) => `${v.name} (key ${hex8(v.keyId)})`).join(", ");
    throw new NoteError(`the note carries no signature by a known key (${known || "no key given"})`);
  }
  return { text, verifiedBy };
}

/**
 * Signs the note text of a document that names the log's `origin` (a manifest, a retention statement): only the
 * key of that name may sign it.
 */
export function signOriginNote(text: string, origin: string, signer: NoteSigner): string {
  if (signer.name !== origin) {
    throw new NoteError(`the signing key is named ${signer.name}, not the log's origin ${origin}`);
  }
  return signNote(text, [signer]);
}

/**
 * Opens a signed document that names the log's origin: its signature by `verifier`, then `parse` of its text, which
 * must name the verifier's origin (`what` names the document in the error). Throws a NoteError naming the fault.
 */
export function openOriginNote<T extends { origin: string }>(
  note: string,
  verifier: NoteVerifier,
  parse: (text: string) => T,
  what: string,
): T {
  const document = parse(openNote(note, [verifier]).text);
  if (document.origin !== verifier.name) {
    throw new NoteError(`the ${what} is for ${document.origin}, not ${verifier.name}`);
  }
  return document;
}
