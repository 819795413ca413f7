import { sql } from "drizzle-orm";
import { DAY_MS, defineAnalytics } from "./define.js";
import { withinWindow } from "./window.js";

/** Seed 003's orchestration success rate, grouped by overall phase as in the seed. */
export const orchestrationSuccessRate = defineAnalytics({
  name: "orchestration-success-rate",
  summary: "Remediations by overall phase with success counts (seed 003)",
  defaultSpanMs: 7 * DAY_MS,
  params: {},
  query: ({ window, limit }) => sql`
    SELECT
      overall_phase,
      COUNT(*) as total,
      COUNT(CASE WHEN overall_phase = 'completed' THEN 1 END) as successful,
      COUNT(CASE WHEN overall_phase = 'failed' THEN 1 END) as failed,
      ROUND(100.0 * COUNT(CASE WHEN overall_phase = 'completed' THEN 1 END) / COUNT(*), 2) as success_rate_pct
    FROM remediation_audit
    WHERE ${withinWindow(sql`created_at`, window)}
    GROUP BY overall_phase
    ORDER BY overall_phase
    LIMIT ${limit}`,
});
