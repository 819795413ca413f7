import { sql } from "drizzle-orm";
import { defineAnalytics } from "./define.js";
import { withinWindow } from "./window.js";

/** Seed 000's investigation performance by environment (the seed has no window: from the beginning). */
export const investigationPerformance = defineAnalytics({
  name: "investigation-performance",
  summary: "Investigation duration and confidence by environment (seed 000)",
  defaultSpanMs: null,
  params: {},
  query: ({ window, limit }) => sql`
    SELECT
      environment,
      AVG(investigation_duration_ms) as avg_duration,
      AVG(confidence_score) as avg_confidence,
      COUNT(*) as total_investigations
    FROM ai_analysis_audit
    WHERE ${withinWindow(sql`created_at`, window)}
    GROUP BY environment
    ORDER BY environment
    LIMIT ${limit}`,
});
