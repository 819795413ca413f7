import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** Every child still running when the test process exits is killed, so a crashed run leaves none behind. */
const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/** The workspace root: the nearest ancestor of this file holding `pnpm-workspace.yaml`. */
export function workspaceRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  while (!existsSync(join(dir, "pnpm-workspace.yaml"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no pnpm-workspace.yaml above ${from}`);
    dir = parent;
  }
  return dir;
}

/** A TCP port nobody listens on right now, on loopback. */
export async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  await once(server, "close");
  if (address === null || typeof address === "string") throw new Error("could not read a free port");
  return address.port;
}

/** The last lines a child wrote, kept for error messages. */
export class LogTail {
  private readonly lines: string[] = [];

  constructor(private readonly max = 200) {}

  attach(child: ChildProcess): void {
    for (const stream of [child.stdout, child.stderr]) {
      stream?.setEncoding("utf8");
      stream?.on("data", (chunk: string) => {
        for (const line of chunk.split("\n")) if (line !== "") this.push(line);
      });
    }
  }

  push(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.max) this.lines.shift();
  }

  toString(): string {
    return this.lines.join("\n");
  }
}

/**
 * Preloaded into the child: it exits once its parent is gone. The exit handler above cannot run when the
 * test process dies hard (out of memory, SIGKILL), and an orphaned service would hold its port and data.
 */
// The parent's pid comes from the parent itself: a child that reads its own ppid could start after the parent died.
const EXIT_WITH_PARENT =
  "data:text/javascript,const parent=Number(process.env.KUBERNAUT_PARENT_PID);setInterval(()=>{if(process.ppid!==parent)process.exit(1)},1000).unref();";

/** How to run a script: node flags before it (e.g. `["--import", "tsx"]`) and the working directory. */
export interface SpawnOptions {
  nodeArgs?: readonly string[];
  cwd?: string;
}

/** Starts `node script` with exactly `env`, its output going to `logs`. */
export function spawnNode(
  script: string,
  env: NodeJS.ProcessEnv,
  logs: LogTail,
  options: SpawnOptions = {},
): ChildProcess {
  const args = ["--import", EXIT_WITH_PARENT, ...(options.nodeArgs ?? []), script];
  const child = spawn(process.execPath, args, {
    env: { ...env, KUBERNAUT_PARENT_PID: String(process.pid) },
    stdio: ["ignore", "pipe", "pipe"],
    ...(options.cwd ? { cwd: options.cwd } : {}),
  });
  running.add(child);
  child.once("exit", () => running.delete(child));
  logs.attach(child);
  return child;
}

/** True while the child has neither exited nor been killed by a signal. */
export function isAlive(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/** Sends `signal` and waits for the exit; escalates to SIGKILL after `graceMs`. */
export async function terminate(child: ChildProcess, signal: NodeJS.Signals, graceMs: number): Promise<void> {
  if (!isAlive(child)) return;
  const exited = once(child, "exit");
  child.kill(signal);
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  try {
    await exited;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Polls `url` until it answers 200. Fails early, with the child's logs, when the child exits first,
 * and after `timeoutMs` otherwise.
 */
export async function waitUntilReady(
  url: string,
  child: ChildProcess,
  logs: LogTail,
  timeoutMs: number,
  what = "storage service",
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastProblem = "no answer yet";
  while (Date.now() < deadline) {
    if (!isAlive(child)) {
      throw new Error(
        `${what} exited (code ${child.exitCode}, signal ${child.signalCode}) before ${url} answered:\n${logs}`,
      );
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await response.body?.cancel();
      if (response.ok) return;
      lastProblem = `HTTP ${response.status}`;
    } catch (error) {
      lastProblem = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what} not ready at ${url} after ${timeoutMs} ms (${lastProblem}):\n${logs}`);
}
