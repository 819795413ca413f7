import { parseGoDuration } from "@kubernaut/schema";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { defineAnalytics } from "./define.js";
import { withinWindow } from "./window.js";

const GO_DURATION = /^((\d+(\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h))+$/;

/**
 * Seed 001's slow enrichments: processings whose first phase took longer than `threshold` (default 2s),
 * slowest first, compared with the seed's `(processing_phases->0->>'duration')::interval`.
 */
export const slowEnrichments = defineAnalytics({
  name: "slow-enrichments",
  summary: "Enrichments slower than a threshold (seed 001)",
  defaultSpanMs: null,
  params: {
    threshold: z
      .string()
      .regex(GO_DURATION, { error: 'expected a Go duration such as "2s", "500ms" or "1m30s"' })
      .default("2s")
      .meta({ description: "Only enrichments longer than this Go duration (default 2s)" }),
  },
  query: ({ window, limit, params }) => {
    const thresholdSeconds = parseGoDuration(params.threshold) / 1e9;
    return sql`
      SELECT remediation_id, alert_fingerprint,
             (processing_phases->0->>'duration')::interval as enrichment_duration,
             EXTRACT(EPOCH FROM (processing_phases->0->>'duration')::interval) as enrichment_duration_seconds
      FROM alert_processing_audit
      WHERE (processing_phases->0->>'duration')::interval > make_interval(secs => ${thresholdSeconds})
        AND ${withinWindow(sql`created_at`, window)}
      ORDER BY enrichment_duration DESC, remediation_id
      LIMIT ${limit}`;
  },
});
