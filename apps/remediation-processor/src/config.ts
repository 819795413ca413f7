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

export { ConfigError };

/** Every environment variable the processor reads, with laptop defaults. */
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
  LEADER_ELECTION_ID: text.default("remediation-processor"),
  LEADER_ELECTION_NAMESPACE: text.default("kubernaut-system"),
  LEADER_ELECTION_LEASE_DURATION: durationMs(1_000).default(15_000),
  LEADER_ELECTION_RENEW_DEADLINE: durationMs(500).default(10_000),
  LEADER_ELECTION_RETRY_PERIOD: durationMs(100).default(2_000),
  POD_NAME: text.optional(),
  PROBE_PORT: int(0, 65535).default(8082),
  PROBE_HOST: text.default("0.0.0.0"),
  LOG_LEVEL: z
    .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
      error: "expected fatal, error, warn, info, debug, trace or silent",
    })
    .default("info"),
  MAX_CONCURRENT_RECONCILES: int(1, 64).default(2),
  /** How long one context source (a Kubernetes read) may take before enrichment goes on without it. */
  ENRICHMENT_SOURCE_TIMEOUT: durationMs(100).default(5_000),
  /** How long SIGTERM waits for buffered audit records to reach the storage service. */
  SHUTDOWN_TIMEOUT: durationMs(100).default(10_000),
});

export type Config = z.output<typeof ConfigSchema>;

/** Parses the environment; throws a ConfigError naming each wrong variable. Empty strings count as unset. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return loadControllerConfig(ConfigSchema, env);
}
