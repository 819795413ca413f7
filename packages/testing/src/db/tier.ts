import { probeContainerRuntime } from "./container-runtime.js";

/** Where test databases come from, best first. */
export const TEST_DB_TIERS = ["postgres", "container", "pglite"] as const;
export type TestDbTier = (typeof TEST_DB_TIERS)[number];

export interface TierChoice {
  tier: TestDbTier;
  /** Why this tier, for the log line. */
  reason: string;
}

/**
 * Picks the tier: `TEST_DB_TIER` when set; else `postgres` when `TEST_DATABASE_URL` is set; else `container`
 * when a container runtime answers; else `pglite`.
 */
export async function decideTier(env: NodeJS.ProcessEnv): Promise<TierChoice> {
  const forced = env.TEST_DB_TIER?.trim();
  const serverUrl = env.TEST_DATABASE_URL?.trim();
  if (forced) {
    if (!isTier(forced)) {
      throw new Error(`TEST_DB_TIER must be one of ${TEST_DB_TIERS.join(", ")} (got "${forced}")`);
    }
    if (forced === "postgres" && !serverUrl) throw new Error("TEST_DB_TIER=postgres needs TEST_DATABASE_URL");
    return { tier: forced, reason: `TEST_DB_TIER=${forced}` };
  }
  if (serverUrl) return { tier: "postgres", reason: "TEST_DATABASE_URL is set" };
  const runtime = await probeContainerRuntime(env);
  if (runtime.available)
    return { tier: "container", reason: `a container runtime answers at ${runtime.endpoint}` };
  return { tier: "pglite", reason: `TEST_DATABASE_URL is unset and ${runtime.reason}` };
}

let chosen: Promise<TierChoice> | undefined;

/** The process's tier, decided once from `process.env` and logged once. */
export function processTier(): Promise<TierChoice> {
  chosen ??= decideTier(process.env).then((choice) => {
    process.stderr.write(`test database tier: ${choice.tier} (${choice.reason})\n`);
    return choice;
  });
  return chosen;
}

function isTier(value: string): value is TestDbTier {
  return (TEST_DB_TIERS as readonly string[]).includes(value);
}
