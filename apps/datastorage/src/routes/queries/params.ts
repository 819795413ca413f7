import { storableInstant, storableText } from "@kubernaut/schema";
import { z } from "zod";

/** Query parameters the read endpoints share. */
export const instant = storableInstant;

export const fingerprint = storableText()
  .min(1, { error: "must not be empty" })
  .max(64, { error: "at most 64 characters" });

export function limitParam(limit: { default: number; max: number }) {
  return z.coerce
    .number({ error: "expected an integer" })
    .int({ error: "expected an integer" })
    .min(1, { error: "must be at least 1" })
    .max(limit.max, { error: `must be at most ${limit.max}` })
    .default(limit.default)
    .meta({ description: `How many at most (default ${limit.default}, at most ${limit.max})` });
}

/** `since` must come before `until` when both are given. */
export function checkTimeRange(
  q: { since?: string | undefined; until?: string | undefined },
  ctx: z.RefinementCtx,
) {
  if (q.since !== undefined && q.until !== undefined && Date.parse(q.since) >= Date.parse(q.until)) {
    ctx.addIssue({ code: "custom", path: ["since"], message: "must be before until" });
  }
}
