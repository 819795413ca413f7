import { h, svg } from "./dom.js";
import { formatNumber } from "./format.js";

/** A count, a duration, a percentage (0–100) or a ratio (0–1, shown as a percentage). */
export type Unit = "count" | "s" | "ms" | "%" | "ratio";

export interface BarSeries {
  name: string;
  values: (number | null)[];
}

/** The value at the end of the scale: the largest value, and for a rate at least 100%. */
export function scaleMax(series: BarSeries[], unit: Unit): number {
  const largest = Math.max(0, ...series.flatMap((s) => s.values.map((v) => v ?? 0)));
  if (unit === "%") return Math.max(100, largest);
  if (unit === "ratio") return Math.max(1, largest);
  return largest;
}

/** `12`, `4.5s`, `120ms`, `85%` (a ratio of 0.85 too), `—` for no value. */
export function formatValue(value: number | null, unit: Unit): string {
  if (value === null) return "—";
  if (unit === "ratio") return `${formatNumber(Math.round(value * 1000) / 10, 1)}%`;
  return `${formatNumber(value)}${unit === "count" ? "" : unit}`;
}

/**
 * The width a chart is drawn at: its container's, so that its 11px text stays 11px on a phone; at most 640 (on a
 * wider card the SVG scales up), at least 280, and 640 when the container is not laid out.
 */
export function chartWidth(available: number | undefined): number {
  if (!available || available <= 0) return 640;
  return Math.round(Math.min(640, Math.max(280, available)));
}

/**
 * Horizontal grouped bars in plain SVG: one group per label, one bar per series, all of one unit on one scale
 * (`caption` names it), drawn at the container's width (`available`, see `chartWidth`), with no chart library.
 */
export function barChart(
  labels: string[],
  series: BarSeries[],
  unit: Unit,
  caption: string,
  available?: number,
): HTMLElement {
  const max = scaleMax(series, unit);
  const barHeight = 14;
  const groupHeight = series.length * barHeight + 10;
  const width = chartWidth(available);
  const labelWidth = Math.min(180, Math.round(width * 0.3));
  const labelChars = Math.floor((labelWidth - 6) / 6.5);
  const plot = width - labelWidth - 70;
  const height = labels.length * groupHeight + 4;
  const nodes: SVGElement[] = [];
  labels.forEach((label, i) => {
    const y = i * groupHeight;
    nodes.push(
      svg(
        "text",
        { x: labelWidth - 6, y: y + groupHeight / 2 + 4, "text-anchor": "end", class: "chart-label" },
        document.createTextNode(label.length > labelChars ? `${label.slice(0, labelChars - 1)}…` : label),
      ),
    );
    series.forEach((s, j) => {
      const value = s.values[i] ?? null;
      const w = max === 0 || value === null ? 0 : (value / max) * plot;
      const barY = y + 5 + j * barHeight;
      const bar = svg("rect", {
        x: labelWidth,
        y: barY,
        width: Math.max(w, value === null ? 0 : 1),
        height: barHeight - 2,
        class: `bar series-${j}`,
      });
      bar.append(
        svg("title", {}, document.createTextNode(`${label} · ${s.name}: ${formatValue(value, unit)}`)),
      );
      nodes.push(
        bar,
        svg(
          "text",
          { x: labelWidth + w + 4, y: barY + barHeight - 4, class: "chart-value" },
          document.createTextNode(formatValue(value, unit)),
        ),
      );
    });
  });
  const figure = h("figure", { class: "chart", "data-unit": unit });
  figure.append(
    h(
      "figcaption",
      { class: "legend" },
      h("span", { class: "chart-caption" }, caption),
      series.length > 1 ? series.map((s, j) => h("span", { class: `key series-${j}` }, s.name)) : null,
    ),
    svg(
      "svg",
      {
        viewBox: `0 0 ${width} ${height}`,
        role: "img",
        "aria-label": `${caption}: ${series.map((s) => s.name).join(", ")}`,
      },
      ...nodes,
    ),
  );
  return figure;
}
