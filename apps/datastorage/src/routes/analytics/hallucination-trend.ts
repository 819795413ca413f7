import { sql } from "drizzle-orm";
import { defineAnalytics } from "./define.js";
import { withinWindow } from "./window.js";

/**
 * Seed 000's hallucination detection trend, one row per day, newest first. Days are those of the database
 * session's time zone, as with the seed's `DATE(created_at)`.
 */
export const hallucinationTrend = defineAnalytics({
  name: "hallucination-trend",
  summary: "Hallucinations detected per day (seed 000)",
  defaultSpanMs: null,
  params: {},
  query: ({ window, limit }) => sql`
    SELECT
      DATE(created_at) as date,
      SUM(CASE WHEN hallucination_detected THEN 1 ELSE 0 END) as hallucinations,
      COUNT(*) as total_analyses,
      SUM(CASE WHEN hallucination_detected THEN 1 ELSE 0 END)::float / COUNT(*) as hallucination_rate
    FROM ai_analysis_audit
    WHERE ${withinWindow(sql`created_at`, window)}
    GROUP BY DATE(created_at)
    ORDER BY date DESC
    LIMIT ${limit}`,
});
