import {
  ConfigError,
  controllerEnv,
  envDurationMs as durationMs,
  loadControllerConfig,
} from "@kubernaut/controller-kit";
import { z } from "zod";
import type { OrchestratorSettings } from "./settings.js";

export { ConfigError };

/** Every environment variable the orchestrator reads, with laptop defaults. */
export const ConfigSchema = z.object({
  ...controllerEnv({ leaderElectionId: "remediation-orchestrator", probePort: 8081 }),
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
