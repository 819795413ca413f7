import { sql } from "drizzle-orm";
import { DAY_MS, defineAnalytics } from "./define.js";
import { withinWindow } from "./window.js";

/** Seed 003's orchestration duration by overall phase: mean, p50 and p95 in seconds, finished ones only. */
export const orchestrationDuration = defineAnalytics({
  name: "orchestration-duration",
  summary: "Orchestration duration p50/p95 by overall phase (seed 003)",
  defaultSpanMs: 7 * DAY_MS,
  params: {},
  query: ({ window, limit }) => sql`
    SELECT
      overall_phase,
      COUNT(*) as total_remediations,
      AVG(EXTRACT(EPOCH FROM (completion_time - start_time))) as avg_duration_seconds,
      PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM (completion_time - start_time))) as p50_duration,
      PERCENTILE_CONT(0.95) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM (completion_time - start_time))) as p95_duration
    FROM remediation_audit
    WHERE completion_time IS NOT NULL
      AND ${withinWindow(sql`created_at`, window)}
    GROUP BY overall_phase
    ORDER BY overall_phase
    LIMIT ${limit}`,
});
