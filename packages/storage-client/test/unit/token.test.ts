import { mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FileToken, StaticToken, StorageTokenError } from "../../src/index.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "token-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes the file the way the kubelet rotates a projected token: a new file renamed over the old one. */
async function rotate(path: string, token: string) {
  await writeFile(`${path}.tmp`, `${token}\n`);
  await rename(`${path}.tmp`, path);
}

describe("FileToken", () => {
  it("re-reads a rotated token once the check interval has passed", async () => {
    const path = join(dir, "token");
    await rotate(path, "first");
    let now = 0;
    const source = new FileToken(path, { checkIntervalMs: 10_000, now: () => now });

    expect(await source.token()).toBe("first");
    await rotate(path, "second");
    now = 9_999;
    expect(await source.token()).toBe("first");
    now = 10_000;
    expect(await source.token()).toBe("second");
  });

  it("re-reads at once after invalidate() (a 401)", async () => {
    const path = join(dir, "token");
    await rotate(path, "first");
    const source = new FileToken(path, { checkIntervalMs: 60_000, now: () => 0 });
    expect(await source.token()).toBe("first");

    await rotate(path, "second");
    source.invalidate();
    expect(await source.token()).toBe("second");
  });

  it("keeps the last good token when the file disappears", async () => {
    const path = join(dir, "token");
    await rotate(path, "kept");
    let now = 0;
    const source = new FileToken(path, { checkIntervalMs: 1, now: () => now });
    expect(await source.token()).toBe("kept");

    await rm(path);
    now = 10;
    expect(await source.token()).toBe("kept");
  });

  it("fails with a message naming the file when there was never a token", async () => {
    const path = join(dir, "missing");
    const error = await new FileToken(path).token().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageTokenError);
    expect((error as Error).message).toContain(path);

    await writeFile(path, "  \n");
    await expect(new FileToken(path).token()).rejects.toThrow(/is empty/);
  });
});

describe("StaticToken", () => {
  it("refuses an empty token", () => {
    expect(() => new StaticToken(" ")).toThrow(StorageTokenError);
  });
});
