/** Human-readable times and durations, in the user's time zone. */

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  const t = new Date(iso);
  return Number.isNaN(t.getTime()) ? iso : t.toLocaleString(undefined, { hour12: false });
}

/** `1h 2m`, `3m 4s`, `5.2s`, `120 ms`. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || Number.isNaN(ms) || ms < 0) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${Math.round(s % 60)}s`;
  return `${Math.floor(m / 60)}h ${m % 60}m`;
}

export function durationBetween(
  start: string | null | undefined,
  end: string | null | undefined,
): number | null {
  if (!start || !end) return null;
  const d = Date.parse(end) - Date.parse(start);
  return Number.isNaN(d) ? null : d;
}

/** The overall phases of a remediation that is over. */
const FINISHED_PHASES = ["completed", "failed", "timeout"];

/** What a remediation's duration cell says (search list and incident summary). */
export interface RemediationTimes {
  overall_phase: string;
  start_time: string;
  completion_time?: string | null;
  timeout_time?: string | null;
  updated_at?: string | null;
}

/**
 * How long a remediation took: until it completed, timed out or (failed without a completion time) was last
 * updated. "running" only for one that has not finished; "timed out" or "—" for a finished one without an end.
 */
export function remediationDuration(r: RemediationTimes): string {
  const finished = FINISHED_PHASES.includes(r.overall_phase);
  const end =
    r.completion_time ??
    (r.overall_phase === "timeout" ? r.timeout_time : undefined) ??
    (finished ? r.updated_at : undefined);
  const ms = durationBetween(r.start_time, end);
  if (ms !== null) return formatDuration(ms);
  if (r.overall_phase === "timeout") return "timed out";
  return finished ? "—" : "running";
}

/**
 * `datetime-local` input value ⇄ RFC 3339 (UTC). The input shows seconds, and milliseconds when there are any
 * (with `step="0.001"`), so that a time from a link comes back unchanged.
 */
export function localInputToIso(value: string): string | undefined {
  if (value === "") return undefined;
  const t = new Date(value);
  return Number.isNaN(t.getTime()) ? undefined : t.toISOString();
}

export function isoToLocalInput(iso: string | undefined): string {
  if (!iso) return "";
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return "";
  const pad = (n: number) => String(n).padStart(2, "0");
  const ms = t.getMilliseconds();
  const fraction = ms === 0 ? "" : `.${String(ms).padStart(3, "0")}`;
  return `${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())}T${pad(t.getHours())}:${pad(t.getMinutes())}:${pad(t.getSeconds())}${fraction}`;
}

export function formatNumber(value: unknown, digits = 2): string {
  if (typeof value !== "number") return value === null || value === undefined ? "—" : String(value);
  return Number.isInteger(value) ? String(value) : value.toFixed(digits);
}
