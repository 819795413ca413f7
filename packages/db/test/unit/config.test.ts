import { describe, expect, it } from "vitest";
import { redact, resolveTarget } from "../../src/config.js";

describe("resolveTarget", () => {
  it("uses PGlite in ./.data when no URL is given", () => {
    expect(resolveTarget({})).toEqual({ driver: "pglite", dataDir: "./.data" });
    expect(resolveTarget({ url: "  ", dataDir: "/var/lib/audit" })).toEqual({
      driver: "pglite",
      dataDir: "/var/lib/audit",
    });
  });

  it("keeps PGlite in memory for memory://, as URL or as data directory", () => {
    expect(resolveTarget({ url: "memory://" })).toEqual({ driver: "pglite", dataDir: undefined });
    expect(resolveTarget({ dataDir: "memory://" })).toEqual({ driver: "pglite", dataDir: undefined });
  });

  it("uses a node-postgres pool for postgres:// and postgresql:// URLs", () => {
    expect(resolveTarget({ url: "postgres://u@db:5432/audit" })).toEqual({
      driver: "node-postgres",
      url: "postgres://u@db:5432/audit",
      poolSize: 10,
    });
    expect(resolveTarget({ url: "postgresql://db/audit", poolSize: 3 })).toMatchObject({ poolSize: 3 });
  });

  it("rejects another scheme, naming it without the password", () => {
    expect(() => resolveTarget({ url: "mysql://root:hunter2@db/audit" })).toThrow(
      'database url must start with postgres://, postgresql:// or be memory:// (got "mysql://root:***@db/audit")',
    );
  });

  it("rejects a pool size that is not a positive whole number", () => {
    for (const poolSize of [0, -1, 2.5, Number.NaN]) {
      expect(() => resolveTarget({ url: "postgres://db/audit", poolSize })).toThrow(
        "database pool size must be a whole number of at least 1",
      );
    }
  });
});

describe("redact", () => {
  it("hides the password and nothing else", () => {
    expect(redact("postgres://audit:s3cr%40t@db:5432/audit?sslmode=require")).toBe(
      "postgres://audit:***@db:5432/audit?sslmode=require",
    );
    expect(redact("postgres://audit@db/audit")).toBe("postgres://audit@db/audit");
  });
});
