import type {
  AIAnalysisAuditRecord,
  AlertProcessingAuditRecord,
  RemediationAuditRecord,
} from "@kubernaut/schema";
import { ApiError, listRecords, type Query } from "../api.js";
import { h } from "../dom.js";
import { formatTime, isoToLocalInput, localInputToIso, remediationDuration } from "../format.js";
import { empty, failure, loading } from "../states.js";
import { formatHash, hasFilters, type SearchState, SOURCES, type Source } from "../url-state.js";

const PAGE_SIZE = 25;

const STATUS_LABEL: Record<Source, string> = {
  orchestrator: "Phase",
  processor: "Status",
  "ai-analysis": "Completion",
};
const STATUS_PARAM: Record<Source, string> = {
  orchestrator: "phase",
  processor: "status",
  "ai-analysis": "status",
};
/** The values each list filters on: `overall_phase`, `status`, and an analysis' `completion_status`. */
export const STATUS_VALUES: Record<Source, string[]> = {
  orchestrator: ["pending", "processing", "analyzing", "executing", "completed", "failed", "timeout"],
  processor: ["enriching", "classifying", "routing", "completed", "failed"],
  "ai-analysis": ["completed", "failed", "timeout"],
};
const SOURCE_LABEL: Record<Source, string> = {
  orchestrator: "Orchestrator (remediations)",
  processor: "Processor (alert processing)",
  "ai-analysis": "AI analysis",
};
/** The heading of one source's list, and what its records are of. */
const SOURCE_HEADING: Record<Source, string> = {
  orchestrator: "Remediations",
  processor: "Alert processing",
  "ai-analysis": "AI analyses",
};
const SOURCE_NOUN: Record<Source, string> = {
  orchestrator: "remediation",
  processor: "alert processing",
  "ai-analysis": "AI analysis",
};

export function badge(status: string | null | undefined): HTMLElement {
  const value = status ?? "unknown";
  return h("span", { class: `badge badge-${value.replace(/[^a-z0-9-]/gi, "")}` }, value);
}

function incidentLink(
  fingerprint: string,
  remediation: string | null | undefined,
  text: string,
): HTMLElement {
  const hash = formatHash({
    view: "incident",
    fingerprint,
    ...(remediation ? { remediation } : {}),
  });
  return h("a", { href: hash, class: "incident-link" }, text);
}

function filtersForm(state: SearchState, go: (next: SearchState) => void): HTMLElement {
  const field = (label: string, input: HTMLElement) =>
    h("label", { class: "field" }, h("span", {}, label), input);
  const source = h(
    "select",
    { name: "source" },
    SOURCES.map((s) => h("option", { value: s, selected: s === state.source }, SOURCE_LABEL[s])),
  );
  const listId = `status-values-${state.source}`;
  const status = h("input", { name: "status", value: state.status ?? "", list: listId, autocomplete: "off" });
  const environment = h("input", {
    name: "environment",
    value: state.environment ?? "",
    list: "environment-values",
    autocomplete: "off",
  });
  const namespace = h("input", { name: "namespace", value: state.namespace ?? "", autocomplete: "off" });
  const signal = h("input", {
    name: "signal",
    value: state.signal ?? "",
    placeholder: "alert name, e.g. PodOOMKilled",
    autocomplete: "off",
  });
  const fingerprint = h("input", {
    name: "fingerprint",
    value: state.fingerprint ?? "",
    autocomplete: "off",
  });
  const reason = h("input", {
    name: "reason",
    type: "search",
    value: state.reason ?? "",
    placeholder: "text in the failure reason",
    autocomplete: "off",
  });
  const since = timeInput("since", state.since);
  const until = timeInput("until", state.until);
  const form = h(
    "form",
    {
      class: "filters",
      role: "search",
      onsubmit: (event: Event) => {
        event.preventDefault();
        const next: SearchState = { view: "search", source: source.value as Source, cursors: [] };
        const set = (
          key:
            | "status"
            | "environment"
            | "namespace"
            | "signal"
            | "fingerprint"
            | "reason"
            | "since"
            | "until",
          value: string | undefined,
        ) => {
          if (value !== undefined && value.trim() !== "") next[key] = value.trim();
        };
        // A phase of one source means nothing to another.
        set("status", next.source === state.source ? status.value : undefined);
        set("environment", environment.value);
        set("namespace", namespace.value);
        set("signal", signal.value);
        set("fingerprint", fingerprint.value);
        set("reason", reason.value);
        // A time field left at the link's instant keeps the link's value, to the microsecond.
        const time = (input: HTMLInputElement, linked: string | undefined) => {
          const value = localInputToIso(input.value);
          return linked !== undefined && value === localInputToIso(isoToLocalInput(linked)) ? linked : value;
        };
        set("since", time(since, state.since));
        set("until", time(until, state.until));
        go(next);
      },
    },
    field("Source controller", source),
    field(STATUS_LABEL[state.source], status),
    h(
      "datalist",
      { id: listId },
      STATUS_VALUES[state.source].map((v) => h("option", { value: v })),
    ),
    field("Environment", environment),
    h(
      "datalist",
      { id: "environment-values" },
      ["production", "staging", "development"].map((v) => h("option", { value: v })),
    ),
    field("Namespace", namespace),
    field("Signal", signal),
    field("Fingerprint", fingerprint),
    field("Failure reason", reason),
    field("From", since),
    field("To", until),
    h(
      "div",
      { class: "actions" },
      h("button", { type: "submit" }, "Search"),
      h("a", { href: "#/search", class: "button secondary" }, "Reset"),
    ),
  );
  source.addEventListener("change", () => form.requestSubmit());
  return form;
}

