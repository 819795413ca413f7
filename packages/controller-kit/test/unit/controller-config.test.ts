import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  ConfigError,
  controllerEnv,
  loadControllerConfig,
  managerOptionsFrom,
  storageConnectionFrom,
} from "../../src/index.js";

const schema = z.object(controllerEnv({ leaderElectionId: "example-controller", probePort: 8089 }));
const load = (env: NodeJS.ProcessEnv, checks?: () => string[]) => loadControllerConfig(schema, env, checks);

describe("controller configuration", () => {
  it("maps the defaults to the manager and the storage client", () => {
    const config = load({});
    expect(config).toMatchObject({
      STORAGE_URL: "http://localhost:8085",
      LEADER_ELECTION_ID: "example-controller",
      PROBE_PORT: 8089,
      AUDIT_RETRY_MAX_INTERVAL: 30_000,
      LOG_LEVEL: "info",
      MAX_CONCURRENT_RECONCILES: 2,
      SHUTDOWN_TIMEOUT: 10_000,
    });
    expect(managerOptionsFrom(config)).toEqual({
      leaderElection: {
        name: "example-controller",
        namespace: "kubernaut-system",
        leaseDurationMs: 15_000,
        renewDeadlineMs: 10_000,
        retryPeriodMs: 2_000,
      },
      probes: { port: 8089, host: "0.0.0.0" },
    });
    expect(storageConnectionFrom(config)).toEqual({ baseUrl: "http://localhost:8085", timeoutMs: 5_000 });
  });

  it("maps namespace, identity, no leader election and a token file", () => {
    const config = load({
      WATCH_NAMESPACE: "payments",
      LEADER_ELECTION: "false",
      STORAGE_TOKEN: "inline",
      STORAGE_TOKEN_FILE: "/var/run/token",
      PROBE_PORT: "0",
    });
    expect(managerOptionsFrom(config)).toEqual({
      namespace: "payments",
      probes: { port: 0, host: "0.0.0.0" },
    });
    expect(storageConnectionFrom(config).token).toEqual({ file: "/var/run/token" });
    expect(managerOptionsFrom(load({ POD_NAME: "pod-1" })).leaderElection?.identity).toBe("pod-1");
  });

  it("names every wrong variable, then every broken rule between them", () => {
    expect(() => load({ PROBE_PORT: "70000", STORAGE_TIMEOUT: "soon" })).toThrow(
      /STORAGE_TIMEOUT: expected a Go duration[\s\S]*PROBE_PORT: must be at most 65535/,
    );
    const error = (() => {
      try {
        load({ LEADER_ELECTION_RENEW_DEADLINE: "20s", LEADER_ELECTION_RETRY_PERIOD: "30s" }, () => [
          "X: bad",
        ]);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      "LEADER_ELECTION_RENEW_DEADLINE: must be shorter than LEADER_ELECTION_LEASE_DURATION",
      "LEADER_ELECTION_RETRY_PERIOD: must be shorter than LEADER_ELECTION_RENEW_DEADLINE",
      "X: bad",
    ]);
  });
});
