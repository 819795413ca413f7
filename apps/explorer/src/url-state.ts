/**
 * Every view's state lives in the URL's hash (`#/search?phase=failed`), so a link restores the view and the
 * service serves one static index.html. Parsing is total: an unknown view or a bad value falls back to a default.
 */

export const SOURCES = ["orchestrator", "processor", "ai-analysis"] as const;
export type Source = (typeof SOURCES)[number];

export interface SearchState {
  view: "search";
  source: Source;
  /** `overall_phase` (orchestrator), `status` (processor) or `completion_status` (ai-analysis). */
  status?: string;
  environment?: string;
  /** The namespace of the resource the remediation's signal is about. */
  namespace?: string;
  /** The signal (alert) name, e.g. PodOOMKilled. */
  signal?: string;
  fingerprint?: string;
  /** Free text over failure reasons (`reason=` of the list endpoints). */
  reason?: string;
  since?: string;
  until?: string;
  /** The cursors of the pages before this one, so "previous" works and a link restores the same page. */
  cursors: string[];
}

export interface IncidentState {
  view: "incident";
  fingerprint: string;
  /** The remediation (`correlation_id`) to show; the alert's newest when absent. */
  remediation?: string;
  /** The `event_id` of the record whose JSON and diff are open. */
  record?: string;
}

export interface AnalyticsState {
  view: "analytics";
  /** The window of each chart that is not at its default, by analytics name. */
  windows: Record<string, string>;
  /** The chart a link points at (`chart=<name>`): scrolled into view. */
  chart?: string;
}

export type ViewState = SearchState | IncidentState | AnalyticsState;

const SEARCH_FIELDS = [
  "status",
  "environment",
  "namespace",
  "signal",
  "fingerprint",
  "reason",
  "since",
  "until",
] as const;

function nonEmpty(value: string | null): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

export function defaultSearch(): SearchState {
  return { view: "search", source: "orchestrator", cursors: [] };
}

/** Whether a search narrows the list at all (a page cursor is no filter). */
export function hasFilters(state: SearchState): boolean {
  return SEARCH_FIELDS.some((field) => state[field] !== undefined);
}

/** The state a location hash describes (`location.hash`, with or without the leading `#`). */
export function parseHash(hash: string): ViewState {
  const text = hash.startsWith("#") ? hash.slice(1) : hash;
  const [path = "", query = ""] = text.split("?", 2);
  const params = new URLSearchParams(query);
  const segments = path.split("/").filter((s) => s !== "");
  switch (segments[0]) {
    case "incident": {
      const fingerprint = nonEmpty(segments[1] === undefined ? null : decodedOrNull(segments[1]));
      if (fingerprint === undefined) return defaultSearch();
      const state: IncidentState = { view: "incident", fingerprint };
      const remediation = nonEmpty(params.get("remediation"));
      if (remediation !== undefined) state.remediation = remediation;
      const record = nonEmpty(params.get("record"));
      if (record !== undefined) state.record = record;
      return state;
    }
    case "analytics": {
      const state: AnalyticsState = { view: "analytics", windows: {} };
      for (const [key, value] of params) {
        const text = nonEmpty(value);
        if (text === undefined) continue;
        if (key === "chart") state.chart = text;
        else state.windows[key] = text;
      }
      return state;
    }
    default: {
      const state = defaultSearch();
      const source = params.get("source");
      if ((SOURCES as readonly string[]).includes(source ?? "")) state.source = source as Source;
      for (const field of SEARCH_FIELDS) {
        const value = nonEmpty(params.get(field));
        if (value !== undefined) state[field] = value;
      }
      state.cursors = params.getAll("cursor").filter((c) => c !== "");
      return state;
    }
  }
}

/** The hash (with `#`) that restores `state`; parameters at their defaults are left out. */
export function formatHash(state: ViewState): string {
  const params = new URLSearchParams();
  switch (state.view) {
    case "incident": {
      if (state.remediation !== undefined) params.set("remediation", state.remediation);
      if (state.record !== undefined) params.set("record", state.record);
      return withQuery(`#/incident/${encodeURIComponent(state.fingerprint)}`, params);
    }
    case "analytics": {
      for (const key of Object.keys(state.windows).sort()) params.set(key, state.windows[key] ?? "");
      if (state.chart !== undefined) params.set("chart", state.chart);
      return withQuery("#/analytics", params);
    }
    case "search": {
      if (state.source !== "orchestrator") params.set("source", state.source);
      for (const field of SEARCH_FIELDS) {
        const value = state[field];
        if (value !== undefined) params.set(field, value);
      }
      for (const cursor of state.cursors) params.append("cursor", cursor);
      return withQuery("#/search", params);
    }
  }
}

function withQuery(path: string, params: URLSearchParams): string {
  const query = params.toString();
  return query === "" ? path : `${path}?${query}`;
}

/** A path segment decoded, or null when it is not valid percent-encoding (a hand-edited or cut-off link). */
function decodedOrNull(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}
