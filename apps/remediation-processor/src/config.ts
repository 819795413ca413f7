import {
  ConfigError,
  controllerEnv,
  envDurationMs as durationMs,
  loadControllerConfig,
} from "@kubernaut/controller-kit";
import { z } from "zod";

export { ConfigError };

/** Every environment variable the processor reads, with laptop defaults. */
export const ConfigSchema = z.object({
  ...controllerEnv({ leaderElectionId: "remediation-processor", probePort: 8082 }),
  /** How long one context source (a Kubernetes read) may take before enrichment goes on without it. */
  ENRICHMENT_SOURCE_TIMEOUT: durationMs(100).default(5_000),
});

export type Config = z.output<typeof ConfigSchema>;

/** Parses the environment; throws a ConfigError naming each wrong variable. Empty strings count as unset. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return loadControllerConfig(ConfigSchema, env);
}
