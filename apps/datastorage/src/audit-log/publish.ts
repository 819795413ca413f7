import { constants } from "node:fs";
import { access, link, readFile, stat, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Config } from "../config.js";

/** CHECKPOINT_PUBLISH_DIR is not a directory the service can write to. */
export class PublishDirError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PublishDirError";
  }
}

/** Checks at start-up that CHECKPOINT_PUBLISH_DIR, when set, is a directory the service can write to. */
export async function checkPublishDir(config: Pick<Config, "CHECKPOINT_PUBLISH_DIR">): Promise<void> {
  const dir = config.CHECKPOINT_PUBLISH_DIR;
  if (dir === undefined) return;
  const isDirectory = await stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDirectory) throw new PublishDirError(`CHECKPOINT_PUBLISH_DIR: ${dir} is not a directory`);
  await access(dir, constants.W_OK).catch(() => {
    throw new PublishDirError(`CHECKPOINT_PUBLISH_DIR: ${dir} is not writable by this process`);
  });
}

/** A checkpoint to publish outside the database. */
export interface PublishedCheckpoint {
  origin: string;
  tree_size: number;
  root_hash: string;
  note: string;
}

/** The file a checkpoint is published as: its tree size, zero-padded so that names sort by size. */
export function checkpointFileName(treeSize: number): string {
  return `${String(treeSize).padStart(16, "0")}.checkpoint`;
}

/**
 * Publishes a checkpoint where a database administrator cannot rewrite it together with the log: a file in
 * CHECKPOINT_PUBLISH_DIR (written whole, then linked into place, never over a published one) and/or a POST of its JSON to
 * CHECKPOINT_WEBHOOK_URL (10 s timeout, any 2xx accepted). Throws naming the target that failed.
 */
export async function publishCheckpoint(
  config: Pick<Config, "CHECKPOINT_PUBLISH_DIR" | "CHECKPOINT_WEBHOOK_URL">,
  checkpoint: PublishedCheckpoint,
): Promise<void> {
  if (config.CHECKPOINT_PUBLISH_DIR !== undefined) {
    await publishFile(
      join(config.CHECKPOINT_PUBLISH_DIR, checkpointFileName(checkpoint.tree_size)),
      checkpoint,
    );
  }
  if (config.CHECKPOINT_WEBHOOK_URL !== undefined) {
    const res = await fetch(config.CHECKPOINT_WEBHOOK_URL, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(checkpoint),
      signal: AbortSignal.timeout(10_000),
    });
    await res.body?.cancel();
    if (!res.ok) throw new Error(`CHECKPOINT_WEBHOOK_URL answered ${res.status}`);
  }
}

/**
 * Writes `path` whole and only if it does not exist: a published checkpoint is never replaced. The same note again
 * (a retry after a crash) is fine; another note for the same tree size means the log no longer extends what was
 * published, and throws.
 */
async function publishFile(path: string, checkpoint: PublishedCheckpoint): Promise<void> {
  const partial = `${path}.partial`;
  await writeFile(partial, checkpoint.note, "utf8");
  try {
    await link(partial, path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    const published = await readFile(path, "utf8");
    if (published !== checkpoint.note) {
      throw new Error(
        `${path} already holds another checkpoint of tree size ${checkpoint.tree_size}: the log no longer extends the checkpoint it published (rewritten or rolled back); the published file is left as it is`,
      );
    }
  } finally {
    await unlink(partial);
  }
}
