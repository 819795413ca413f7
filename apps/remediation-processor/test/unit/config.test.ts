import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";

describe("processor config", () => {
  it("runs on defaults and treats empty strings as unset", () => {
    expect(loadConfig({ WATCH_NAMESPACE: "", STORAGE_TOKEN: "" })).toMatchObject({
      STORAGE_URL: "http://localhost:8085",
      PROBE_PORT: 8082,
      ENRICHMENT_SOURCE_TIMEOUT: 5000,
      LEADER_ELECTION_ID: "remediation-processor",
    });
  });

  it("names every wrong variable", () => {
    let error: unknown;
    try {
      loadConfig({
        ENRICHMENT_SOURCE_TIMEOUT: "5",
        KUBECONFIG: "/no/such/kubeconfig",
        MAX_CONCURRENT_RECONCILES: "0",
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual(
      expect.arrayContaining([
        'ENRICHMENT_SOURCE_TIMEOUT: expected a Go duration such as "500ms", "30s" or "5m"',
        "KUBECONFIG: no such file",
        "MAX_CONCURRENT_RECONCILES: must be at least 1",
      ]),
    );
  });
});
