import { rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Config } from "../config.js";

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
 * CHECKPOINT_PUBLISH_DIR (written whole, then renamed into place) and/or a POST of its JSON to
 * CHECKPOINT_WEBHOOK_URL (10 s timeout, any 2xx accepted). Throws naming the target that failed.
 */
export async function publishCheckpoint(
  config: Pick<Config, "CHECKPOINT_PUBLISH_DIR" | "CHECKPOINT_WEBHOOK_URL">,
  checkpoint: PublishedCheckpoint,
): Promise<void> {
  if (config.CHECKPOINT_PUBLISH_DIR !== undefined) {
    const path = join(config.CHECKPOINT_PUBLISH_DIR, checkpointFileName(checkpoint.tree_size));
    const partial = `${path}.partial`;
    await writeFile(partial, checkpoint.note, "utf8");
    await rename(partial, path);
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