/** A time filter with seconds (and milliseconds when the linked time has any), in the user's time zone. */
function timeInput(name: "since" | "until", iso: string | undefined): HTMLInputElement {
  const value = isoToLocalInput(iso);
  return h("input", { name, type: "datetime-local", step: value.includes(".") ? "0.001" : "1", value });
}

function listQuery(state: SearchState): Query {
  return {
    limit: PAGE_SIZE,
    [STATUS_PARAM[state.source]]: state.status,
    environment: state.environment,
    namespace: state.namespace,
    signal: state.signal,
    fingerprint: state.fingerprint,
    reason: state.reason,
    since: state.since,
    until: state.until,
    cursor: state.cursors.at(-1),
  };
}

/** The remediation's AI analysis, for its top recommendation (one small request per row, after the page shows). */
async function fillTopRecommendation(cell: HTMLElement, row: RemediationAuditRecord): Promise<void> {
  try {
    const page = await listRecords("ai-analysis", { fingerprint: row.alert_fingerprint, limit: 20 });
    const analysis =
      page.items.find((a) => a.crd_name === row.ai_analysis_name) ??
      page.items.find((a) => a.remediation_id === row.remediation_name);
    cell.textContent = analysis?.top_recommendation ?? "—";
  } catch {
    cell.textContent = "?";
  }
}

/** A failure reason: a few lines at most in the table, all of it in the title (and in the incident). */
function reasonCell(label: string, text: string | null | undefined): HTMLElement {
  return h(
    "td",
    { "data-label": label, class: "reason" },
    text ? h("span", { class: "clamp", title: text }, text) : null,
  );
}

function remediationTable(items: RemediationAuditRecord[]): HTMLElement {
  return h(
    "table",
    { class: "results" },
    h("caption", { class: "sr-only" }, "Remediations, newest first"),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        [
          "Remediation",
          "Status",
          "Alert fingerprint",
          "Started",
          "Duration",
          "Top recommendation",
          "Failure",
        ].map((c) => h("th", { scope: "col" }, c)),
      ),
    ),
    h(
      "tbody",
      {},
      items.map((row) => {
        const recommendation = h("td", { class: "recommendation", "data-label": "Top recommendation" }, "…");
        void fillTopRecommendation(recommendation, row);
        const failureText =
          row.failure_reason ?? (row.timeout_phase ? `timed out in ${row.timeout_phase}` : "");
        return h(
          "tr",
          { "data-remediation": row.remediation_name },
          h(
            "td",
            { "data-label": "Remediation" },
            incidentLink(row.alert_fingerprint, row.remediation_name, row.remediation_name),
          ),
          h(
            "td",
            { "data-label": "Status" },
            badge(row.overall_phase),
            row.duplicate_count
              ? h(
                  "span",
                  {
                    class: "dup",
                    title: `fired ${row.duplicate_count + 1} times: ${row.duplicate_count} duplicate alert${row.duplicate_count === 1 ? "" : "s"}`,
                  },
                  ` ×${row.duplicate_count + 1}`,
                )
              : null,
          ),
          h(
            "td",
            { "data-label": "Fingerprint", class: "fingerprint" },
            h("code", {}, row.alert_fingerprint),
          ),
          h("td", { "data-label": "Started" }, formatTime(row.start_time)),
          h("td", { "data-label": "Duration" }, remediationDuration(row)),
          recommendation,
          reasonCell("Failure", failureText),
        );
      }),
    ),
  );
}

