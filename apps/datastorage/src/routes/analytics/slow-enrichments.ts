import { goDurationText, parseGoDuration } from "@kubernaut/schema";
import { sql } from "drizzle-orm";
import { defineAnalytics } from "./define.js";
import { withinWindow } from "./window.js";

/**
 * The seed's `(processing_phases->0->>'duration')::interval`, cast only when the text is the interval the service
 * writes (`PT2.5S`): a row written otherwise (by hand, or by a version that stored other text) is left out instead
 * of failing the whole query.
 */
const enrichmentDuration = sql`(CASE WHEN processing_phases->0->>'duration' ~ '^PT[0-9]{1,15}([.][0-9]{1,9})?S$'
  THEN (processing_phases->0->>'duration')::interval END)`;

/**
 * Seed 001's slow enrichments: processings whose first phase took longer than `threshold` (default 2s),
 * slowest first, compared with the seed's `(processing_phases->0->>'duration')::interval`.
 */
export const slowEnrichments = defineAnalytics({
  name: "slow-enrichments",
  summary: "Enrichments slower than a threshold (seed 001)",
  defaultSpanMs: null,
  params: {
    threshold: goDurationText
      .default("2s")
      .meta({ description: "Only enrichments longer than this Go duration (default 2s)" }),
  },
  query: ({ window, limit, params }) => {
    const thresholdSeconds = parseGoDuration(params.threshold) / 1e9;
    return sql`
      SELECT remediation_id, alert_fingerprint,
             ${enrichmentDuration} as enrichment_duration,
             EXTRACT(EPOCH FROM ${enrichmentDuration}) as enrichment_duration_seconds
      FROM alert_processing_audit
      WHERE ${enrichmentDuration} > make_interval(secs => ${thresholdSeconds})
        AND ${withinWindow(sql`created_at`, window)}
      ORDER BY enrichment_duration DESC, remediation_id
      LIMIT ${limit}`;
  },
});
