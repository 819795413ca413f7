import { ConfigError, loadConfig } from "../../src/config.js";

/** The problems `loadConfig` names for `env`; fails when it accepts it. */
export function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error("expected a ConfigError");
}
