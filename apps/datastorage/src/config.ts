import { goDurationText, parseGoDuration } from "@kubernaut/schema";
import { isKeyName } from "@kubernaut/tlog";
import { z } from "zod";

const MIB = 1024 * 1024;

const int = (min: number, max: number) =>
  z.coerce
    .number({ error: "expected a number" })
    .int({ error: "expected an integer" })
    .min(min, { error: `must be at least ${min}` })
    .max(max, { error: `must be at most ${max}` });

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"], { error: "expected true or false" })
  .transform((v) => v === "true" || v === "1" || v === "yes");

/** A Go-style duration (`90s`, `1h`, `1h30m`), to milliseconds. */
const goDurationMs = goDurationText
  .transform((v) => parseGoDuration(v) / 1e6)
  .refine((ms) => ms >= 1000, { error: "must be at least 1s" });

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v));

/** A shared secret short enough to guess is no secret: the shortest token the service takes. */
export const MIN_TOKEN_LENGTH = 16;
const optionalToken = optionalText.refine((v) => v === undefined || v.trim().length >= MIN_TOKEN_LENGTH, {
  error: `must be at least ${MIN_TOKEN_LENGTH} characters (e.g. openssl rand -hex 32)`,
});

/**
 * Every environment variable the service reads. Defaults run on a laptop: port 8085, PGlite in `./.data`,
 * authentication off (loopback only).
 */
export const ConfigSchema = z
  .object({
    PORT: int(0, 65535).default(8085),
    HOST: z.string().min(1).default("127.0.0.1"),
    DATABASE_URL: z
      .url({ protocol: /^postgres(ql)?$/, error: "expected a postgres:// or postgresql:// URL" })
      .optional(),
    DATA_DIR: z.string().min(1).default("./.data"),
    DB_POOL_SIZE: int(1, 1000).default(10),
    MAX_BODY_BYTES: int(1024, 1024 * MIB).default(10 * MIB),
    MAX_BATCH_RECORDS: int(1, 100_000).default(1000),
    WRITE_QUEUE_MAX_RECORDS: int(1, 10_000_000).default(20_000),
    WRITE_CONCURRENCY: int(1, 1000).default(2),
    RETENTION_DAYS: int(1, 36_500).default(90),
    RETENTION_INTERVAL: goDurationMs.default(3_600_000),
    RETENTION_BATCH_SIZE: int(1, 1_000_000).default(1000),
    RETENTION_ENABLED: bool.default(true),
    RETENTION_AUDIT_EVENTS_DAYS: int(1, 36_500).optional(),
    RETENTION_LOCK_TIMEOUT: goDurationMs.default(5_000),
    AUTH_MODE: z
      .enum(["none", "token", "tokenreview"], { error: "expected none, token or tokenreview" })
      .default("none"),
    AUTH_TOKEN: optionalToken,
    AUTH_TOKEN_FILE: optionalText,
    LEGAL_HOLD_TOKEN: optionalToken,
    LEGAL_HOLD_TOKEN_FILE: optionalText,
    POD_NAMESPACE: z.string().min(1).default("kubernaut-system"),
    METRICS_RUNTIME_INFO: bool.default(false),
    LOG_LEVEL: z
      .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
        error: "expected fatal, error, warn, info, debug, trace or silent",
      })
      .default("info"),
    EMBEDDER: z.enum(["offline", "openai"], { error: "expected offline or openai" }).default("offline"),
    EMBEDDINGS_URL: z.url({ error: "expected an http(s) URL" }).optional(),
    EMBEDDINGS_API_KEY: optionalText,
    EMBEDDINGS_MODEL: optionalText,
    SEALER_ENABLED: bool.default(true),
    SEAL_INTERVAL: goDurationMs.default(1_000),
    SEAL_BATCH_SIZE: int(1, 100_000).default(1000),
    /** How far behind the sealer may fall before it stops waiting for this replica's writes; 0 never waits. */
    SEAL_MAX_LAG: goDurationText.transform((v) => parseGoDuration(v) / 1e6).default(30_000),
    CHECKPOINT_EVERY: int(1, 100_000_000).default(1000),
    CHECKPOINT_INTERVAL: goDurationMs.default(60_000),
    CHECKPOINT_ORIGIN: optionalText.refine((v) => v === undefined || isKeyName(v), {
      error: "must be a key name: no spaces or +, e.g. audit.example.com/prod",
    }),
    CHECKPOINT_SIGNING_KEY_FILE: optionalText,
    CHECKPOINT_PUBLISH_DIR: optionalText,
    CHECKPOINT_WEBHOOK_URL: z.url({ protocol: /^https?$/, error: "expected an http(s) URL" }).optional(),
    MIGRATIONS_DIR: optionalText,
    MIGRATE_ON_START: bool.default(true),
    SHUTDOWN_TIMEOUT: goDurationMs.default(25_000),
    HTTP_REQUEST_TIMEOUT: goDurationMs.default(30_000),
    HTTP_HEADERS_TIMEOUT: goDurationMs.default(10_000),
    HTTP_KEEPALIVE_TIMEOUT: goDurationMs.default(5_000),
  })
  .superRefine((c, ctx) => {
    if (c.AUTH_MODE === "token" && !c.AUTH_TOKEN && !c.AUTH_TOKEN_FILE) {
      ctx.addIssue({
        code: "custom",
        path: ["AUTH_TOKEN"],
        message: "AUTH_MODE=token needs AUTH_TOKEN or AUTH_TOKEN_FILE",
      });
    }
    if (c.LEGAL_HOLD_TOKEN !== undefined && c.LEGAL_HOLD_TOKEN === c.AUTH_TOKEN) {
      ctx.addIssue({
        code: "custom",
        path: ["LEGAL_HOLD_TOKEN"],
        message: "must differ from AUTH_TOKEN: legal holds need a token of their own",
      });
    }
    if (c.AUTH_MODE === "none" && !isLoopback(c.HOST)) {
      ctx.addIssue({
        code: "custom",
        path: ["HOST"],
        message: `binding ${c.HOST} (beyond loopback) needs authentication: set AUTH_MODE=token with AUTH_TOKEN or AUTH_TOKEN_FILE, or AUTH_MODE=tokenreview`,
      });
    }
    if (c.HTTP_HEADERS_TIMEOUT > c.HTTP_REQUEST_TIMEOUT) {
      ctx.addIssue({
        code: "custom",
        path: ["HTTP_HEADERS_TIMEOUT"],
        message: "must not exceed HTTP_REQUEST_TIMEOUT (the headers are part of the request)",
      });
    }
    if (c.EMBEDDER === "openai" && !c.EMBEDDINGS_URL) {
      ctx.addIssue({
        code: "custom",
        path: ["EMBEDDINGS_URL"],
        message: "EMBEDDER=openai needs EMBEDDINGS_URL",
      });
    }
  });

export type Config = z.output<typeof ConfigSchema>;

/** A configuration that names every wrong variable, e.g. `PORT: must be at most 65535`. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join("\n  ")}`);
    this.name = "ConfigError";
  }
}

/** True for addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h === "::1" || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/** Parses the environment; throws a ConfigError naming each wrong variable. Empty strings count as unset. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(
    Object.keys(ConfigSchema.shape)
      .map((key) => [key, env[key]] as const)
      .filter(([, value]) => value !== undefined && value !== ""),
  );
  const parsed = ConfigSchema.safeParse(present);
  if (parsed.success) return parsed.data;
  throw new ConfigError(
    parsed.error.issues.map((issue) => `${issue.path.map(String).join(".") || "(env)"}: ${issue.message}`),
  );
}
