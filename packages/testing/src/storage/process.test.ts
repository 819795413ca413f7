import { existsSync } from "node:fs";
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
