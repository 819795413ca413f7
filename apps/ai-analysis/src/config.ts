import { existsSync } from "node:fs";
import { parseGoDuration } from "@kubernaut/schema";
import { z } from "zod";

const int = (min: number, max: number) =>
  z.coerce
    .number({ error: "expected a number" })
    .int({ error: "expected an integer" })
    .min(min, { error: `must be at least ${min}` })
    .max(max, { error: `must be at most ${max}` });

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"], { error: "expected true or false" })
  .transform((v) => v === "true" || v === "1" || v === "yes");

/** A Go-style duration (`500ms`, `30s`, `5m`), to milliseconds. */
const durationMs = (minMs: number) =>
  z
    .string()
    .regex(/^((\d+(\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h))+$/, {
      error: 'expected a Go duration such as "500ms", "30s" or "5m"',
    })
    .transform((v) => parseGoDuration(v) / 1e6)
    .refine((ms) => ms >= minMs, { error: `must be at least ${minMs} ms` });

const text = z.string().min(1);
const httpUrl = z.url({ protocol: /^https?$/, error: "expected an http(s) URL" });

/** Every environment variable the AI analysis controller reads, with laptop defaults. */
export const ConfigSchema = z.object({
  KUBECONFIG: text.refine(existsSync, { error: "no such file" }).optional(),
  STORAGE_URL: httpUrl.default("http://localhost:8085"),
  STORAGE_TOKEN: text.optional(),
  STORAGE_TOKEN_FILE: text.optional(),
  /** Audit writes' per-request timeout (the publisher retries them in the background). */
  STORAGE_TIMEOUT: durationMs(100).default(5_000),
  /** How long a reconcile waits on a storage read (similar investigations, success rates) before going on. */
  STORAGE_READ_TIMEOUT: durationMs(50).default(2_000),
  AUDIT_SPOOL_DIR: text.optional(),
  /** Longest pause between retries of an audit batch while the storage service is unreachable. */
  AUDIT_RETRY_MAX_INTERVAL: durationMs(100).default(30_000),
  WATCH_NAMESPACE: text.optional(),
  LEADER_ELECTION: bool.default(true),
  LEADER_ELECTION_ID: text.default("ai-analysis"),
  LEADER_ELECTION_NAMESPACE: text.default("kubernaut-system"),
  LEADER_ELECTION_LEASE_DURATION: durationMs(1_000).default(15_000),
  LEADER_ELECTION_RENEW_DEADLINE: durationMs(500).default(10_000),
  LEADER_ELECTION_RETRY_PERIOD: durationMs(100).default(2_000),
  POD_NAME: text.optional(),
  PROBE_PORT: int(0, 65535).default(8083),
  PROBE_HOST: text.default("0.0.0.0"),
  LOG_LEVEL: z
    .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
      error: "expected fatal, error, warn, info, debug, trace or silent",
    })
    .default("info"),
  MAX_CONCURRENT_RECONCILES: int(1, 64).default(2),
  INVESTIGATION_PROVIDER: z.enum(["rules", "openai"], { error: "expected rules or openai" }).default("rules"),
  LLM_URL: httpUrl.optional(),
  LLM_API_KEY: text.optional(),
  LLM_MODEL: text.default("gpt-4o-mini"),
  LLM_TIMEOUT: durationMs(100).default(30_000),
  LLM_RESPONSE_FORMAT: z
    .enum(["json_schema", "json_object"], { error: "expected json_schema or json_object" })
    .default("json_schema"),
  /** Investigation attempts in all before the analysis fails. */
  INVESTIGATION_MAX_ATTEMPTS: int(1, 20).default(3),
  INVESTIGATION_RETRY_BASE: durationMs(10).default(2_000),
  INVESTIGATION_RETRY_MAX: durationMs(10).default(60_000),
  SIMILAR_INVESTIGATIONS: int(0, 100).default(5),
  /** How far back recorded outcomes count towards an action's success rate, e.g. 30d. */
  HISTORY_WINDOW: z
    .string()
    .regex(/^((\d+(\.\d+)?)(ms|s|m|h|d))+$/, { error: 'expected a span such as "30d", "7d" or "24h"' })
    .default("30d"),
  /** How many recorded outcomes the investigator's own estimate is worth in the ranking blend. */
  HISTORY_PRIOR_WEIGHT: int(0, 10_000).default(10),
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

/** Rules between variables, each naming the variable to fix. */
function crossFieldProblems(config: Config): string[] {
  const problems: string[] = [];
  if (config.INVESTIGATION_PROVIDER === "openai" && !config.LLM_URL) {
    problems.push("LLM_URL: required when INVESTIGATION_PROVIDER=openai");
  }
  if (config.LEADER_ELECTION_RENEW_DEADLINE >= config.LEADER_ELECTION_LEASE_DURATION) {
    problems.push("LEADER_ELECTION_RENEW_DEADLINE: must be shorter than LEADER_ELECTION_LEASE_DURATION");
  }
  if (config.LEADER_ELECTION_RETRY_PERIOD >= config.LEADER_ELECTION_RENEW_DEADLINE) {
    problems.push("LEADER_ELECTION_RETRY_PERIOD: must be shorter than LEADER_ELECTION_RENEW_DEADLINE");
  }
  if (config.INVESTIGATION_RETRY_BASE > config.INVESTIGATION_RETRY_MAX) {
    problems.push("INVESTIGATION_RETRY_BASE: must not exceed INVESTIGATION_RETRY_MAX");
  }
  return problems;
}

/** Parses the environment; throws a ConfigError naming each wrong variable. Empty strings count as unset. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(
    Object.keys(ConfigSchema.shape)
      .map((key) => [key, env[key]] as const)
      .filter(([, value]) => value !== undefined && value !== ""),
  );
  const parsed = ConfigSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.map(String).join(".") || "(env)"}: ${issue.message}`),
    );
  }
  const problems = crossFieldProblems(parsed.data);
  if (problems.length > 0) throw new ConfigError(problems);
  return parsed.data;
}
