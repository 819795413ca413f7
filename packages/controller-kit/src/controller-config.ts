import { existsSync } from "node:fs";
import type { ManagerOptions } from "@kubernaut/controller-runtime";
import { goDurationText, parseGoDuration } from "@kubernaut/schema/contracts";
import { z } from "zod";

/** An integer environment variable in `[min, max]`. */
export const envInt = (min: number, max: number) =>
  z.coerce
    .number({ error: "expected a number" })
    .int({ error: "expected an integer" })
    .min(min, { error: `must be at least ${min}` })
    .max(max, { error: `must be at most ${max}` });

export const envBool = z
  .enum(["true", "false", "1", "0", "yes", "no"], { error: "expected true or false" })
  .transform((v) => v === "true" || v === "1" || v === "yes");

/** A Go duration (`500ms`, `90s`, `1h30m`, in Go's grammar and the platform's range), to milliseconds, at least `minMs`. */
export const envDurationMs = (minMs: number) =>
  goDurationText
    .transform((v) => parseGoDuration(v) / 1e6)
    .refine((ms) => ms >= minMs, { error: `must be at least ${minMs} ms` });

export const envText = z.string().min(1);

export const envHttpUrl = z.url({ protocol: /^https?$/, error: "expected an http(s) URL" });

/**
 * The environment variables every Kubernaut controller reads, with laptop defaults: an app spreads them
 * into its config schema and adds its own. Only the Lease name and the probe port differ between apps.
 */
export function controllerEnv(defaults: { leaderElectionId: string; probePort: number }) {
  return {
    KUBECONFIG: envText.refine(existsSync, { error: "no such file" }).optional(),
    STORAGE_URL: envHttpUrl.default("http://localhost:8085"),
    STORAGE_TOKEN: envText.optional(),
    STORAGE_TOKEN_FILE: envText.optional(),
    /** Per storage request; audit writes are retried in the background. */
    STORAGE_TIMEOUT: envDurationMs(100).default(5_000),
    AUDIT_SPOOL_DIR: envText.optional(),
    /** Longest pause between retries of an audit batch while the storage service is unreachable. */
    AUDIT_RETRY_MAX_INTERVAL: envDurationMs(100).default(30_000),
    WATCH_NAMESPACE: envText.optional(),
    LEADER_ELECTION: envBool.default(true),
    LEADER_ELECTION_ID: envText.default(defaults.leaderElectionId),
    LEADER_ELECTION_NAMESPACE: envText.default("kubernaut-system"),
    LEADER_ELECTION_LEASE_DURATION: envDurationMs(1_000).default(15_000),
    LEADER_ELECTION_RENEW_DEADLINE: envDurationMs(500).default(10_000),
    LEADER_ELECTION_RETRY_PERIOD: envDurationMs(100).default(2_000),
    POD_NAME: envText.optional(),
    PROBE_PORT: envInt(0, 65535).default(defaults.probePort),
    PROBE_HOST: envText.default("0.0.0.0"),
    LOG_LEVEL: z
      .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
        error: "expected fatal, error, warn, info, debug, trace or silent",
      })
      .default("info"),
    MAX_CONCURRENT_RECONCILES: envInt(1, 64).default(2),
    /** How long SIGTERM waits for buffered audit records to reach the storage service. */
    SHUTDOWN_TIMEOUT: envDurationMs(100).default(10_000),
  };
}

/** The settings every Kubernaut controller reads from its environment, as its config schema outputs them. */
export type ControllerConfig = z.output<z.ZodObject<ReturnType<typeof controllerEnv>>>;

/** A configuration that names every wrong variable, e.g. `PROBE_PORT: must be at most 65535`. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join("\n  ")}`);
    this.name = "ConfigError";
  }
}

/**
 * Parses the environment with a controller's config `schema`; throws a ConfigError naming each wrong
 * variable, then each broken rule between variables (the leader election timings, and the app's
 * `crossChecks`). Empty strings count as unset.
 */
export function loadControllerConfig<S extends z.ZodObject & { _zod: { output: ControllerConfig } }>(
  schema: S,
  env: NodeJS.ProcessEnv,
  crossChecks: (config: z.output<S>) => string[] = () => [],
): z.output<S> {
  const present = Object.fromEntries(
    Object.keys(schema.shape)
      .map((key) => [key, env[key]] as const)
      .filter(([, value]) => value !== undefined && value !== ""),
  );
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.map(String).join(".") || "(env)"}: ${issue.message}`),
    );
  }
  const config = parsed.data;
  const problems: string[] = [];
  if (config.LEADER_ELECTION_RENEW_DEADLINE >= config.LEADER_ELECTION_LEASE_DURATION) {
    problems.push("LEADER_ELECTION_RENEW_DEADLINE: must be shorter than LEADER_ELECTION_LEASE_DURATION");
  }
  if (config.LEADER_ELECTION_RETRY_PERIOD >= config.LEADER_ELECTION_RENEW_DEADLINE) {
    problems.push("LEADER_ELECTION_RETRY_PERIOD: must be shorter than LEADER_ELECTION_RENEW_DEADLINE");
  }
  problems.push(...crossChecks(config));
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** The Manager's namespace, leader election and probe options from a controller's configuration. */
export function managerOptionsFrom(
  config: ControllerConfig,
): Pick<ManagerOptions, "namespace" | "leaderElection" | "probes"> {
  return {
    ...(config.WATCH_NAMESPACE ? { namespace: config.WATCH_NAMESPACE } : {}),
    ...(config.LEADER_ELECTION
      ? {
          leaderElection: {
            name: config.LEADER_ELECTION_ID,
            namespace: config.LEADER_ELECTION_NAMESPACE,
            leaseDurationMs: config.LEADER_ELECTION_LEASE_DURATION,
            renewDeadlineMs: config.LEADER_ELECTION_RENEW_DEADLINE,
            retryPeriodMs: config.LEADER_ELECTION_RETRY_PERIOD,
            ...(config.POD_NAME ? { identity: config.POD_NAME } : {}),
          },
        }
      : {}),
    probes: { port: config.PROBE_PORT, host: config.PROBE_HOST },
  };
}

/** The storage client's address, timeout and bearer token (inline, or a file re-read when it changes). */
export function storageConnectionFrom(config: ControllerConfig): {
  baseUrl: string;
  timeoutMs: number;
  token?: string | { file: string };
} {
  const connection = { baseUrl: config.STORAGE_URL, timeoutMs: config.STORAGE_TIMEOUT };
  if (config.STORAGE_TOKEN_FILE) return { ...connection, token: { file: config.STORAGE_TOKEN_FILE } };
  if (config.STORAGE_TOKEN) return { ...connection, token: config.STORAGE_TOKEN };
  return connection;
}
