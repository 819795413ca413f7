import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { checkPublishDir, checkpointFileName, publishCheckpoint } from "../../src/audit-log/publish.js";

const checkpoint = (root: string) => ({
  origin: "example.com/log",
  tree_size: 40,
  root_hash: root,
  note: `example.com/log\n40\n${root}\n\n— example.com/log sig\n`,
});

describe("publishing checkpoints to CHECKPOINT_PUBLISH_DIR", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "publish-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("writes each checkpoint once, and the same one again is no change", async () => {
    const config = { CHECKPOINT_PUBLISH_DIR: dir, CHECKPOINT_WEBHOOK_URL: undefined };
    await publishCheckpoint(config, checkpoint("AAAA"));
    await publishCheckpoint(config, checkpoint("AAAA"));
    expect(await readdir(dir)).toEqual([checkpointFileName(40)]);
    expect(await readFile(join(dir, checkpointFileName(40)), "utf8")).toBe(checkpoint("AAAA").note);
  });

  it("never replaces a published checkpoint with another of the same size (a fork), and says so", async () => {
    const config = { CHECKPOINT_PUBLISH_DIR: dir, CHECKPOINT_WEBHOOK_URL: undefined };
    await publishCheckpoint(config, checkpoint("AAAA"));
    await expect(publishCheckpoint(config, checkpoint("BBBB"))).rejects.toThrow(
      /already holds another checkpoint of tree size 40/,
    );
    expect(await readFile(join(dir, checkpointFileName(40)), "utf8")).toBe(checkpoint("AAAA").note);
    expect(await readdir(dir)).toEqual([checkpointFileName(40)]);
  });

  it("checks at start-up that the directory exists and can be written", async () => {
    await expect(checkPublishDir({ CHECKPOINT_PUBLISH_DIR: dir })).resolves.toBeUndefined();
    await expect(checkPublishDir({ CHECKPOINT_PUBLISH_DIR: undefined })).resolves.toBeUndefined();
    await expect(checkPublishDir({ CHECKPOINT_PUBLISH_DIR: join(dir, "absent") })).rejects.toThrow(
      /CHECKPOINT_PUBLISH_DIR: .*absent is not a directory/,
    );
    const file = join(dir, "file");
    await writeFile(file, "");
    await expect(checkPublishDir({ CHECKPOINT_PUBLISH_DIR: file })).rejects.toThrow(/is not a directory/);
    if (process.getuid?.() !== 0) {
      await chmod(dir, 0o500);
      await expect(checkPublishDir({ CHECKPOINT_PUBLISH_DIR: dir })).rejects.toThrow(/is not writable/);
      await chmod(dir, 0o700);
    }
  });
});
