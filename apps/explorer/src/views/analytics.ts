import type { AnalyticsName } from "@kubernaut/schema";
import { CHARTS, type ChartSpec, columnValues, WINDOW_CHOICES } from "../analytics-charts.js";
import { analytics, analyticsCsv, type Query } from "../api.js";
import { barChart } from "../chart.js";
import { append, download, h } from "../dom.js";
import { formatNumber, formatTime } from "../format.js";
import { empty, failure, loading } from "../states.js";
import { type AnalyticsState, formatHash } from "../url-state.js";

function query(window: string | undefined): Query {
  return { window };
}

function rowsTable(rows: Record<string, unknown>[]): HTMLElement {
  const columns = Object.keys(rows[0] ?? {});
  const cell = (value: unknown) =>
    typeof value === "object" && value !== null ? JSON.stringify(value) : formatNumber(value);
  return h(
    "details",
    { class: "rows" },
    h("summary", {}, `${rows.length} row${rows.length === 1 ? "" : "s"}`),
    h(
      "div",
      { class: "table-wrap" },
      h(
        "table",
        {},
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            columns.map((c) => h("th", { scope: "col" }, c)),
          ),
        ),
        h(
          "tbody",
          {},
          rows.map((r) =>
            h(
              "tr",
              {},
              columns.map((c) => h("td", {}, cell(r[c]))),
            ),
          ),
        ),
      ),
    ),
  );
}

async function fillChart(body: HTMLElement, spec: ChartSpec, window: string | undefined): Promise<void> {
  body.replaceChildren(loading(spec.title.toLowerCase()));
  try {
    const response = await analytics(spec.name, query(window));
    const rows = response.rows as Record<string, unknown>[];
    const range = `${response.window.since ? formatTime(response.window.since) : "the beginning"} – ${formatTime(response.window.until)}`;
    if (rows.length === 0) {
      body.replaceChildren(empty("No data in this window.", range));
      return;
    }
    body.replaceChildren();
    append(body, [
      h("p", { class: "hint" }, range),
      spec.panels.map((panel) =>
        barChart(
          rows.map(spec.label),
          panel.series.map((s) => ({ name: s.name, values: columnValues(rows, s.column) })),
          panel.unit,
          panel.caption,
        ),
      ),
      rowsTable(rows),
    ]);
  } catch (error) {
    body.replaceChildren(failure(error, () => void fillChart(body, spec, window)));
  }
}

/** A chart's card, and when its chart is drawn (or its failure shown). */
function chartCard(
  spec: ChartSpec,
  state: AnalyticsState,
  go: (next: AnalyticsState) => void,
): { card: HTMLElement; drawn: Promise<void> } {
  const window = state.windows[spec.name];
  const selectId = `window-${spec.name}`;
  const select = h(
    "select",
    {
      id: selectId,
      name: "window",
      onchange: (event: Event) => {
        const value = (event.target as HTMLSelectElement).value;
        const windows = { ...state.windows };
        if (value === "") delete windows[spec.name];
        else windows[spec.name] = value;
        go({ view: "analytics", windows, chart: spec.name });
      },
    },
    h("option", { value: "", selected: window === undefined }, `default (${spec.defaultWindow})`),
    WINDOW_CHOICES.map((w) => h("option", { value: w, selected: w === window }, `last ${w}`)),
    window !== undefined && !(WINDOW_CHOICES as readonly string[]).includes(window)
      ? h("option", { value: window, selected: true }, `last ${window}`)
      : null,
  );
  const body = h("div", { class: "chart-body" });
  const csv = h(
    "button",
    {
      type: "button",
      class: "secondary csv",
      onclick: async () => {
        try {
          download(
            `${spec.name}${window ? `-${window}` : ""}.csv`,
            await analyticsCsv(spec.name as AnalyticsName, query(window)),
          );
        } catch (error) {
          body.replaceChildren(failure(error, () => void fillChart(body, spec, window)));
        }
      },
    },
    "Download CSV",
  );
  const drawn = fillChart(body, spec, window);
  const card = h(
    "article",
    { class: "card", id: spec.name, "data-chart": spec.name, tabindex: -1 },
    h("header", {}, h("h2", {}, spec.title), h("p", { class: "hint" }, spec.question)),
    h(
      "div",
      { class: "card-tools" },
      h("label", { for: selectId }, "Window "),
      select,
      csv,
      h(
        "a",
        { href: formatHash({ ...state, chart: spec.name }), class: "permalink", title: "Link to this chart" },
        "link",
      ),
    ),
    body,
  );
  return { card, drawn };
}

/** The ten analytics endpoints, one card each, each with its own window; `chart=` scrolls to one and focuses it. */
export function renderAnalytics(
  root: HTMLElement,
  state: AnalyticsState,
  go: (next: AnalyticsState) => void,
): void {
  const charts = CHARTS.map((spec) => chartCard(spec, state, go));
  root.replaceChildren(
    h("h1", {}, "Analytics"),
    h(
      "div",
      { class: "cards" },
      charts.map((c) => c.card),
    ),
  );
  const linked = charts.find((c) => c.card.dataset.chart === state.chart)?.card;
  if (!linked) return;
  linked.classList.add("linked");
  linked.scrollIntoView({ block: "start" });
  linked.focus({ preventScroll: true });
  // The charts above it grow as they are drawn: once all are, back to it, unless the user has moved on.
  let moved = false;
  const userMoves = ["wheel", "touchmove", "keydown", "mousedown"];
  const stop = () => {
    moved = true;
  };
  for (const type of userMoves) window.addEventListener(type, stop, { passive: true });
  void Promise.allSettled(charts.map((c) => c.drawn)).then(() => {
    for (const type of userMoves) window.removeEventListener(type, stop);
    if (!moved && linked.isConnected) linked.scrollIntoView({ block: "start" });
  });
}
