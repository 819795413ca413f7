import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";

function problems(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("configuration", () => {
  it("runs on a laptop with no variables: rules, local storage, port 8083", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      INVESTIGATION_PROVIDER: "rules",
      STORAGE_URL: "http://localhost:8085",
      STORAGE_READ_TIMEOUT: 2_000,
      PROBE_PORT: 8083,
      LEADER_ELECTION: true,
      INVESTIGATION_MAX_ATTEMPTS: 3,
      SIMILAR_INVESTIGATIONS: 5,
      HISTORY_WINDOW: "30d",
    });
  });

  it("reads durations as Go durations and empty strings as unset", () => {
    const config = loadConfig({ LLM_TIMEOUT: "1m30s", INVESTIGATION_RETRY_BASE: "250ms", LLM_URL: "" });
    expect(config.LLM_TIMEOUT).toBe(90_000);
    expect(config.INVESTIGATION_RETRY_BASE).toBe(250);
    expect(config.LLM_URL).toBeUndefined();
  });

  it("names each wrong variable", () => {
    expect(
      problems({
        PROBE_PORT: "70000",
        INVESTIGATION_PROVIDER: "gpt",
        LLM_TIMEOUT: "soon",
        LEADER_ELECTION: "maybe",
      }),
    ).toEqual([
      "LEADER_ELECTION: expected true or false",
      "PROBE_PORT: must be at most 65535",
      "INVESTIGATION_PROVIDER: expected rules or openai",
      'LLM_TIMEOUT: expected a Go duration such as "500ms", "30s" or "5m"',
    ]);
  });

  it("needs LLM_URL for the openai provider", () => {
    expect(problems({ INVESTIGATION_PROVIDER: "openai" })).toEqual([
      "LLM_URL: required when INVESTIGATION_PROVIDER=openai",
    ]);
    expect(loadConfig({ INVESTIGATION_PROVIDER: "openai", LLM_URL: "http://127.0.0.1:8000" }).LLM_MODEL).toBe(
      "gpt-4o-mini",
    );
  });

  it("refuses a retry base above its cap and a lease renewal slower than the lease", () => {
    expect(
      problems({
        INVESTIGATION_RETRY_BASE: "2m",
        INVESTIGATION_RETRY_MAX: "1m",
        LEADER_ELECTION_RENEW_DEADLINE: "20s",
      }),
    ).toEqual([
      "LEADER_ELECTION_RENEW_DEADLINE: must be shorter than LEADER_ELECTION_LEASE_DURATION",
      "INVESTIGATION_RETRY_BASE: must not exceed INVESTIGATION_RETRY_MAX",
    ]);
  });
});
