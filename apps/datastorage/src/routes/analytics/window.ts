import { storableInstant } from "@kubernaut/schema";
import { type SQL, sql } from "drizzle-orm";
import { z } from "zod";

const MS_PER_DAY = 86_400e3;
const MS_PER_UNIT: Record<string, number> = { ms: 1, s: 1e3, m: 60e3, h: 3600e3, d: MS_PER_DAY };
const SPAN = /^((\d+(\.\d+)?)(ms|s|m|h|d))+$/;
const SPAN_PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;

/** A span such as `7d`, `24h`, `90m` or `1h30m` (Go's duration units plus `d` for days), in milliseconds. */
export function parseSpan(text: string): number {
  let total = 0;
  for (const [, amount, unit] of text.matchAll(SPAN_PART))
    total += Number(amount) * (MS_PER_UNIT[unit ?? ""] ?? 0);
  return total;
}

/** The longest window: 100 years back reaches before any audit record and stays a valid time. */
export const MAX_WINDOW_DAYS = 36_500;

const span = z
  .string()
  .max(100, { error: "at most 100 characters", abort: true })
  .regex(SPAN, { error: 'expected a span such as "7d", "24h", "90m" or "1h30m"', abort: true })
  .refine((v) => parseSpan(v) > 0, { error: "must be longer than zero", abort: true })
  .refine((v) => parseSpan(v) <= MAX_WINDOW_DAYS * MS_PER_DAY, {
    error: `must be at most ${MAX_WINDOW_DAYS}d`,
  });

const instant = storableInstant;

/** The window parameters every analytics endpoint takes. */
export const windowQueryShape = {
  window: span.optional().meta({ description: "How far back from `until` (or now): `7d`, `24h`, `90d`…" }),
  since: instant.optional().meta({ description: "Start of the window (exclusive), RFC 3339" }),
  until: instant.optional().meta({ description: "End of the window (inclusive), RFC 3339; defaults to now" }),
};

export type WindowQuery = {
  window?: string | undefined;
  since?: string | undefined;
  until?: string | undefined;
};

/** The cross-field rules of the window parameters, for a `superRefine` on the query object. */
export function checkWindow(q: WindowQuery, ctx: z.RefinementCtx): void {
  if (q.window !== undefined && q.since !== undefined) {
    ctx.addIssue({ code: "custom", path: ["window"], message: "give either window or since, not both" });
  }
  if (q.since !== undefined && q.until !== undefined && Date.parse(q.since) >= Date.parse(q.until)) {
    ctx.addIssue({ code: "custom", path: ["since"], message: "must be before until" });
  }
}

/** A resolved window: bounds as RFC 3339 text (exact to the database's microseconds), `null` when open. */
export interface Window {
  since: string | null;
  until: string | null;
  /** What the answer reports as its end: `until`, or the time of the request. */
  reportedUntil: string;
}

/**
 * The window of one request: `since`/`until` as given, or `window` back from `until`/now, else the seed's
 * default span back from now (`null`: the seed has no window, so from the beginning).
 */
export function resolveWindow(q: WindowQuery, defaultSpanMs: number | null, now: Date): Window {
  const end = q.until === undefined ? now : new Date(q.until);
  const spanMs = q.window === undefined ? defaultSpanMs : parseSpan(q.window);
  const since = q.since ?? (spanMs === null ? null : new Date(end.getTime() - spanMs).toISOString());
  return { since, until: q.until ?? null, reportedUntil: q.until ?? now.toISOString() };
}

/**
 * `column > since AND column <= until`, as in the seeds' `created_at > NOW() - INTERVAL '7 days'`.
 * An unset `until` adds no bound at all, exactly like the seeds.
 */
export function withinWindow(column: SQL, window: Window): SQL {
  const bounds: SQL[] = [];
  if (window.since !== null) bounds.push(sql`${column} > ${window.since}::timestamptz`);
  if (window.until !== null) bounds.push(sql`${column} <= ${window.until}::timestamptz`);
  return bounds.length === 0 ? sql`TRUE` : sql.join(bounds, sql` AND `);
}
