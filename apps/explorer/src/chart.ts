import { h, svg } from "./dom.js";
import { formatNumber } from "./format.js";

export interface BarSeries {
  name: string;
  values: (number | null)[];
}

/**
 * Horizontal grouped bars in plain SVG: one group per label, one bar per series, scaled to the largest value.
 * Readable at any width (the SVG scales) and with no chart library to ship.
 */
export function barChart(labels: string[], series: BarSeries[], unit = ""): HTMLElement {
  const max = Math.max(0, ...series.flatMap((s) => s.values.map((v) => v ?? 0)));
  const barHeight = 14;
  const groupHeight = series.length * barHeight + 10;
  const labelWidth = 180;
  const width = 640;
  const plot = width - labelWidth - 70;
  const height = labels.length * groupHeight + 4;
  const nodes: SVGElement[] = [];
  labels.forEach((label, i) => {
    const y = i * groupHeight;
    nodes.push(
      svg(
        "text",
        { x: labelWidth - 6, y: y + groupHeight / 2 + 4, "text-anchor": "end", class: "chart-label" },
        document.createTextNode(label.length > 26 ? `${label.slice(0, 25)}…` : label),
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
        svg("title", {}, document.createTextNode(`${label} · ${s.name}: ${formatNumber(value)}${unit}`)),
      );
      nodes.push(
        bar,
        svg(
          "text",
          { x: labelWidth + w + 4, y: barY + barHeight - 4, class: "chart-value" },
          document.createTextNode(value === null ? "—" : `${formatNumber(value)}${unit}`),
        ),
      );
    });
  });
  const figure = h("figure", { class: "chart" });
  figure.append(
    svg(
      "svg",
      { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": series.map((s) => s.name).join(", ") },
      ...nodes,
    ),
  );
  if (series.length > 1) {
    figure.append(
      h(
        "figcaption",
        { class: "legend" },
        series.map((s, j) => h("span", { class: `key series-${j}` }, s.name)),
      ),
    );
  }
  return figure;
}
