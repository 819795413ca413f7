import { sql } from "drizzle-orm";
import { DAY_MS, defineAnalytics } from "./define.js";
import { withinWindow } from "./window.js";

/** Seed 003's slowest orchestrations of the last 24 hours (20 by default, as the seed's `LIMIT 20`). */
export const slowestOrchestrations = defineAnalytics({
  name: "slowest-orchestrations",
  summary: "Slowest finished orchestrations (seed 003)",
  defaultSpanMs: DAY_MS,
  defaultLimit: 20,
  params: {},
  query: ({ window, limit }) => sql`
    SELECT
      remediation_name,
      alert_fingerprint,
      overall_phase,
      start_time,
      completion_time,
      EXTRACT(EPOCH FROM (completion_time - start_time)) as duration_seconds,
      service_crd_statuses
    FROM remediation_audit
    WHERE completion_time IS NOT NULL
      AND ${withinWindow(sql`created_at`, window)}
    ORDER BY duration_seconds DESC, remediation_name
    LIMIT ${limit}`,
});
