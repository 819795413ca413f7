import { randomBytes } from "node:crypto";
import { readFileSync, unlinkSync } from "node:fs";
import { link, mkdir, readFile, unlink, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join, resolve } from "node:path";

/** The lock file inside a PGlite data directory. PostgreSQL ignores files in its data directory it does not know. */
export const DATA_DIR_LOCK_FILE = "kubernaut.lock";

/** Another live process holds the data directory. The message is one line naming the directory and the holder. */
export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holderPid: number,
  ) {
    super(
      `the PGlite data directory ${dataDir} is in use by process ${holderPid} (lock ${join(dataDir, DATA_DIR_LOCK_FILE)}): stop that process or set another DATA_DIR`,
    );
    this.name = "DataDirLockedError";
  }
}

/** The lock files this process holds: our own PID in one of them is a live holder, not a stale one. */
const held = new Set<string>();

/** A held lock; `release()` removes the file if it is still ours. Idempotent. */
export interface DataDirLock {
  readonly path: string;
  release(): Promise<void>;
}

/**
 * Takes the data directory for this process: creates `kubernaut.lock` holding our PID, exclusively.
 * A lock whose PID no longer runs (a crash, kill -9) is stale and taken over, as is one naming our own PID that
 * this process does not hold (a container restarted as PID 1). A second open in this process is refused too.
 * PGlite has no lock of its own: a second process on the same directory would lose writes.
 * The file also goes when the process exits without `release()` (an uncaught error, `process.exit`).
 */
export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  const dir = resolve(dataDir);
  await mkdir(dir, { recursive: true });
  const path = join(dir, DATA_DIR_LOCK_FILE);
  const content = `${process.pid}\n${hostname()}\n`;
  // Rounds: a stale lock removed by us may be taken by another process starting at the same moment, and while
  // another process breaks a stale lock, we wait for it.
  for (let attempt = 0; attempt < 100; attempt++) {
    // Written aside, then linked into place: the lock file never exists without its PID.
    const draft = `${path}.${process.pid}.${randomBytes(4).toString("hex")}`;
    await writeFile(draft, content);
    try {
      await link(draft, path);
      return holdLock(path, content);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    } finally {
      await unlink(draft);
    }
    const stale = await readLock(path);
    if (stale === undefined) continue;
    const holder = pidOf(stale);
    const live = holder === process.pid ? held.has(path) : holder !== undefined && isRunning(holder);
    if (live && holder !== undefined) {
      throw new DataDirLockedError(dir, holder);
    }
    if (!(await breakStaleLock(path, stale, content))) await new Promise((done) => setTimeout(done, 10));
  }
  throw new Error(`could not take the lock ${path}: other processes keep taking it`);
}

function holdLock(path: string, content: string): DataDirLock {
  held.add(path);
  const removeIfOurs = (): void => {
    if (!held.delete(path)) return;
    process.removeListener("exit", removeIfOurs);
    try {
      if (readFileSync(path, "utf8") === content) unlinkSync(path);
    } catch {
      // Already gone, or the directory with it.
    }
  };
  process.once("exit", removeIfOurs);
  return { path, release: async () => removeIfOurs() };
}

/** A lock file's text; undefined when it is gone. */
async function readLock(path: string): Promise<string | undefined> {
  return readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return undefined;
    throw error;
  });
}

/** The PID a lock names; undefined when it holds none (a file from elsewhere, emptied). */
function pidOf(text: string): number | undefined {
  const pid = Number(text.split("\n", 1)[0]);
  return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
}

/**
 * Removes the lock judged stale, if it still is: only the process that holds `<lock>.break` may remove the lock,
 * and it does so only while the lock still says what was judged stale. A new lock can appear only once the stale
 * one is gone, so no process ever removes another's new lock. Answers false when another process is breaking it
 * (the caller waits and looks again); a break file whose process died is removed.
 */
async function breakStaleLock(path: string, stale: string, content: string): Promise<boolean> {
  const breaker = `${path}.break`;
  const draft = `${breaker}.${process.pid}.${randomBytes(4).toString("hex")}`;
  await writeFile(draft, content);
  try {
    await link(draft, breaker);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    const breaking = pidOf((await readLock(breaker)) ?? "");
    if (breaking !== undefined && breaking !== process.pid && !isRunning(breaking)) {
      await unlink(breaker).catch(() => {});
    }
    return false;
  } finally {
    await unlink(draft);
  }
  try {
    if ((await readLock(path)) === stale) await unlink(path);
    return true;
  } finally {
    await unlink(breaker);
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs under another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
