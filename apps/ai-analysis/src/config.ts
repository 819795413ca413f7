import {
  ConfigError,
  controllerEnv,
  envDurationMs as durationMs,
  envHttpUrl as httpUrl,
  envInt as int,
  loadControllerConfig,
  envText as text,
} from "@kubernaut/controller-kit";
import { spanText } from "@kubernaut/schema/contracts";
import { z } from "zod";

export { ConfigError };

/** Every environment variable the AI analysis controller reads, with laptop defaults. */
export const ConfigSchema = z.object({
  ...controllerEnv({ leaderElectionId: "ai-analysis", probePort: 8083 }),
  /** How long a reconcile waits on a storage read (similar investigations, success rates) before going on. */
  STORAGE_READ_TIMEOUT: durationMs(50).default(2_000),
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
  HISTORY_WINDOW: spanText.default("30d"),
  /** How many recorded outcomes the investigator's own estimate is worth in the ranking blend. */
  HISTORY_PRIOR_WEIGHT: int(0, 10_000).default(10),
});

export type Config = z.output<typeof ConfigSchema>;

/** Rules between variables, each naming the variable to fix. */
function crossFieldProblems(config: Config): string[] {
  const problems: string[] = [];
  if (config.INVESTIGATION_PROVIDER === "openai" && !config.LLM_URL) {
    problems.push("LLM_URL: required when INVESTIGATION_PROVIDER=openai");
  }
  if (config.INVESTIGATION_RETRY_BASE > config.INVESTIGATION_RETRY_MAX) {
    problems.push("INVESTIGATION_RETRY_BASE: must not exceed INVESTIGATION_RETRY_MAX");
  }
  return problems;
}

/** Parses the environment; throws a ConfigError naming each wrong variable. Empty strings count as unset. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return loadControllerConfig(ConfigSchema, env, crossFieldProblems);
}
