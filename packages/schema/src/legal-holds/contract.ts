import { z } from "zod";
import { compareInstants, storableInstant, storableText } from "../wire/storable.js";

const time = storableInstant;
const text = (max: number) =>
  storableText()
    .trim()
    .min(1, { error: "must not be empty" })
    .max(max, { error: `at most ${max} characters` });

const SCOPES = "correlation_id, alert_fingerprint, or from and to";

/**
 * `POST /api/v1/audit/legal-holds`: what to keep (exactly one scope: a correlation id, an alert fingerprint, or
 * a time range with both ends inclusive), why and for whom; `expires_at` ends the hold by itself.
 */
export const PlaceLegalHold = z
  .strictObject({
    correlation_id: text(255).optional().meta({ description: "Hold every record of one remediation" }),
    alert_fingerprint: text(64).optional().meta({ description: "Hold every record of one alert" }),
    from: time.optional().meta({ description: "Hold every record of this time range (with `to`)" }),
    to: time.optional().meta({ description: "End of the range, inclusive" }),
    reason: text(4096).meta({ description: "Why the records are held (case, ticket, request)" }),
    requested_by: text(255).meta({ description: "Who asked for the hold" }),
    expires_at: time.optional().meta({ description: "When the hold ends by itself; absent: until released" }),
  })
  .superRefine((hold, ctx) => {
    const given = [
      hold.correlation_id !== undefined && "correlation_id",
      hold.alert_fingerprint !== undefined && "alert_fingerprint",
      (hold.from !== undefined || hold.to !== undefined) && "from/to",
    ].filter((scope) => scope !== false);
    if (given.length === 0) {
      ctx.addIssue({ code: "custom", path: [], message: `a hold needs one scope: ${SCOPES}` });
    } else if (given.length > 1) {
      ctx.addIssue({
        code: "custom",
        path: [],
        message: `a hold has exactly one scope (${SCOPES}); got ${given.join(" and ")}`,
      });
    }
    if (hold.from !== undefined && hold.to === undefined) {
      ctx.addIssue({ code: "custom", path: ["to"], message: "a time range needs to as well as from" });
    }
    if (hold.to !== undefined && hold.from === undefined) {
      ctx.addIssue({ code: "custom", path: ["from"], message: "a time range needs from as well as to" });
    }
    if (hold.from !== undefined && hold.to !== undefined && compareInstants(hold.to, hold.from) < 0) {
      ctx.addIssue({ code: "custom", path: ["to"], message: "must not be before from" });
    }
  });
export type PlaceLegalHold = z.infer<typeof PlaceLegalHold>;

/** `DELETE /api/v1/audit/legal-holds/{id}`: who releases the hold and why. */
export const ReleaseLegalHold = z.strictObject({
  released_by: text(255).meta({ description: "Who released the hold" }),
  reason: text(4096).optional().meta({ description: "Why the hold ends" }),
});
export type ReleaseLegalHold = z.infer<typeof ReleaseLegalHold>;

/** What a hold keeps: exactly one of the three. */
export const LegalHoldScope = z.union([
  z.strictObject({ correlation_id: storableText() }),
  z.strictObject({ alert_fingerprint: storableText() }),
  z.strictObject({ from: storableText(), to: storableText() }),
]);
export type LegalHoldScope = z.infer<typeof LegalHoldScope>;

/** One hold as the API answers it; `active` is false once released or expired. */
export const LegalHold = z.object({
  id: z.uuid(),
  scope: LegalHoldScope,
  reason: storableText(),
  requested_by: storableText(),
  created_at: storableText(),
  expires_at: storableText().nullable(),
  released_at: storableText().nullable(),
  released_by: storableText().nullable(),
  release_reason: storableText().nullable(),
  active: z.boolean(),
});
export type LegalHold = z.infer<typeof LegalHold>;

/** `GET /api/v1/audit/legal-holds`: newest first. */
export const LegalHoldList = z.object({ items: z.array(LegalHold) });
export type LegalHoldList = z.infer<typeof LegalHoldList>;

/** The `event_type`s of the audit events that record holds in `audit_events`. */
export const LEGAL_HOLD_EVENTS = { placed: "legal-hold.placed", released: "legal-hold.released" } as const;
