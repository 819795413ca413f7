import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { freeLoopbackPort, LogTail, workspaceRoot } from "./process.js";

describe("storage service helper internals", () => {
  it("finds the workspace root above this file", () => {
    expect(existsSync(join(workspaceRoot(), "pnpm-workspace.yaml"))).toBe(true);
    expect(() => workspaceRoot("/")).toThrow("no pnpm-workspace.yaml above /");
  });

  it("hands out a loopback port that can be listened on", async () => {
    const port = await freeLoopbackPort();
    const server = createServer();
    await new Promise<void>((resolve, reject) =>
      server.once("error", reject).listen(port, "127.0.0.1", resolve),
    );
    server.close();
  });

  it("keeps only the last lines", () => {
    const tail = new LogTail(2);
    for (const line of ["a", "b", "c"]) tail.push(line);
    expect(tail.toString()).toBe("b\nc");
  });
});

describe("spawnNode", () => {
  it("starts a child that exits once its parent is gone", async () => {
    const { spawn } = await import("node:child_process");
    const { writeFileSync, mkdtempSync, rmSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const dir = mkdtempSync(join(tmpdir(), "spawn-node-"));
    const grandchild = join(dir, "grandchild.mjs");
    writeFileSync(grandchild, "setInterval(() => {}, 1000);\n");
    // A parent that starts the child through spawnNode, prints its pid, then dies without cleaning up.
    const parent = join(dir, "parent.mjs");
    const helper = new URL("./process.ts", import.meta.url).pathname;
    writeFileSync(
      parent,
      `import { spawnNode, LogTail } from ${JSON.stringify(helper)};
       const child = spawnNode(${JSON.stringify(grandchild)}, { PATH: process.env.PATH }, new LogTail());
       console.log(child.pid);
       setTimeout(() => process.kill(process.pid, "SIGKILL"), 300);`,
    );
    const run = spawn(process.execPath, ["--import", "tsx", parent], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    run.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    await new Promise((resolve) => run.once("exit", resolve));
    const pid = Number(out.trim());
    expect(pid).toBeGreaterThan(0);
    // An exited child that its new parent has not reaped yet is a zombie: it answers kill(0) but is gone.
    const alive = () => {
      try {
        process.kill(pid, 0);
      } catch {
        return false;
      }
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
    };
    const deadline = Date.now() + 10_000;
    while (alive() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    const orphaned = alive();
    if (orphaned) process.kill(pid, "SIGKILL");
    rmSync(dir, { recursive: true, force: true });
    expect(orphaned).toBe(false);
  }, 30_000);
});
