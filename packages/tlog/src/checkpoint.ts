import { type Hash, hashFromBase64, toBase64 } from "./hash.js";
import { NoteError, type NoteSigner, type NoteVerifier, openNote, signNote } from "./note.js";

/**
 * A transparency log checkpoint (c2sp.org/tlog-checkpoint): the origin line, the tree size in decimal, the base64
 * root hash, then optional extension lines.
 */
export interface Checkpoint {
  origin: string;
  size: number;
  root: Hash;
  extensions: string[];
}

/** The note text of a checkpoint. */
export function checkpointText(
  checkpoint: Pick<Checkpoint, "origin" | "size" | "root"> & { extensions?: string[] },
): string {
  const lines = [
    checkpoint.origin,
    String(checkpoint.size),
    toBase64(checkpoint.root),
    ...(checkpoint.extensions ?? []),
  ];
  return `${lines.join("\n")}\n`;
}

/** Parses a checkpoint's note text; throws a NoteError naming what is malformed. */
export function parseCheckpointText(text: string): Checkpoint {
  if (!text.endsWith("\n")) throw new NoteError("malformed checkpoint: the text must end with a newline");
  const lines = text.slice(0, -1).split("\n");
  if (lines.length < 3)
    throw new NoteError("malformed checkpoint: expected origin, tree size and root hash lines");
  const [origin, sizeText, rootText, ...extensions] = lines as [string, string, string, ...string[]];
  if (origin === "") throw new NoteError("malformed checkpoint: empty origin");
  if (!/^(0|[1-9][0-9]*)$/.test(sizeText) || !Number.isSafeInteger(Number(sizeText))) {
    throw new NoteError(
      `malformed checkpoint: tree size ${JSON.stringify(sizeText)} is not a decimal integer`,
    );
  }
  let root: Hash;
  try {
    root = hashFromBase64(rootText);
  } catch {
    throw new NoteError("malformed checkpoint: the root hash is not base64 of 32 bytes");
  }
  if (extensions.some((line) => line === ""))
    throw new NoteError("malformed checkpoint: empty extension line");
  return { origin, size: Number(sizeText), root, extensions };
}

/** Signs a checkpoint as a signed note. The signer's key name must be the origin (the spec's SHOULD, kept). */
export function signCheckpoint(
  checkpoint: Pick<Checkpoint, "origin" | "size" | "root">,
  signer: NoteSigner,
): string {
  if (signer.name !== checkpoint.origin) {
    throw new NoteError(`the signing key is named ${signer.name}, not the log's origin ${checkpoint.origin}`);
  }
  return signNote(checkpointText(checkpoint), [signer]);
}

/**
 * Opens a signed checkpoint: the note must carry a valid signature by the verifier, whose key name must be the
 * checkpoint's origin. Throws a NoteError naming what is wrong.
 */
export function openCheckpoint(note: string, verifier: NoteVerifier): Checkpoint {
  const { text } = openNote(note, [verifier]);
  const checkpoint = parseCheckpointText(text);
  if (checkpoint.origin !== verifier.name) {
    throw new NoteError(
      `the checkpoint's origin ${checkpoint.origin} is not the key's name ${verifier.name}`,
    );
  }
  return checkpoint;
}
