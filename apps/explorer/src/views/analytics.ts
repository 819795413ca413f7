import type { AnalyticsName } from "@kubernaut/schema";
import { CHARTS, type ChartSpec, columnValues, WINDOW_CHOICES } from "../analytics-charts.js";
import { ApiError, analytics, analyticsCsv, type Query } from "../api.js";
import { barChart } from "../chart.js";
import { append, download, h } from "../dom.js";
import { formatNumber, formatTime } from "../format.js";
import { empty, failure, loading, tokenForm } from "../states.js";
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

/** Called with the first 401 of any card: the view asks for a token once, not once per card. */
type SignIn = (error: ApiError) => void;

const unauthorized = (error: unknown): error is ApiError =>
  error instanceof ApiError && error.failure.kind === "unauthorized";

async function fillChart(
  body: HTMLElement,
  spec: ChartSpec,
  window: string | undefined,
  signIn: SignIn,
): Promise<void> {
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
          body.clientWidth,
        ),
      ),
      rowsTable(rows),
    ]);
  } catch (error) {
    if (unauthorized(error)) signIn(error);
    else body.replaceChildren(failure(error, () => void fillChart(body, spec, window, signIn)));
  }
}

/** A chart's card, and when its chart is drawn (or its failure shown). */
function chartCard(
  spec: ChartSpec,
  state: AnalyticsState,
  go: (next: AnalyticsState) => void,
  signIn: SignIn,
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
          if (unauthorized(error)) signIn(error);
          else body.replaceChildren(failure(error, () => void fillChart(body, spec, window, signIn)));
        }
      },
    },
    "Download CSV",
  );
  const drawn = fillChart(body, spec, window, signIn);
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

/**
 * The ten analytics endpoints, one card each, each with its own window; `chart=` scrolls to one and focuses it.
 * The first 401 of any card replaces the view with one sign-in form; signing in draws the whole view again.
 */
export function renderAnalytics(
  root: HTMLElement,
  state: AnalyticsState,
  go: (next: AnalyticsState) => void,
): void {
  const heading = h("h1", {}, "Analytics");
  let signingIn = false;
  const signIn: SignIn = (error) => {
    // Once per view, and never over the view the user moved on to.
    if (signingIn || !heading.isConnected) return;
    signingIn = true;
    const done = () => {
      renderAnalytics(root, state, go);
      const redrawn = root.querySelector<HTMLElement>("h1");
      if (redrawn && !root.contains(document.activeElement)) {
        redrawn.tabIndex = -1;
        redrawn.focus();
      }
    };
    root.replaceChildren(heading, tokenForm(done, error.failure.detail));
  };
  const charts = CHARTS.map((spec) => chartCard(spec, state, go, signIn));
  root.replaceChildren(
    heading,
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
