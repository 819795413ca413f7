import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { request } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDatabase } from "@kubernaut/db";
import { createFreshDatabase, type FreshDatabase } from "@kubernaut/testing/storage";
import { waitFor } from "@kubernaut/testing/wait";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const SERVER = join(import.meta.dirname, "..", "..", "dist", "server.js");
/** The child initialises its own database: tens of seconds for PGlite on a busy machine. */
const START_MS = 180_000;

let dir: string;
let fresh: FreshDatabase | undefined;
let child: ChildProcess;
let base: string;
let stderr = "";

/** Where the child's data lives: a fresh PostgreSQL database when TEST_DATABASE_URL is set, else PGlite. */
const databaseEnv = () => (fresh ? { DATABASE_URL: fresh.url } : { DATA_DIR: join(dir, "pglite") });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "ds-shutdown-"));
  if (process.env.TEST_DATABASE_URL) fresh = await createFreshDatabase(process.env.TEST_DATABASE_URL);
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  child = spawn(process.execPath, [SERVER], {
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      LOG_LEVEL: "warn",
      RETENTION_ENABLED: "false",
      ...databaseEnv(),
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  await waitFor(
    () => `the server to be ready; its stderr: ${stderr}`,
    async () => {
      if (child.exitCode !== null) throw new Error(`server exited ${child.exitCode}: ${stderr}`);
      const status = await fetch(`${base}/readyz`).then(
        (r) => r.status,
        () => 0,
      );
      return status === 200;
    },
    { timeoutMs: START_MS, intervalMs: 250 },
  );
}, START_MS + 30_000);

afterAll(async () => {
  if (child.exitCode === null) child.kill("SIGKILL");
  await fresh?.drop();
  await rm(dir, { recursive: true, force: true });
});

describe("the built server over a real socket", () => {
  it("stores a record and answers it back", async () => {
    const posted = await fetch(`${base}/api/v1/audit/remediation-orchestration`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        alert_fingerprint: "fp-socket",
        remediation_name: "rr-socket",
        overall_phase: "pending",
        start_time: "2026-11-23T09:59:00Z",
      }),
    });
    expect(posted.status).toBe(201);
    const list = await fetch(`${base}/api/v1/audit/remediation-orchestration?fingerprint=fp-socket`);
    expect(list.status).toBe(200);
    const body = (await list.json()) as { items: { remediation_name: string }[] };
    expect(body.items.map((i) => i.remediation_name)).toEqual(["rr-socket"]);
  });

  it("on SIGTERM finishes the request in flight, then exits 0", async () => {
    const records = Array.from({ length: 200 }, (_, i) => ({
      kind: "remediation-orchestration",
      event_id: randomUUID(),
      alert_fingerprint: "fp-shutdown",
      remediation_name: `rr-shutdown-${i}`,
      overall_phase: "pending",
      start_time: "2026-11-23T09:59:00Z",
    }));
    const body = Buffer.from(JSON.stringify({ records }));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

    // Half the body now, SIGTERM, the rest later: the request is in flight when the signal arrives.
    const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(`${base}/api/v1/audit/batch`, {
        method: "POST",
        headers: { "content-type": "application/json", "content-length": body.length },
      });
      req.on("response", (res) => {
        let text = "";
        res.on("data", (chunk: Buffer) => {
          text += chunk.toString();
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on("error", reject);
      req.write(body.subarray(0, body.length / 2));
      // The scenario's timing, not a wait for a condition: the signal comes 300 ms into the request, the rest
      // of the body 500 ms into the drain.
      setTimeout(() => {
        child.kill("SIGTERM");
        setTimeout(() => req.end(body.subarray(body.length / 2)), 500);
      }, 300);
    });

    const { status, text } = await answer;
    expect(status, text).toBe(201);
    expect(JSON.parse(text)).toMatchObject({ inserted: 200, duplicates: 0 });
    expect(await exited, stderr).toBe(0);

    // The batch committed before the process went away.
    const database = await createDatabase(fresh ? { url: fresh.url } : { dataDir: join(dir, "pglite") });
    try {
      const [row] = await database.execute<{ n: number }>(
        "SELECT count(*)::int AS n FROM audit_events WHERE alert_fingerprint = 'fp-shutdown'",
      );
      expect(row?.n).toBe(200);
    } finally {
      await database.close();
    }
  }, 60_000);
});

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
