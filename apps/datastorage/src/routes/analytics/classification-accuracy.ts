import { sql } from "drizzle-orm";
import { DAY_MS, defineAnalytics } from "./define.js";
import { withinWindow } from "./window.js";

/** Seed 001's classification accuracy by environment; its window is on `completed_at`, as in the seed. */
export const classificationAccuracy = defineAnalytics({
  name: "classification-accuracy",
  summary: "Classification confidence by environment (seed 001)",
  defaultSpanMs: 7 * DAY_MS,
  params: {},
  query: ({ window, limit }) => sql`
    SELECT environment,
           AVG(confidence) as avg_confidence,
           COUNT(*) as total_alerts
    FROM alert_processing_audit
    WHERE ${withinWindow(sql`completed_at`, window)}
    GROUP BY environment
    ORDER BY environment
    LIMIT ${limit}`,
});
