import type { AuditRecord, AuditSource } from "@kubernaut/schema";
import type { AppDeps } from "../env.js";
import { HttpProblem } from "../errors.js";
import { WriteQueueFull } from "./group-commit.js";
import type { WriteOutcome } from "./store.js";

/** How long a publisher refused by a full write queue is asked to wait: about one statement's worth of time. */
const QUEUE_FULL_RETRY_AFTER_SECONDS = 1;

/**
 * Stores records at the clock's time of receipt and counts them by source and outcome. A full write queue
 * answers 429 with `Retry-After` (outcome `throttled`): the publisher keeps the records and sends them again.
 */
export async function ingestAuditRecords(
  deps: Pick<AppDeps, "writer" | "metrics" | "clock">,
  records: readonly AuditRecord[],
  source: AuditSource | "batch",
): Promise<WriteOutcome> {
  try {
    const outcome = await deps.writer.store(records, deps.clock());
    for (const [src, n] of outcome.inserted)
      deps.metrics.auditWrites.inc({ source: src, outcome: "inserted" }, n);
    for (const [src, n] of outcome.duplicates) {
      deps.metrics.auditWrites.inc({ source: src, outcome: "duplicate" }, n);
      deps.metrics.auditDuplicates.inc({ source: src }, n);
    }
    return outcome;
  } catch (err) {
    if (err instanceof WriteQueueFull) {
      deps.metrics.auditWrites.inc({ source, outcome: "throttled" }, records.length);
      throw new HttpProblem({
        status: 429,
        detail: err.message,
        headers: { "Retry-After": String(QUEUE_FULL_RETRY_AFTER_SECONDS) },
      });
    }
    deps.metrics.auditWrites.inc({ source, outcome: "failed" }, records.length);
    throw err;
  }
}
