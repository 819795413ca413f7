import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { waitFor } from "@kubernaut/testing/wait";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AuditPublisher, StorageClient } from "../../src/index.js";
import { recordingLogger } from "../support/logger.js";
import { StubStorage } from "../support/stub-storage.js";

const CHILD = fileURLToPath(new URL("./fixtures/spool-publisher.ts", import.meta.url));
const COUNT = 500;

let stub: StubStorage;
let spoolDir: string;
let child: ChildProcess | undefined;
beforeEach(async () => {
  stub = await new StubStorage().up();
  spoolDir = await mkdtemp(join(tmpdir(), "kill-spool-"));
});
afterEach(async () => {
  child?.kill("SIGKILL");
  await stub.down();
  await rm(spoolDir, { recursive: true, force: true });
});

function startChild(env: Record<string, string>): { child: ChildProcess; log: string[] } {
  const log: string[] = [];
  const started = spawn(process.execPath, ["--import", "tsx", CHILD], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  for (const stream of [started.stdout, started.stderr]) {
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => log.push(...chunk.split("\n").filter(Boolean)));
  }
  return { child: started, log };
}

async function spooledLines(): Promise<string[]> {
  const files = (await readdir(spoolDir)).filter((f) => f.endsWith(".jsonl"));
  const texts = await Promise.all(files.map((f) => readFile(join(spoolDir, f), "utf8")));
  return texts.flatMap((t) => t.split("\n").filter(Boolean));
}

describe("AuditPublisher spool across kill -9", () => {
  it("loses and duplicates nothing when killed in the middle of the drain at close", async () => {
    // The service stores the first batch of the drain but never answers: the child is killed with that
    // batch delivered but unacknowledged, the rest only on disk.
    stub.behaviour = (r) => (r.path.endsWith("/batch") ? "store-then-hang" : "default");
    const started = startChild({
      STORAGE_URL: stub.url,
      SPOOL_DIR: spoolDir,
      COUNT: String(COUNT),
      CAPACITY: "100",
    });
    child = started.child;
    await waitFor(
      () => `the child to spool and start draining; its log:\n${started.log.join("\n")}`,
      () => started.log.some((l) => l.includes("spooled at close")) && stub.batches().length === 1,
      30_000,
    );
    child.kill("SIGKILL");
    await once(child, "exit");
    expect(child.signalCode).toBe("SIGKILL");

    const onDisk = await spooledLines();
    expect(new Set(onDisk.map((l) => (JSON.parse(l) as { event_id: string }).event_id)).size).toBe(COUNT);
    expect(stub.stored.size).toBe(50);

    stub.behaviour = () => "default";
    const next = new AuditPublisher({
      client: new StorageClient({ baseUrl: stub.url }),
      logger: recordingLogger(),
      spoolDir,
      flushIntervalMs: 20,
    });
    await waitFor("every record after the restart", () => stub.stored.size === COUNT, 30_000);
    await waitFor("the spool to empty", async () => (await readdir(spoolDir)).length === 0, 10_000);
    await expect(next.close(5_000)).resolves.toEqual({ sent: 0, unsent: 0, spooled: 0 });

    const names = [...stub.stored.values()].map((r) => r.remediation_name);
    expect(new Set(names).size).toBe(COUNT);
    expect(stub.duplicates).toBe(50);
  }, 60_000);
});
