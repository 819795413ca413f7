import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DATA_DIR_LOCK_FILE, DataDirLockedError, lockDataDir } from "../../src/data-dir-lock.js";

let dir: string;
const lockFile = () => join(dir, DATA_DIR_LOCK_FILE);

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "db-lock-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A process that runs until killed, and its PID. */
async function liveProcess(): Promise<{ pid: number; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
  await once(child, "spawn");
  return {
    pid: child.pid ?? 0,
    stop: async () => {
      const exited = once(child, "exit");
      child.kill("SIGKILL");
      await exited;
    },
  };
}

describe("lockDataDir", () => {
  it("writes our PID, refuses a second holder in this process, and removes the file on release", async () => {
    const lock = await lockDataDir(dir);
    expect(readFileSync(lockFile(), "utf8").split("\n")[0]).toBe(String(process.pid));
    await expect(lockDataDir(dir)).rejects.toThrow(DataDirLockedError);
    await lock.release();
    expect(existsSync(lockFile())).toBe(false);
    await (await lockDataDir(dir)).release();
  });

  it("refuses a directory another live process holds, naming the directory and its PID", async () => {
    const other = await liveProcess();
    try {
      await writeFile(lockFile(), `${other.pid}\nsomewhere\n`);
      const error = await lockDataDir(dir).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DataDirLockedError);
      expect((error as DataDirLockedError).holderPid).toBe(other.pid);
      expect((error as Error).message).toContain(
        `the PGlite data directory ${dir} is in use by process ${other.pid}`,
      );
      expect(readFileSync(lockFile(), "utf8")).toBe(`${other.pid}\nsomewhere\n`);
    } finally {
      await other.stop();
    }
  });

  it("takes over a lock whose process is gone, one naming our PID left by an earlier life, and an empty one", async () => {
    const gone = await liveProcess();
    await gone.stop();
    for (const stale of [`${gone.pid}\nhost\n`, `${process.pid}\nhost\n`, ""]) {
      await writeFile(lockFile(), stale);
      const lock = await lockDataDir(dir);
      expect(readFileSync(lockFile(), "utf8").split("\n")[0]).toBe(String(process.pid));
      await lock.release();
    }
  });
});

describe("lockDataDir across processes", () => {
  it("lets exactly one of several processes breaking the same stale lock at once have the directory", async () => {
    const gone = await liveProcess();
    await gone.stop();
    await writeFile(lockFile(), `${gone.pid}\nhost\n`);
    const module = join(import.meta.dirname, "..", "..", "src", "data-dir-lock.ts");
    // Each contender says whether it won, then holds on (a winner keeps its lock) until it is killed.
    const script = `import(${JSON.stringify(module)}).then((m) => m.lockDataDir(${JSON.stringify(dir)})).then(
      () => console.log("won"), (e) => console.log(e.name)).then(() => setInterval(() => {}, 1000));`;
    const contenders = Array.from({ length: 6 }, () =>
      spawn(process.execPath, ["--import", "tsx", "-e", script], { stdio: ["ignore", "pipe", "inherit"] }),
    );
    try {
      const answers = await Promise.all(
        contenders.map(async (child) => String((await once(child.stdout, "data"))[0]).trim()),
      );
      expect(answers.filter((a) => a === "won")).toHaveLength(1);
      expect(answers.filter((a) => a !== "won")).toEqual(Array(5).fill("DataDirLockedError"));
      const winner = contenders[answers.indexOf("won")];
      expect(readFileSync(lockFile(), "utf8").split("\n")[0]).toBe(String(winner?.pid));
    } finally {
      for (const child of contenders) child.kill("SIGKILL");
    }
  });
});
