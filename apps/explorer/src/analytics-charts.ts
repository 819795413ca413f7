import type { AnalyticsName } from "@kubernaut/schema";

/** How each analytics endpoint is drawn: which column labels a bar, which columns are its values. */
export interface ChartSpec {
  name: AnalyticsName;
  title: string;
  question: string;
  /** The API's window when none is given, as docs/api.md states it. */
  defaultWindow: string;
  label: (row: Record<string, unknown>) => string;
  series: { name: string; column: string }[];
  unit?: string;
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
    series: [
      { name: "success rate %", column: "success_rate_pct" },
      { name: "total", column: "total" },
    ],
  },
  {
    name: "orchestration-duration",
    title: "Remediation duration",
    question: "How long do finished remediations take (seconds)?",
    defaultWindow: "7d",
    label: (r) => str(r.overall_phase),
    series: [
      { name: "average", column: "avg_duration_seconds" },
      { name: "p50", column: "p50_duration" },
      { name: "p95", column: "p95_duration" },
    ],
    unit: "s",
  },
  {
    name: "recommendation-effectiveness",
    title: "Recommendation effectiveness by action",
    question: "Do the AI's recommended actions work?",
    defaultWindow: "7d",
    label: (r) => str(r.top_recommendation),
    series: [
      { name: "predicted effectiveness", column: "avg_effectiveness" },
      { name: "observed success rate", column: "success_rate" },
    ],
  },
  {
    name: "hallucination-trend",
    title: "Hallucination trend",
    question: "What share of analyses was flagged as hallucinated, per day?",
    defaultWindow: "all time",
    label: (r) => str(r.date),
    series: [
      { name: "hallucination rate", column: "hallucination_rate" },
      { name: "analyses", column: "total_analyses" },
    ],
  },
  {
    name: "investigation-performance",
    title: "Investigation performance by environment",
    question: "How long and how confident are investigations?",
    defaultWindow: "all time",
    label: (r) => str(r.environment),
    series: [
      { name: "average duration (ms)", column: "avg_duration" },
      { name: "investigations", column: "total_investigations" },
    ],
  },
  {
    name: "classification-accuracy",
    title: "Classification accuracy by environment",
    question: "How confident is the processor's environment classification?",
    defaultWindow: "7d",
    label: (r) => str(r.environment),
    series: [
      { name: "average confidence", column: "avg_confidence" },
      { name: "alerts", column: "total_alerts" },
    ],
  },
  {
    name: "failure-phases",
    title: "Failure phases",
    question: "Where do remediations fail?",
    defaultWindow: "7d",
    label: (r) => str(r.failure_phase),
    series: [
      { name: "failures", column: "failure_count" },
      { name: "alerts affected", column: "unique_alerts_affected" },
    ],
  },
  {
    name: "retry-analysis",
    title: "Retries",
    question: "Which alerts needed more than one remediation?",
    defaultWindow: "24h",
    label: (r) => `${str(r.alert_fingerprint)}${r.eventually_successful ? " ✓" : ""}`,
    series: [{ name: "attempts", column: "retry_count" }],
  },
  {
    name: "slow-enrichments",
    title: "Slow enrichments",
    question: "Which alerts took longer than 2 s to enrich?",
    defaultWindow: "all time",
    label: (r) => str(r.remediation_id),
    series: [{ name: "enrichment", column: "enrichment_duration_seconds" }],
    unit: "s",
  },
  {
    name: "slowest-orchestrations",
    title: "Slowest remediations",
    question: "Which remediations took longest?",
    defaultWindow: "24h",
    label: (r) => str(r.remediation_name),
    series: [{ name: "duration", column: "duration_seconds" }],
    unit: "s",
  },
];

/** A column's values as numbers for the chart (`null` where the API has none). */
export function columnValues(rows: Record<string, unknown>[], column: string): (number | null)[] {
  return rows.map((row) => {
    const value = row[column];
    return typeof value === "number" && Number.isFinite(value) ? value : null;
  });
}
