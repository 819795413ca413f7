import type { AnalyticsName } from "@kubernaut/schema";
import type { Unit } from "./chart.js";

/** One chart of a card: series of one unit on one scale (never a rate next to a count), its caption naming the unit. */
export interface ChartPanel {
  caption: string;
  unit: Unit;
  series: { name: string; column: string }[];
}

/** How each analytics endpoint is drawn: which column labels a bar, and its charts, one per unit. */
export interface ChartSpec {
  name: AnalyticsName;
  title: string;
  question: string;
  /** The API's window when none is given, as docs/api.md states it. */
  defaultWindow: string;
  label: (row: Record<string, unknown>) => string;
  panels: ChartPanel[];
}

const str = (value: unknown) =>
  value === null || value === undefined || value === "" ? "(none)" : String(value);

export const WINDOW_CHOICES = ["1h", "24h", "7d", "30d", "90d", "365d"] as const;

export const CHARTS: ChartSpec[] = [
  {
    name: "orchestration-success-rate",
    title: "Success rate by phase",
    question: "How many remediations end completed or failed?",
    defaultWindow: "7d",
    label: (r) => str(r.overall_phase),
    panels: [
      {
        caption: "Success rate (%)",
        unit: "%",
        series: [{ name: "success rate", column: "success_rate_pct" }],
      },
      {
        caption: "Remediations (count)",
        unit: "count",
        series: [
          { name: "total", column: "total" },
          { name: "successful", column: "successful" },
          { name: "failed", column: "failed" },
        ],
      },
    ],
  },
  {
    name: "orchestration-duration",
    title: "Remediation duration",
    question: "How long do finished remediations take?",
    defaultWindow: "7d",
    label: (r) => str(r.overall_phase),
    panels: [
      {
        caption: "Duration (seconds)",
        unit: "s",
        series: [
          { name: "average", column: "avg_duration_seconds" },
          { name: "p50", column: "p50_duration" },
          { name: "p95", column: "p95_duration" },
        ],
      },
    ],
  },
  {
    name: "recommendation-effectiveness",
    title: "Recommendation effectiveness by action",
    question: "Do the AI's recommended actions work?",
    defaultWindow: "7d",
    label: (r) => str(r.top_recommendation),
    panels: [
      {
        caption: "Effectiveness and success rate (%)",
        unit: "ratio",
        series: [
          { name: "predicted effectiveness", column: "avg_effectiveness" },
          { name: "observed success rate", column: "success_rate" },
        ],
      },
      {
        caption: "Recommendations and outcomes (count)",
        unit: "count",
        series: [
          { name: "recommendations", column: "total_recommendations" },
          { name: "outcomes", column: "sample_count" },
        ],
      },
    ],
  },
  {
    name: "hallucination-trend",
    title: "Hallucination trend",
    question: "What share of analyses was flagged as hallucinated, per day?",
    defaultWindow: "all time",
    label: (r) => str(r.date),
    panels: [
      {
        caption: "Hallucination rate (%)",
        unit: "ratio",
        series: [{ name: "hallucination rate", column: "hallucination_rate" }],
      },
      {
        caption: "Analyses (count)",
        unit: "count",
        series: [
          { name: "analyses", column: "total_analyses" },
          { name: "hallucinations", column: "hallucinations" },
        ],
      },
    ],
  },
  {
    name: "investigation-performance",
    title: "Investigation performance by environment",
    question: "How long and how confident are investigations?",
    defaultWindow: "all time",
    label: (r) => str(r.environment),
    panels: [
      {
        caption: "Average duration (milliseconds)",
        unit: "ms",
        series: [{ name: "average duration", column: "avg_duration" }],
      },
      {
        caption: "Average confidence (%)",
        unit: "ratio",
        series: [{ name: "average confidence", column: "avg_confidence" }],
      },
      {
        caption: "Investigations (count)",
        unit: "count",
        series: [{ name: "investigations", column: "total_investigations" }],
      },
    ],
  },
  {
    name: "classification-accuracy",
    title: "Classification accuracy by environment",
    question: "How confident is the processor's environment classification?",
    defaultWindow: "7d",
    label: (r) => str(r.environment),
    panels: [
      {
        caption: "Average confidence (%)",
        unit: "ratio",
        series: [{ name: "average confidence", column: "avg_confidence" }],
      },
      {
        caption: "Alerts (count)",
        unit: "count",
        series: [{ name: "alerts", column: "total_alerts" }],
      },
    ],
  },
  {
    name: "failure-phases",
    title: "Failure phases",
    question: "Where do remediations fail?",
    defaultWindow: "7d",
    label: (r) => str(r.failure_phase),
    panels: [
      {
        caption: "Failures and alerts affected (count)",
        unit: "count",
        series: [
          { name: "failures", column: "failure_count" },
          { name: "alerts affected", column: "unique_alerts_affected" },
        ],
      },
    ],
  },
  {
    name: "retry-analysis",
    title: "Retries",
    question: "Which alerts needed more than one remediation?",
    defaultWindow: "24h",
    label: (r) => `${str(r.alert_fingerprint)}${r.eventually_successful ? " ✓" : ""}`,
    panels: [
      {
        caption: "Remediations of the alert (count)",
        unit: "count",
        series: [{ name: "attempts", column: "retry_count" }],
      },
    ],
  },
  {
    name: "slow-enrichments",
    title: "Slow enrichments",
    question: "Which alerts took longer than 2 s to enrich?",
    defaultWindow: "all time",
    label: (r) => str(r.remediation_id),
    panels: [
      {
        caption: "Enrichment (seconds)",
        unit: "s",
        series: [{ name: "enrichment", column: "enrichment_duration_seconds" }],
      },
    ],
  },
  {
    name: "slowest-orchestrations",
    title: "Slowest remediations",
    question: "Which remediations took longest?",
    defaultWindow: "24h",
    label: (r) => str(r.remediation_name),
    panels: [
      {
        caption: "Duration (seconds)",
        unit: "s",
        series: [{ name: "duration", column: "duration_seconds" }],
      },
    ],
  },
];

/** A column's values as numbers for the chart (`null` where the API has none). */
export function columnValues(rows: Record<string, unknown>[], column: string): (number | null)[] {
  return rows.map((row) => {
    const value = row[column];
    return typeof value === "number" && Number.isFinite(value) ? value : null;
  });
}
