import { describe, expect, it } from "vitest";
import { isLoopback, loadConfig } from "../../src/config.js";
import { problemsOf } from "../support/config.js";

describe("config", () => {
  it("defaults run on a laptop", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 8085,
      HOST: "127.0.0.1",
      DATA_DIR: "./.data",
      MAX_BATCH_RECORDS: 1000,
      MAX_BODY_BYTES: 10 * 1024 * 1024,
      RETENTION_INTERVAL: 3_600_000,
      RETENTION_ENABLED: true,
      AUTH_MODE: "none",
      EMBEDDER: "offline",
      HTTP_REQUEST_TIMEOUT: 30_000,
      HTTP_HEADERS_TIMEOUT: 10_000,
      HTTP_KEEPALIVE_TIMEOUT: 5_000,
      DB_POOL_SIZE: 10,
      WRITE_CONCURRENCY: 2,
    });
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it("refuses a headers timeout longer than the request timeout it is part of", () => {
    expect(problemsOf({ HTTP_REQUEST_TIMEOUT: "5s", HTTP_HEADERS_TIMEOUT: "10s" })).toEqual([
      "HTTP_HEADERS_TIMEOUT: must not exceed HTTP_REQUEST_TIMEOUT (the headers are part of the request)",
    ]);
    expect(problemsOf({ HTTP_KEEPALIVE_TIMEOUT: "0s" })).toEqual([
      "HTTP_KEEPALIVE_TIMEOUT: must be at least 1s",
    ]);
  });

  it("parses Go durations, booleans and numbers", () => {
    const config = loadConfig({ RETENTION_INTERVAL: "1h30m", RETENTION_ENABLED: "false", PORT: "9000" });
    expect(config.RETENTION_INTERVAL).toBe(5_400_000);
    expect(config.RETENTION_ENABLED).toBe(false);
    expect(config.PORT).toBe(9000);
  });

  it("names every wrong variable", () => {
    const problems = problemsOf({
      PORT: "eighty",
      MAX_BATCH_RECORDS: "0",
      WRITE_CONCURRENCY: "0",
      RETENTION_INTERVAL: "soon",
    });
    expect(problems).toEqual([
      "PORT: expected a number",
      "MAX_BATCH_RECORDS: must be at least 1",
      "WRITE_CONCURRENCY: must be at least 1",
      expect.stringMatching(/^RETENTION_INTERVAL: expected a Go duration/),
    ]);
    expect(problemsOf({ DATABASE_URL: "mysql://x" })).toEqual([
      expect.stringMatching(/^DATABASE_URL: expected a postgres/),
    ]);
    expect(problemsOf({ AUTH_MODE: "basic" })).toEqual(["AUTH_MODE: expected none, token or tokenreview"]);
  });

  it("refuses a bind beyond loopback without authentication, naming the variables to set", () => {
    const [problem] = problemsOf({ HOST: "0.0.0.0" });
    expect(problem).toMatch(/^HOST: .*AUTH_MODE=token.*AUTH_TOKEN.*AUTH_TOKEN_FILE.*tokenreview/);
    expect(loadConfig({ HOST: "0.0.0.0", AUTH_MODE: "token", AUTH_TOKEN: "s3cret-0123456789" }).HOST).toBe(
      "0.0.0.0",
    );
    expect(problemsOf({ AUTH_MODE: "token" })).toEqual([
      "AUTH_TOKEN: AUTH_MODE=token needs AUTH_TOKEN or AUTH_TOKEN_FILE",
    ]);
  });

  it("refuses a legal-hold token equal to the service token", () => {
    const same = "the-same-token-0123456789";
    expect(problemsOf({ AUTH_MODE: "token", AUTH_TOKEN: same, LEGAL_HOLD_TOKEN: same })).toEqual([
      "LEGAL_HOLD_TOKEN: must differ from AUTH_TOKEN: legal holds need a token of their own",
    ]);
    const config = loadConfig({
      AUTH_MODE: "token",
      AUTH_TOKEN: "a".repeat(16),
      LEGAL_HOLD_TOKEN: "b".repeat(16),
    });
    expect(config.LEGAL_HOLD_TOKEN).toBe("b".repeat(16));
  });

  it("refuses shared tokens shorter than 16 characters, naming the variable", () => {
    expect(problemsOf({ AUTH_MODE: "token", AUTH_TOKEN: "s3cret" })).toEqual([
      "AUTH_TOKEN: must be at least 16 characters (e.g. openssl rand -hex 32)",
    ]);
    expect(problemsOf({ AUTH_MODE: "token", AUTH_TOKEN: "a".repeat(16), LEGAL_HOLD_TOKEN: "short" })).toEqual(
      ["LEGAL_HOLD_TOKEN: must be at least 16 characters (e.g. openssl rand -hex 32)"],
    );
  });

  it("knows loopback addresses", () => {
    for (const host of ["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]"])
      expect(isLoopback(host)).toBe(true);
    for (const host of ["0.0.0.0", "::", "10.0.0.1", "example.com"]) expect(isLoopback(host)).toBe(false);
  });
});
