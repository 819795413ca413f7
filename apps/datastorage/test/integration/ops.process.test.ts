import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { connect, createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  freeLoopbackPort,
  isAlive,
  LogTail,
  terminate,
  waitUntilReady,
  workspaceRoot,
} from "@kubernaut/testing/storage";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

/**
 * The service as a user runs it, always on PGlite (the data directory lock is PGlite's): `pnpm start:datastorage`
 * and signals, a port in use, a data directory held by another process, a stalled request body.
 */
const SERVER = join(import.meta.dirname, "..", "..", "dist", "server.js");
const MIGRATE = join(import.meta.dirname, "..", "..", "dist", "migrate.js");
/** A start initialises or opens PGlite: tens of seconds on a busy machine. */
const START_MS = 180_000;

let dir: string;
let dataDir: string;
const children = new Set<ChildProcess>();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "ds-process-"));
  dataDir = join(dir, "pglite");
});

afterAll(async () => {
  for (const child of children) await terminate(child, "SIGKILL", 5_000);
  await rm(dir, { recursive: true, force: true });
});

interface Started {
  child: ChildProcess;
  logs: LogTail;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function run(command: string, args: string[], env: Record<string, string>, cwd?: string): Started {
  const child = spawn(command, args, {
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      TMPDIR: process.env.TMPDIR ?? tmpdir(),
      LOG_LEVEL: "warn",
      RETENTION_ENABLED: "false",
      DATA_DIR: dataDir,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
    ...(cwd ? { cwd } : {}),
  });
  children.add(child);
  const logs = new LogTail();
  logs.attach(child);
  const exit = once(child, "exit").then(([code, signal]) => {
    children.delete(child);
    return { code: code as number | null, signal: signal as NodeJS.Signals | null };
  });
  return { child, logs, exit };
}

const startServer = (env: Record<string, string>) => run(process.execPath, [SERVER], env);

/** The PID in the data directory's lock file: the node process that holds it. */
const lockHolder = (): number => Number(readFileSync(join(dataDir, "kubernaut.lock"), "utf8").split("\n")[0]);

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** True when nothing accepts connections on the port. */
async function portClosed(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(true));
  });
}

describe("pnpm start:datastorage", () => {
  let starts = 0;
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    it(
      `stops on ${signal} to the pnpm process: the server exits, the port and the data directory are free`,
      async () => {
        const port = await freeLoopbackPort();
        const started = run("pnpm", ["start:datastorage"], { PORT: String(port) }, workspaceRoot());
        await waitUntilReady(`http://127.0.0.1:${port}/readyz`, started.child, started.logs, START_MS);
        // Nothing changed since the start before: the build comes from turbo's cache, not from tsc again.
        if (starts++ > 0) expect(started.logs.toString()).toMatch(/Cached:\s+(\d+) cached, \1 total/);
        const server = lockHolder();
        expect(server).not.toBe(started.child.pid);
        expect(running(server)).toBe(true);

        started.child.kill(signal);
        const { code } = await started.exit;
        expect(code, started.logs.toString()).toBe(0);
        await vi.waitFor(() => expect(running(server)).toBe(false), { timeout: 30_000, interval: 100 });
        expect(await portClosed(port)).toBe(true);
        expect(existsSync(join(dataDir, "kubernaut.lock"))).toBe(false);
      },
      START_MS + 60_000,
    );
  }
});