function processingTable(items: AlertProcessingAuditRecord[]): HTMLElement {
  return h(
    "table",
    { class: "results" },
    h("caption", { class: "sr-only" }, "Alert processing records, newest first"),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        [
          "Remediation",
          "Status",
          "Alert fingerprint",
          "Environment",
          "Priority",
          "Received",
          "Routed to",
          "Error",
        ].map((c) => h("th", { scope: "col" }, c)),
      ),
    ),
    h(
      "tbody",
      {},
      items.map((row) =>
        h(
          "tr",
          { "data-remediation": row.remediation_id },
          h(
            "td",
            { "data-label": "Remediation" },
            incidentLink(row.alert_fingerprint, row.remediation_id, row.remediation_id),
          ),
          h("td", { "data-label": "Status" }, badge(row.status)),
          h(
            "td",
            { "data-label": "Fingerprint", class: "fingerprint" },
            h("code", {}, row.alert_fingerprint),
          ),
          h("td", { "data-label": "Environment" }, row.environment ?? "—"),
          h("td", { "data-label": "Priority" }, row.business_priority ?? "—"),
          h("td", { "data-label": "Received" }, formatTime(row.created_at)),
          h("td", { "data-label": "Routed to" }, row.routed_to_service ?? "—"),
          reasonCell("Error", row.error_message),
        ),
      ),
    ),
  );
}

function analysisTable(items: AIAnalysisAuditRecord[]): HTMLElement {
  return h(
    "table",
    { class: "results" },
    h("caption", { class: "sr-only" }, "AI analyses, newest first"),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        [
          "Analysis",
          "Status",
          "Alert fingerprint",
          "Environment",
          "Confidence",
          "Top recommendation",
          "Failure",
        ].map((c) => h("th", { scope: "col" }, c)),
      ),
    ),
    h(
      "tbody",
      {},
      items.map((row) =>
        h(
          "tr",
          { "data-remediation": row.remediation_id ?? "" },
          h(
            "td",
            { "data-label": "Analysis" },
            incidentLink(row.alert_fingerprint, row.remediation_id, row.crd_name),
          ),
          h("td", { "data-label": "Status" }, badge(row.completion_status)),
          h(
            "td",
            { "data-label": "Fingerprint", class: "fingerprint" },
            h("code", {}, row.alert_fingerprint),
          ),
          h("td", { "data-label": "Environment" }, row.environment),
          h("td", { "data-label": "Confidence" }, row.confidence_score?.toFixed(2) ?? "—"),
          h("td", { "data-label": "Top recommendation" }, row.top_recommendation ?? "—"),
          reasonCell("Failure", row.failure_reason),
        ),
      ),
    ),
  );
}

/** The message for a page with no rows: the end of the list, no match for the filters, or nothing stored yet. */
function noResults(state: SearchState): HTMLElement {
  const filtered = hasFilters(state);
  const filterHint = "No audit record matches these filters. Widen the time range or clear a filter.";
  if (state.cursors.length) return empty("No more records.", filtered ? filterHint : undefined);
  if (filtered) return empty("Nothing found.", filterHint);
  return empty(
    `No ${SOURCE_NOUN[state.source]} records yet.`,
    "Records arrive as the Kubernaut controllers (orchestrator, processor, AI analysis) handle alerts: each " +
      "writes its audit records to this storage service, and they are listed here, newest first, once stored.",
  );
}

/** The parameter of the URL a field error of the list request is about, and the value the link gave it. */
function linkedValue(state: SearchState, path: string): { name: string; value: string | undefined } {
  const param = path.replace(/^query\./, "");
  if (param === "cursor") return { name: "cursor", value: state.cursors.at(-1) };
  if (param === STATUS_PARAM[state.source]) return { name: "status", value: state.status };
  const field = (
    ["environment", "namespace", "signal", "fingerprint", "reason", "since", "until"] as const
  ).find((f) => f === param);
  return { name: param, value: field ? state[field] : undefined };
}

