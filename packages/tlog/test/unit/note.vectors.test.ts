import { describe, expect, it } from "vitest";
import {
  ed25519KeyId,
  generateSignerKey,
  NoteError,
  openCheckpoint,
  openNote,
  parseCheckpointText,
  parseSignerKey,
  parseVerifierKey,
  sha256,
  signCheckpoint,
  signNote,
} from "../../src/index.js";

/** The reference example of golang.org/x/mod/sumdb/note (note_test.go): its keys, text and signature. */
const VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
const SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
const TEXT =
  "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const SIGNED = `${TEXT}\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;

describe("C2SP signed notes: the reference vectors", () => {
  it("parses the keys and checks their key ID (SHA-256(name ‖ 0x0A ‖ 0x01 ‖ key)[:4])", () => {
    const verifier = parseVerifierKey(VKEY);
    const signer = parseSignerKey(SKEY);
    expect(verifier.name).toBe("PeterNeumann");
    expect(verifier.keyId).toBe(0xc74f20a3);
    expect(signer.keyId).toBe(0xc74f20a3);
    expect(signer.verifierKey).toBe(VKEY);
    expect(verifier.verifierKey).toBe(VKEY);
    const publicKey = Buffer.from(VKEY.split("+")[2] as string, "base64").subarray(1);
    expect(ed25519KeyId("PeterNeumann", publicKey)).toBe(0xc74f20a3);
    expect(sha256(Buffer.from("PeterNeumann\n\x01"), publicKey).subarray(0, 4).toString("hex")).toBe(
      "c74f20a3",
    );
  });

  it("signs the text byte for byte as the reference (Ed25519 is deterministic) and opens it", () => {
    expect(signNote(TEXT, [parseSignerKey(SKEY)])).toBe(SIGNED);
    expect(openNote(SIGNED, [parseVerifierKey(VKEY)])).toEqual({
      text: TEXT,
      verifiedBy: [{ name: "PeterNeumann", keyId: 0xc74f20a3 }],
    });
  });

  it("refuses an altered text, a foreign key, a malformed note and mangled keys", () => {
    const verifier = parseVerifierKey(VKEY);
    expect(() => openNote(SIGNED.replace("cryptography", "cryptographY"), [verifier])).toThrow(
      /does not verify/,
    );
    const other = parseVerifierKey(generateSignerKey("PeterNeumann").verifierKey);
    expect(() => openNote(SIGNED, [other])).toThrow(/no signature by a known key/);
    expect(() => openNote(TEXT, [verifier])).toThrow(NoteError);
    expect(() => openNote(`${TEXT}\n— PeterNeumann !!!\n`, [verifier])).toThrow(/malformed signature/);
    expect(() => openNote(SIGNED.replace("\n\n", "\n\u0007\n"), [verifier])).toThrow();
    for (const bad of [
      VKEY.slice(1),
      VKEY.replace("c74f20a3", "c74f20a4"),
      `${VKEY}=`,
      "PeterNeumann+c74f20a3",
    ]) {
      expect(() => parseVerifierKey(bad)).toThrow(NoteError);
    }
    expect(() => parseSignerKey(VKEY)).toThrow(/PRIVATE\+KEY/);
  });

  it("an unknown key's signature beside a known one is ignored", () => {
    const stranger = parseSignerKey(generateSignerKey("witness.example/w1").signerKey);
    const cosigned = signNote(TEXT, [parseSignerKey(SKEY), stranger]);
    expect(openNote(cosigned, [parseVerifierKey(VKEY)]).verifiedBy).toEqual([
      { name: "PeterNeumann", keyId: 0xc74f20a3 },
    ]);
  });
});

describe("checkpoints (c2sp.org/tlog-checkpoint)", () => {
  const { signerKey, verifierKey } = generateSignerKey("kubernaut.ai/audit");
  const signer = parseSignerKey(signerKey);
  const verifier = parseVerifierKey(verifierKey);
  const root = sha256(Buffer.from("root"));

  it("origin, size and base64 root, signed by the origin's key; opened only with that key", () => {
    const note = signCheckpoint({ origin: "kubernaut.ai/audit", size: 20852163, root }, signer);
    expect(note.split("\n").slice(0, 4)).toEqual([
      "kubernaut.ai/audit",
      "20852163",
      root.toString("base64"),
      "",
    ]);
    expect(note).toMatch(/\n\n— kubernaut\.ai\/audit [A-Za-z0-9+/]+=*\n$/);
    const opened = openCheckpoint(note, verifier);
    expect(opened).toMatchObject({ origin: "kubernaut.ai/audit", size: 20852163, extensions: [] });
    expect(opened.root.equals(root)).toBe(true);
    expect(() => openCheckpoint(note.replace("20852163", "20852162"), verifier)).toThrow(/does not verify/);
  });

  it("parses the spec's example body and refuses malformed ones", () => {
    const example = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
    expect(parseCheckpointText(example)).toMatchObject({
      origin: "example.com/behind-the-sofa",
      size: 20852163,
    });
    for (const bad of [
      "origin\n20852163\n",
      "origin\n012\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
      "origin\n-1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
      "origin\n1\nCsUYapGGPo4dkMgIAUqom\n",
      "\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
    ]) {
      expect(() => parseCheckpointText(bad)).toThrow(/malformed checkpoint/);
    }
  });

  it("a key named otherwise cannot sign the log's checkpoints", () => {
    expect(() => signCheckpoint({ origin: "other.example/log", size: 1, root }, signer)).toThrow(
      /not the log's origin/,
    );
  });
});