describe("start-up refusals: one line, exit 1", () => {
  let blocker: Server;
  let blockedPort: number;

  beforeAll(async () => {
    blocker = createServer();
    blocker.listen(0, "127.0.0.1");
    await once(blocker, "listening");
    const address = blocker.address();
    blockedPort = typeof address === "object" && address ? address.port : 0;
  });
  afterAll(() => new Promise<void>((resolve) => blocker.close(() => resolve())));

  it("names the port when it is in use, without a stack trace", async () => {
    const started = startServer({ PORT: String(blockedPort) });
    const { code } = await started.exit;
    expect(code).toBe(1);
    expect(started.logs.toString()).toBe(
      `datastorage: port ${blockedPort} on 127.0.0.1 is already in use by another process: stop it or set PORT`,
    );
  });

  it(
    "through pnpm start:datastorage too: the same line, exit 1",
    async () => {
      const started = run("pnpm", ["start:datastorage"], { PORT: String(blockedPort) }, workspaceRoot());
      const { code } = await started.exit;
      expect(code).toBe(1);
      const logs = started.logs.toString();
      expect(logs).toContain(
        `datastorage: port ${blockedPort} on 127.0.0.1 is already in use by another process: stop it or set PORT`,
      );
      expect(logs).not.toMatch(/^\s+at /m);
    },
    START_MS,
  );

  it("names what to fix: a missing token file or migrations folder, a data directory that cannot be one, an unreachable database", async () => {
    const closedPort = await freeLoopbackPort();
    const cases: [string, Record<string, string>, string][] = [
      [
        SERVER,
        { AUTH_MODE: "token", AUTH_TOKEN_FILE: join(dir, "no-token") },
        `AUTH_TOKEN_FILE: cannot read a token from ${join(dir, "no-token")}: ENOENT`,
      ],
      [
        SERVER,
        { MIGRATIONS_DIR: join(dir, "no-migrations") },
        `cannot read the migrations in ${join(dir, "no-migrations")}`,
      ],
      [
        SERVER,
        { DATA_DIR: join(SERVER, "data") },
        `ENOTDIR: not a directory, mkdir '${join(SERVER, "data")}'`,
      ],
      [
        SERVER,
        { DATABASE_URL: `postgres://audit@127.0.0.1:${closedPort}/audit` },
        `datastorage: cannot connect to the database of DATABASE_URL: connect ECONNREFUSED 127.0.0.1:${closedPort}`,
      ],
      [
        MIGRATE,
        { DATABASE_URL: `postgres://audit@127.0.0.1:${closedPort}/audit` },
        `datastorage migrate: cannot connect to the database of DATABASE_URL: connect ECONNREFUSED 127.0.0.1:${closedPort}`,
      ],
    ];
    for (const [script, env, expected] of cases) {
      const started = run(process.execPath, [script], {
        PORT: String(await freeLoopbackPort()),
        DATA_DIR: "memory://",
        ...env,
      });
      expect((await started.exit).code).toBe(1);
      const logs = started.logs.toString();
      expect(logs).toContain(expected);
      expect(logs).not.toMatch(/^\s+at /m);
    }
  });

  it(
    "names the data directory and its holder's PID when another process has it; takes over a stale lock after kill -9",
    async () => {
      const port = await freeLoopbackPort();
      const first = startServer({ PORT: String(port) });
      await waitUntilReady(`http://127.0.0.1:${port}/readyz`, first.child, first.logs, START_MS);
      expect(lockHolder()).toBe(first.child.pid);

      const second = startServer({ PORT: String(await freeLoopbackPort()) });
      const { code } = await second.exit;
      expect(code).toBe(1);
      const lines = second.logs.toString().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(
        `the PGlite data directory ${dataDir} is in use by process ${first.child.pid}`,
      );

      first.child.kill("SIGKILL");
      await first.exit;
      expect(lockHolder()).toBe(first.child.pid);

      const third = startServer({ PORT: String(port) });
      await waitUntilReady(`http://127.0.0.1:${port}/readyz`, third.child, third.logs, START_MS);
      expect(lockHolder()).toBe(third.child.pid);
      third.child.kill("SIGTERM");
      expect((await third.exit).code).toBe(0);
    },
    2 * START_MS,
  );
});

describe("HTTP timeouts", () => {
  it(
    "cuts off a request whose body stalls, with 408, after HTTP_REQUEST_TIMEOUT",
    async () => {
      const port = await freeLoopbackPort();
      const started = startServer({
        PORT: String(port),
        HTTP_REQUEST_TIMEOUT: "2s",
        HTTP_HEADERS_TIMEOUT: "1s",
      });
      await waitUntilReady(`http://127.0.0.1:${port}/readyz`, started.child, started.logs, START_MS);
      try {
        const socket = connect(port, "127.0.0.1");
        await once(socket, "connect");
        let answer = "";
        socket.setEncoding("utf8");
        socket.on("data", (chunk: string) => {
          answer += chunk;
        });
        const closed = once(socket, "close");
        // Headers and a tenth of the announced body, then nothing: a slowloris client.
        socket.write(
          "POST /api/v1/audit/batch HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n",
        );
        socket.write(`{"records":[${" ".repeat(88)}`);
        await closed;
        expect(answer).toMatch(/^HTTP\/1\.1 408 /);
        expect(isAlive(started.child)).toBe(true);
        expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      } finally {
        started.child.kill("SIGTERM");
        await started.exit;
      }
    },
    START_MS + 60_000,
  );
});
