import type { AuditRecord, AuditSource } from "@kubernaut/schema";
import type { AppDeps } from "../env.js";
import type { WriteOutcome } from "./store.js";

/** Stores records at the clock's time of receipt and counts them by source and outcome. */
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
    deps.metrics.auditWrites.inc({ source, outcome: "failed" }, records.length);
    throw err;
  }
}
