import {
  clampToStorable,
  compareInstants,
  MAX_SPAN_DAYS,
  parseSpanMs,
  spanText,
  storableInstant,
} from "@kubernaut/schema";
import { type SQL, sql } from "drizzle-orm";
import type { z } from "zod";

/** The longest window: 100 years back reaches before any audit record. */
export const MAX_WINDOW_DAYS = MAX_SPAN_DAYS;

const instant = storableInstant;

/** The window parameters every analytics endpoint takes. */
export const windowQueryShape = {
  window: spanText
    .optional()
    .meta({ description: "How far back from `until` (or now): `7d`, `24h`, `90d`…" }),
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
  if (q.since !== undefined && q.until !== undefined && compareInstants(q.since, q.until) >= 0) {
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
  const spanMs = q.window === undefined ? defaultSpanMs : parseSpanMs(q.window);
  const since = q.since ?? (spanMs === null ? null : backFrom(end.getTime(), spanMs));
  return { since, until: q.until ?? null, reportedUntil: q.until ?? now.toISOString() };
}

/**
 * The instant `spanMs` before `ms`, as RFC 3339 text; never before year 1, which PostgreSQL could not read (a window
 * of 100 years back from year 50 selects what one from year 1 does).
 */
export function backFrom(ms: number, spanMs: number): string {
  return new Date(clampToStorable(ms - spanMs)).toISOString();
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
