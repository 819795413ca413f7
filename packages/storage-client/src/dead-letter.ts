import { appendFileSync } from "node:fs";
import type { Item } from "./delivery.js";

/** The file beside the spool's segments that keeps the records the service could not store. */
export const DEAD_LETTER_FILE = "dead-letter.ndjson";

/**
 * Appends one line per dead-lettered record: when, why (the service's answer), and the record exactly as it was
 * published, so that it can be inspected, mended and published again. Synchronous: it is rare, and the record
 * must be on disk before it is settled (and its spool segment possibly removed).
 */
export function appendDeadLetter(file: string, item: Item, error: unknown, now: number): void {
  const reason = error instanceof Error ? error.message : String(error);
  const line = `{"dead_lettered_at":${JSON.stringify(new Date(now).toISOString())},"reason":${JSON.stringify(reason)},"record":${item.json}}\n`;
  appendFileSync(file, line, { mode: 0o600 });
}
