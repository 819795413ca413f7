import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { openSync } from "node:fs";
import { readFile } from "node:fs/promises";

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Whether util-linux `setpriv --pdeathsig` exists, so children die with the test runner even on SIGKILL. */
const pdeathsig = (() => {
  try {
    return execFileSync("setpriv", ["--help"], { encoding: "utf8" }).includes("--pdeathsig");
  } catch {
    return false;
  }
})();

/** Starts a long-running binary with its output in `logFile`; it is killed when this process exits. */
export function startProcess(binary: string, args: string[], logFile: string): ChildProcess {
  const log = openSync(logFile, "a");
  const [command, argv] = pdeathsig
    ? ["setpriv", ["--pdeathsig", "TERM", "--", binary, ...args]]
    : [binary, args];
  const child = spawn(command, argv, { stdio: ["ignore", log, log] });
  running.add(child);
  child.once("exit", () => running.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once("exit", () => {
      for (const orphan of running) orphan.kill("SIGKILL");
    });
  }
  return child;
}

export function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process has exited. */
export async function stopProcess(child: ChildProcess, graceMs = 15_000): Promise<void> {
  if (!isRunning(child)) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}

export async function tailOf(file: string, lines = 25): Promise<string> {
  try {
    return (await readFile(file, "utf8")).trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}
