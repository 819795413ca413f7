import type { ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createFreshDatabase, type FreshDatabase } from "./database.js";
import {
  freeLoopbackPort,
  isAlive,
  LogTail,
  spawnNode,
  terminate,
  waitUntilReady,
  workspaceRoot,
} from "./process.js";

export { createFreshDatabase, type FreshDatabase, runSql } from "./database.js";
export { freeLoopbackPort, isAlive, LogTail, terminate, waitUntilReady, workspaceRoot } from "./process.js";

export interface StorageServiceOptions {
  /**
   * A PostgreSQL server (e.g. `process.env.TEST_DATABASE_URL`). The service gets a database of its own,
   * created on that server and dropped by `stop()`. Absent or empty: embedded PGlite in a temp directory.
   */
  databaseUrl?: string;
  /** Extra environment for the service, e.g. `{ AUTH_MODE: "token", AUTH_TOKEN: "t" }`. Wins over defaults. */
  env?: Record<string, string>;
  /** How long to wait for `/readyz` on each start. Default 120 s (PGlite migrates on first start, slowly on a busy machine). */
  readyTimeoutMs?: number;
}

/** A running Data Storage Service (`apps/datastorage/dist/server.js`) on loopback. */
export interface StorageService {
  /** Base URL, e.g. `http://127.0.0.1:41234`. Stays the same across `kill()` and `restart()`. */
  readonly url: string;
  readonly port: number;
  /**
   * The service's own PostgreSQL database, when it runs on one (`databaseUrl` given), e.g. for a test to add a
   * trigger; undefined on PGlite, which only the service's process can open.
   */
  readonly databaseUrl: string | undefined;
  /** Stops the service (SIGTERM) and removes its data: the temp directory or the database. Idempotent. */
  stop(): Promise<void>;
  /**
   * Takes the service down at once (SIGKILL) but keeps its port and data, to simulate an outage;
   * `restart()` brings it back.
   */
  kill(): Promise<void>;
  /** Stops the service if it runs (SIGTERM), then starts it again on the same port and data; waits for `/readyz`. */
  restart(): Promise<void>;
  /**
   * Freezes the process (SIGSTOP): it stops answering while its port and connections stay open, so callers'
   * requests wait (until their own timeouts) instead of being refused. `resume()` lets it go on.
   */
  pause(): void;
  /** Continues a paused service (SIGCONT); the requests that waited are answered. */
  resume(): void;
  /** The last lines the service logged, for assertion messages. */
  logs(): string;
  /** The service process's id while it runs (e.g. for a benchmark to read its peak memory). */
  pid(): number | undefined;
}

const GRACE_MS = 10_000;

/**
 * Starts the real storage app as a child process on a free loopback port and waits until `/readyz`
 * answers. The app must be built (`pnpm --filter @kubernaut/datastorage build`).
 */
export async function startStorageService(options: StorageServiceOptions = {}): Promise<StorageService> {
  const script = join(workspaceRoot(), "apps", "datastorage", "dist", "server.js");
  if (!existsSync(script)) {
    throw new Error(`${script} does not exist: build it with \`pnpm --filter @kubernaut/datastorage build\``);
  }
  const readyTimeoutMs = options.readyTimeoutMs ?? 120_000;
  const port = await freeLoopbackPort();
  const url = `http://127.0.0.1:${port}`;
  const dataDir = await mkdtemp(join(tmpdir(), "kubernaut-storage-"));
  let database: FreshDatabase | undefined;
  if (options.databaseUrl) database = await createFreshDatabase(options.databaseUrl);

  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TMPDIR: process.env.TMPDIR,
    HOST: "127.0.0.1",
    PORT: String(port),
    DATA_DIR: join(dataDir, "pglite"),
    LOG_LEVEL: "warn",
    ...(database ? { DATABASE_URL: database.url } : {}),
    ...options.env,
  };
  const logs = new LogTail();
  let child: ChildProcess | undefined;
  let stopped = false;

  const start = async (): Promise<void> => {
    if (stopped) throw new Error("storage service was stopped; start a new one");
    const started = spawnNode(script, env, logs);
    child = started;
    try {
      await waitUntilReady(`${url}/readyz`, started, logs, readyTimeoutMs);
    } catch (error) {
      await terminate(started, "SIGKILL", GRACE_MS);
      throw error;
    }
  };

  const service: StorageService = {
    url,
    port,
    databaseUrl: database?.url,
    logs: () => logs.toString(),
    pid: () => (child && isAlive(child) ? child.pid : undefined),
    async kill() {
      if (child) await terminate(child, "SIGKILL", GRACE_MS);
    },
    async restart() {
      service.resume();
      if (child && isAlive(child)) await terminate(child, "SIGTERM", GRACE_MS);
      await start();
    },
    pause() {
      if (child && isAlive(child)) child.kill("SIGSTOP");
    },
    resume() {
      if (child && isAlive(child)) child.kill("SIGCONT");
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      service.resume();
      if (child) await terminate(child, "SIGTERM", GRACE_MS);
      await rm(dataDir, { recursive: true, force: true });
      await database?.drop();
    },
  };

  try {
    await start();
  } catch (error) {
    await service.stop();
    throw error;
  }
  return service;
}
