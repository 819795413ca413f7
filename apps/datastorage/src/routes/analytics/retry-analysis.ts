import { sql } from "drizzle-orm";
import { DAY_MS, defineAnalytics } from "./define.js";
import { withinWindow } from "./window.js";

/** Seed 003's retry analysis: alerts remediated more than once in the last 24 hours, most retried first. */
export const retryAnalysis = defineAnalytics({
  name: "retry-analysis",
  summary: "Alerts remediated more than once (seed 003)",
  defaultSpanMs: DAY_MS,
  params: {},
  query: ({ window, limit }) => sql`
    SELECT
      alert_fingerprint,
      COUNT(*) as retry_count,
      MAX(created_at) as last_attempt,
      ARRAY_AGG(overall_phase ORDER BY created_at) as phase_progression,
      BOOL_OR(overall_phase = 'completed') as eventually_successful
    FROM remediation_audit
    WHERE ${withinWindow(sql`created_at`, window)}
    GROUP BY alert_fingerprint
    HAVING COUNT(*) > 1
    ORDER BY retry_count DESC, alert_fingerprint
    LIMIT ${limit}`,
});
