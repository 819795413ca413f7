import { existsSync } from "node:fs";
import { parseGoDuration } from "@kubernaut/schema";
import { z } from "zod";
import type { OrchestratorSettings } from "./settings.js";

const int = (min: number, max: number) =>
  z.coerce
    .number({ error: "expected a number" })
    .int({ error: "expected an integer" })
    .min(min, { error: `must be at least ${min}` })
    .max(max, { error: `must be at most ${max}` });

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"], { error: "expected true or false" })
  .transform((v) => v === "true" || v === "1" || v === "yes");

/** A Go-style duration (`500ms`, `90s`, `1h30m`), to milliseconds. */
const durationMs = (minMs: number) =>
  z
    .string()
    .regex(/^((\d+(\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h))+$/, {
      error: 'expected a Go duration such as "500ms", "30s" or "5m"',
    })
    .transform((v) => parseGoDuration(v) / 1e6)
    .refine((ms) => ms >= minMs, { error: `must be at least ${minMs} ms` });

const text = z.string().min(1);

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

/** A configuration that names every wrong variable, e.g. `PROBE_PORT: must be at most 65535`. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join("\n  ")}`);
    this.name = "ConfigError";
  }
}

/** Parses the environment; throws a ConfigError naming each wrong variable. Empty strings count as unset. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(
    Object.keys(ConfigSchema.shape)
      .map((key) => [key, env[key]] as const)
      .filter(([, value]) => value !== undefined && value !== ""),
  );
  const parsed = ConfigSchema.safeParse(present);
  if (parsed.success) {
    const config = parsed.data;
    if (config.LEADER_ELECTION_RENEW_DEADLINE >= config.LEADER_ELECTION_LEASE_DURATION) {
      throw new ConfigError([
        "LEADER_ELECTION_RENEW_DEADLINE: must be shorter than LEADER_ELECTION_LEASE_DURATION",
      ]);
    }
    return config;
  }
  throw new ConfigError(
    parsed.error.issues.map((issue) => `${issue.path.map(String).join(".") || "(env)"}: ${issue.message}`),
  );
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
