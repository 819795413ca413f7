import { compareInstants, storableInstant, storableText } from "@kubernaut/schema";
import { z } from "zod";

/** Query parameters the read endpoints share. */
export const instant = storableInstant;

export const fingerprint = storableText()
  .min(1, { error: "must not be empty" })
  .max(64, { error: "at most 64 characters" });

/** The query of an endpoint that takes no parameters: any is refused, by name. */
export const noQuery = z.strictObject({});

/** A correlation id (a remediation's name) to select by. */
export const correlationId = storableText()
  .min(1, { error: "must not be empty" })
  .max(255, { error: "at most 255 characters" });

/** How many rows at most: decimal digits only (`1e2`, `0x10` or a blank are not a count). */
export function limitParam(limit: { default: number; max: number }) {
  return z
    .string({ error: "expected an integer" })
    .regex(/^[0-9]+$/, { error: "expected a decimal integer" })
    .transform(Number)
    .pipe(
      z
        .number()
        .min(1, { error: "must be at least 1" })
        .max(limit.max, { error: `must be at most ${limit.max}` }),
    )
    .default(limit.default)
    .meta({ description: `How many at most (default ${limit.default}, at most ${limit.max})` });
}

/** `since` must come before `until` when both are given. */
export function checkTimeRange(
  q: { since?: string | undefined; until?: string | undefined },
  ctx: z.RefinementCtx,
) {
  if (q.since !== undefined && q.until !== undefined && compareInstants(q.since, q.until) >= 0) {
    ctx.addIssue({ code: "custom", path: ["since"], message: "must be before until" });
  }
}
