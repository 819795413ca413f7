import { sql } from "drizzle-orm";
import { DAY_MS, defineAnalytics } from "./define.js";
import { withinWindow } from "./window.js";

/** Seed 003's most common failure phases, with the distinct reasons (first 100 characters) seen in each. */
export const failurePhases = defineAnalytics({
  name: "failure-phases",
  summary: "Most common failure phases (seed 003)",
  defaultSpanMs: 7 * DAY_MS,
  params: {},
  query: ({ window, limit }) => sql`
    SELECT
      failure_phase,
      COUNT(*) as failure_count,
      COUNT(DISTINCT alert_fingerprint) as unique_alerts_affected,
      ARRAY_AGG(DISTINCT substring(failure_reason, 1, 100)) as sample_reasons
    FROM remediation_audit
    WHERE failure_phase IS NOT NULL
      AND ${withinWindow(sql`created_at`, window)}
    GROUP BY failure_phase
    ORDER BY failure_count DESC, failure_phase
    LIMIT ${limit}`,
});
