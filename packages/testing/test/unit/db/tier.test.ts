import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { decideTier } from "../../../src/db/tier.js";

describe("decideTier", () => {
  it("prefers TEST_DATABASE_URL", async () => {
    expect(await decideTier({ TEST_DATABASE_URL: "postgres://127.0.0.1/postgres" })).toEqual({
      tier: "postgres",
      reason: "TEST_DATABASE_URL is set",
    });
  });

  it("obeys TEST_DB_TIER over everything else", async () => {
    const env = { TEST_DB_TIER: "pglite", TEST_DATABASE_URL: "postgres://127.0.0.1/postgres" };
    expect(await decideTier(env)).toEqual({ tier: "pglite", reason: "TEST_DB_TIER=pglite" });
    expect((await decideTier({ TEST_DB_TIER: "container" })).tier).toBe("container");
  });

  it("rejects an unknown TEST_DB_TIER, naming the choices", async () => {
    await expect(decideTier({ TEST_DB_TIER: "mysql" })).rejects.toThrow(
      'TEST_DB_TIER must be one of postgres, container, pglite (got "mysql")',
    );
  });

  it("rejects TEST_DB_TIER=postgres without a server", async () => {
    await expect(decideTier({ TEST_DB_TIER: "postgres" })).rejects.toThrow(
      "TEST_DB_TIER=postgres needs TEST_DATABASE_URL",
    );
  });

  it("falls through to PGlite, saying why, when DOCKER_HOST names nothing that answers", async () => {
    expect(await decideTier({ DOCKER_HOST: "unix:///nonexistent/docker.sock" })).toEqual({
      tier: "pglite",
      reason: "TEST_DATABASE_URL is unset and nothing answers at DOCKER_HOST=unix:///nonexistent/docker.sock",
    });
    expect((await decideTier({ DOCKER_HOST: "tcp://127.0.0.1:1" })).tier).toBe("pglite");
    expect((await decideTier({ DOCKER_HOST: "ssh://builder" })).reason).toContain(
      "DOCKER_HOST=ssh://builder is neither unix:// nor tcp://",
    );
  });

  describe("with a Docker-compatible API on a socket", () => {
    let dir: string;
    let server: Server;

    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), "docker-"));
      server = createServer((req, res) => {
        res.writeHead(req.url === "/_ping" ? 200 : 404).end("OK");
      });
      await new Promise<void>((resolve) => server.listen(join(dir, "docker.sock"), resolve));
    });
    afterEach(async () => {
      await new Promise((resolve) => server.close(resolve));
      await rm(dir, { recursive: true, force: true });
    });

    it("chooses the container tier", async () => {
      const socket = join(dir, "docker.sock");
      expect(await decideTier({ DOCKER_HOST: `unix://${socket}` })).toEqual({
        tier: "container",
        reason: `a container runtime answers at unix://${socket}`,
      });
      expect((await decideTier({ XDG_RUNTIME_DIR: dir })).tier).toBe("container");
    });
  });
});
