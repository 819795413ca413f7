import { describe, expect, it } from "vitest";
import { CHARTS } from "../../src/analytics-charts.js";
import { formatValue, scaleMax, type Unit } from "../../src/chart.js";

/** The unit of every column the charts draw, as docs/api.md and the row schemas state it. */
const COLUMN_UNITS: Record<string, Unit> = {
  success_rate_pct: "%",
  total: "count",
  successful: "count",
  failed: "count",
  avg_duration_seconds: "s",
  p50_duration: "s",
  p95_duration: "s",
  avg_effectiveness: "ratio",
  success_rate: "ratio",
  total_recommendations: "count",
  sample_count: "count",
  hallucination_rate: "ratio",
  total_analyses: "count",
  hallucinations: "count",
  avg_duration: "ms",
  avg_confidence: "ratio",
  total_investigations: "count",
  total_alerts: "count",
  failure_count: "count",
  unique_alerts_affected: "count",
  retry_count: "count",
  enrichment_duration_seconds: "s",
  duration_seconds: "s",
};

const CAPTION_UNIT: Record<Unit, string> = {
  count: "(count)",
  s: "(seconds)",
  ms: "(milliseconds)",
  "%": "(%)",
  ratio: "(%)",
};

describe("analytics charts", () => {
  it("draws the ten endpoints, each chart with columns of one unit only, and says which", () => {
    expect(CHARTS).toHaveLength(10);
    for (const spec of CHARTS) {
      for (const panel of spec.panels) {
        const units = new Set(panel.series.map((s) => COLUMN_UNITS[s.column]));
        expect([...units], `${spec.name}: ${panel.caption}`).toEqual([panel.unit]);
        expect(panel.caption.endsWith(CAPTION_UNIT[panel.unit]), panel.caption).toBe(true);
      }
    }
  });

  it("scales a rate to 100% at least, and any other unit to its largest value", () => {
    const series = (...values: (number | null)[]) => [{ name: "s", values }];
    expect(scaleMax(series(12.5, 40, null), "%")).toBe(100);
    expect(scaleMax(series(0.2, 0.35), "ratio")).toBe(1);
    expect(scaleMax(series(3, 17, null), "count")).toBe(17);
    expect(scaleMax([...series(1.5), ...series(null, 4.25)], "s")).toBe(4.25);
    expect(scaleMax(series(), "count")).toBe(0);
  });

  it("prints each value in its unit", () => {
    expect(formatValue(0.853, "ratio")).toBe("85.3%");
    expect(formatValue(1, "ratio")).toBe("100%");
    expect(formatValue(66.666, "%")).toBe("66.67%");
    expect(formatValue(12, "count")).toBe("12");
    expect(formatValue(4.5, "s")).toBe("4.50s");
    expect(formatValue(120, "ms")).toBe("120ms");
    expect(formatValue(null, "s")).toBe("—");
  });
});