/** A link whose filters or page cursor the service refuses (400): which, why, and a way out. */
function refusedFilters(state: SearchState, error: ApiError, retry: () => void): HTMLElement {
  const errors = error.failure.kind === "http" ? error.failure.errors : [];
  return h(
    "div",
    { class: "state error", role: "alert" },
    h("h2", {}, "The storage service refused this search"),
    errors.length
      ? h(
          "ul",
          { class: "refused" },
          errors.map((e) => {
            const { name, value } = linkedValue(state, e.path);
            return h(
              "li",
              {},
              h("code", {}, value === undefined ? name : `${name}=${value}`),
              `: ${e.message}`,
            );
          }),
        )
      : h("p", {}, error.message),
    h(
      "div",
      { class: "actions" },
      hasFilters(state)
        ? h(
            "a",
            { class: "button", href: formatHash({ view: "search", source: state.source, cursors: [] }) },
            "Clear filters",
          )
        : null,
      state.cursors.length
        ? h("a", { class: "button secondary", href: formatHash({ ...state, cursors: [] }) }, "First page")
        : null,
      // Retrying the same link fails the same way; it is offered only when there is nothing to clear.
      hasFilters(state) || state.cursors.length
        ? null
        : h("button", { type: "button", class: "retry", onclick: retry }, "Retry"),
    ),
  );
}

/** Where the user was in a list: restored when they come back to it (from an incident, with Back). */
export interface SearchPlace {
  scrollY: number;
  /** The `href` of the row link that had focus, and where it was in the window. */
  link: { href: string; top: number } | null;
}

/** The default view: the newest records of one controller, filtered as far as the list endpoints allow. */
export async function renderSearch(
  root: HTMLElement,
  state: SearchState,
  go: (next: SearchState) => void,
  signal: AbortSignal,
  place?: SearchPlace,
): Promise<void> {
  const results = h(
    "section",
    { class: "results-area", "aria-label": "Results" },
    loading(`${SOURCE_NOUN[state.source]} records`),
  );
  root.replaceChildren(h("h1", {}, SOURCE_HEADING[state.source]), filtersForm(state, go), results);
  try {
    const query = listQuery(state);
    const page =
      state.source === "orchestrator"
        ? await listRecords("orchestrator", query)
        : state.source === "processor"
          ? await listRecords("processor", query)
          : await listRecords("ai-analysis", query);
    if (signal.aborted) return;
    if (page.items.length === 0) {
      results.replaceChildren(noResults(state));
      return;
    }
    const table =
      state.source === "orchestrator"
        ? remediationTable(page.items as RemediationAuditRecord[])
        : state.source === "processor"
          ? processingTable(page.items as AlertProcessingAuditRecord[])
          : analysisTable(page.items as AIAnalysisAuditRecord[]);
    const pageNumber = state.cursors.length + 1;
    const pager = h(
      "nav",
      { class: "pager", "aria-label": "Pages" },
      state.cursors.length
        ? h(
            "a",
            { href: formatHash({ ...state, cursors: state.cursors.slice(0, -1) }), rel: "prev" },
            "← Newer",
          )
        : null,
      h("span", {}, `Page ${pageNumber}`),
      page.next_cursor
        ? h(
            "a",
            { href: formatHash({ ...state, cursors: [...state.cursors, page.next_cursor] }), rel: "next" },
            "Older →",
          )
        : null,
    );
    results.replaceChildren(h("div", { class: "table-wrap" }, table), pager);
    if (place) {
      // The row left goes back where it was in the window (rows above may have grown since), and gets focus.
      const link = [...results.querySelectorAll<HTMLAnchorElement>("a.incident-link")].find(
        (a) => a.getAttribute("href") === place.link?.href,
      );
      window.scrollTo(0, place.scrollY);
      if (link && place.link) {
        window.scrollBy(0, link.getBoundingClientRect().top - place.link.top);
        link.focus({ preventScroll: true });
      }
    }
  } catch (error) {
    if (signal.aborted) return;
    const retry = () => void renderSearch(root, state, go, signal);
    results.replaceChildren(
      error instanceof ApiError && error.failure.kind === "http" && error.failure.status === 400
        ? refusedFilters(state, error, retry)
        : failure(error, retry),
    );
  }
}
