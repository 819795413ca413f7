import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { type Checkpoint, type NoteVerifier, openCheckpoint } from "@kubernaut/tlog";

/** A checkpoint the reviewer holds (published outside the database), verified against the key. */
export interface TrustedCheckpoint extends Checkpoint {
  /** Where it came from: its file. */
  from: string;
}

/** A file that is no valid checkpoint signed by the key: forged, altered, or something else. */
export interface RejectedCheckpoint {
  from: string;
  reason: string;
}

/** Loads each path: a checkpoint file, or a directory of them (every regular file in it not starting with a dot). */
export async function loadCheckpoints(
  paths: readonly string[],
  verifier: NoteVerifier,
): Promise<{ trusted: TrustedCheckpoint[]; rejected: RejectedCheckpoint[] }> {
  const files: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch((err: Error) => {
      throw new Error(`--checkpoints: cannot read ${path} (${err.message})`);
    });
    if (info.isDirectory()) {
      const names = (await readdir(path))
        .filter((name) => !name.startsWith(".") && !name.endsWith(".partial"))
        .sort();
      for (const name of names) {
        if ((await stat(join(path, name))).isFile()) files.push(join(path, name));
      }
    } else {
      files.push(path);
    }
  }
  const trusted: TrustedCheckpoint[] = [];
  const rejected: RejectedCheckpoint[] = [];
  for (const file of files) {
    try {
      trusted.push({ ...openCheckpoint(await readFile(file, "utf8"), verifier), from: file });
    } catch (err) {
      rejected.push({ from: file, reason: (err as Error).message });
    }
  }
  trusted.sort((a, b) => a.size - b.size);
  return { trusted, rejected };
}
