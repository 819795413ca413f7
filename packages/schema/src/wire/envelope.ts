import { z } from "zod";
import { goTimeOptional } from "./go.js";

/**
 * Fields every audit record may carry: its idempotency key (set once by the publisher, so a retry is a
 * no-op) and when the controller observed it (defaults to the time of receipt).
 */
export const eventEnvelope = {
  event_id: z.uuid({ error: "expected a UUID" }).optional(),
  occurred_at: goTimeOptional,
};
