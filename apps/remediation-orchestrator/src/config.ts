import { existsSync } from "node:fs";
import {
  envBool as bool,
  ConfigError,
  envDurationMs as durationMs,
  envInt as int,
  loadControllerConfig,
  envText as text,
} from "@kubernaut/controller-runtime";
import { z } from "zod";
import type { OrchestratorSettings } from "./settings.js";

export { ConfigError };

/** Every environment variable the orchestrator reads, with laptop defaults. */
export const ConfigSchema = z.object({
  KUBECONFIG: text.refine(existsSync, { error: "no such file" }).optional(),
  STORAGE_URL: z
    .url({ protocol: /^https?$/, error: "expected an http(s) URL" })
    .default("http://localhost:8085"),
  STORAGE_TOKEN: text.optional(),
  STORAGE_TOKEN_FILE: text.optional(),
  STORAGE_TIMEOUT: durationMs(100).default(5_000),
  AUDIT_SPOOL_DIR: text.optional(),
  /** Longest pause between retries of an audit batch while the storage service is unreachable. */
  AUDIT_RETRY_MAX_INTERVAL: durationMs(100).default(30_000),
  WATCH_NAMESPACE: text.optional(),
  LEADER_ELECTION: bool.default(true),
  LEADER_ELECTION_ID: text.default("remediation-orchestrator"),
  LEADER_ELECTION_NAMESPACE: text.default("kubernaut-system"),
  LEADER_ELECTION_LEASE_DURATION: durationMs(1_000).default(15_000),
  LEADER_ELECTION_RENEW_DEADLINE: durationMs(500).default(10_000),
  LEADER_ELECTION_RETRY_PERIOD: durationMs(100).default(2_000),
  POD_NAME: text.optional(),
  PROBE_PORT: int(0, 65535).default(8081),
  PROBE_HOST: text.default("0.0.0.0"),
  LOG_LEVEL: z
    .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
      error: "expected fatal, error, warn, info, debug, trace or silent",
    })
    .default("info"),
  MAX_CONCURRENT_RECONCILES: int(1, 64).default(2),
  /** Default phase timeouts; a RemediationRequest's `spec.timeouts` overrides them. */
  PHASE_TIMEOUT_PROCESSING: durationMs(1).default(5 * 60_000),
  PHASE_TIMEOUT_ANALYZING: durationMs(1).default(10 * 60_000),
  PHASE_TIMEOUT_EXECUTING: durationMs(1).default(30 * 60_000),
  PHASE_TIMEOUT_OVERALL: durationMs(1).default(60 * 60_000),
  /** How long a finished RemediationRequest is kept (after its final audit record is confirmed stored). */
  RR_RETENTION: durationMs(1).default(24 * 3600_000),
  /** How often an unconfirmed final audit record is looked up in the storage service. */
  AUDIT_CONFIRM_INTERVAL: durationMs(100).default(10_000),
  /** Timeout of that lookup: reconciling never waits longer on storage. */
  AUDIT_CONFIRM_TIMEOUT: durationMs(100).default(2_000),
  /** How long a deletion waits for the final audit record before going ahead with a Warning event. */
  FINALIZER_MAX_WAIT: durationMs(1).default(10 * 60_000),
  /** How long SIGTERM waits for buffered audit records to reach the storage service. */
  SHUTDOWN_TIMEOUT: durationMs(100).default(10_000),
});

export type Config = z.output<typeof ConfigSchema>;

/** Parses the environment; throws a ConfigError naming each wrong variable. Empty strings count as unset. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return loadControllerConfig(ConfigSchema, env);
}

/** The phase logic's settings from the configuration. */
export function settingsFrom(config: Config): OrchestratorSettings {
  return {
    timeouts: {
      processing: config.PHASE_TIMEOUT_PROCESSING,
      analyzing: config.PHASE_TIMEOUT_ANALYZING,
      executing: config.PHASE_TIMEOUT_EXECUTING,
      overall: config.PHASE_TIMEOUT_OVERALL,
    },
    retentionMs: config.RR_RETENTION,
    auditConfirmIntervalMs: config.AUDIT_CONFIRM_INTERVAL,
    finalizerMaxWaitMs: config.FINALIZER_MAX_WAIT,
  };
}
