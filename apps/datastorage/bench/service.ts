import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";

/** The built service as a child process on a loopback port. */
export interface ServiceProcess {
  url: string;
  child: ChildProcess;
  /** Peak resident set so far (VmHWM), in MiB. */
  peakRssMiB(): number;
  stop(): Promise<void>;
}

const SERVER = join(import.meta.dirname, "..", "dist", "server.js");

export async function startService(env: Record<string, string>): Promise<ServiceProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let stderr = "";
  // e.g. BENCH_SERVICE_NODE_ARGS="--cpu-prof --trace-gc"
  const nodeArgs = (process.env.BENCH_SERVICE_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, SERVER], {
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      LOG_LEVEL: "warn",
      RETENTION_ENABLED: "false",
      // The sealer's and the write path's settings as the bench was given them (e.g. SEALER_ENABLED=false,
      // WRITE_CONCURRENCY=10).
      ...Object.fromEntries(
        Object.entries(process.env).filter(([name]) => /^(SEAL(ER)?_|WRITE_|DB_POOL_SIZE$)/.test(name)),
      ),
      ...env,
    },
    stdio: ["ignore", nodeArgs.length > 0 ? "inherit" : "ignore", "pipe"],
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const deadline = Date.now() + 300_000;
  while (
    (await fetch(`${url}/readyz`).then(
      (r) => r.status,
      () => 0,
    )) !== 200
  ) {
    if (child.exitCode !== null) throw new Error(`service exited ${child.exitCode}: ${stderr}`);
    if (Date.now() > deadline) throw new Error(`service not ready: ${stderr}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    child,
    peakRssMiB: () => {
      const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
      const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN);
      return kb / 1024;
    },
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    },
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}
