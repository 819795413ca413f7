import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, settingsFrom } from "../../src/config.js";

describe("orchestrator config", () => {
  it("runs on defaults", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      STORAGE_URL: "http://localhost:8085",
      LEADER_ELECTION: true,
      PROBE_PORT: 8081,
      RR_RETENTION: 24 * 3600_000,
    });
    expect(settingsFrom(config)).toEqual({
      timeouts: { processing: 300_000, analyzing: 600_000, executing: 1_800_000, overall: 3_600_000 },
      retentionMs: 86_400_000,
      auditConfirmIntervalMs: 10_000,
      finalizerMaxWaitMs: 600_000,
    });
  });

  it("reads Go durations for timeouts and retention", () => {
    const config = loadConfig({
      PHASE_TIMEOUT_PROCESSING: "2s",
      RR_RETENTION: "1h30m",
      LEADER_ELECTION: "false",
    });
    expect(settingsFrom(config).timeouts.processing).toBe(2000);
    expect(config.RR_RETENTION).toBe(5_400_000);
    expect(config.LEADER_ELECTION).toBe(false);
  });

  it("names every wrong variable", () => {
    let error: unknown;
    try {
      loadConfig({
        PROBE_PORT: "70000",
        RR_RETENTION: "a day",
        STORAGE_URL: "ftp://x",
        LEADER_ELECTION: "maybe",
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join("\n");
    expect(problems).toContain("PROBE_PORT: must be at most 65535");
    expect(problems).toContain('RR_RETENTION: expected a Go duration such as "500ms", "30s" or "5m"');
    expect(problems).toContain("STORAGE_URL: expected an http(s) URL");
    expect(problems).toContain("LEADER_ELECTION: expected true or false");
  });

  it("refuses a renew deadline that is not shorter than the lease", () => {
    expect(() =>
      loadConfig({ LEADER_ELECTION_LEASE_DURATION: "5s", LEADER_ELECTION_RENEW_DEADLINE: "5s" }),
    ).toThrow(/LEADER_ELECTION_RENEW_DEADLINE/);
  });
});
