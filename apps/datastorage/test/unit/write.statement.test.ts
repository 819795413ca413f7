import { AuditRecord, aiAnalysisAudit, alertProcessingAudit, remediationAudit } from "@kubernaut/schema";
import { getTableColumns } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import { AI_ANALYSIS_AUDIT } from "../../src/write/ai-analysis.js";
import { REMEDIATION_AUDIT } from "../../src/write/orchestration.js";
import { ALERT_PROCESSING_AUDIT } from "../../src/write/processing.js";
import { prepareWrites, writeStatement } from "../../src/write/store.js";
import { aiAnalysis, orchestration, processing } from "../support/audit-records.js";

const receivedAt = new Date("2026-11-20T10:00:05Z");

function statementOf(records: Record<string, unknown>[]) {
  const writes = prepareWrites(
    records.map((record) => AuditRecord.parse(record)),
    receivedAt,
  );
  return new PgDialect().sqlToQuery(writeStatement(writes, receivedAt));
}

const CLAUSE = /^ (INSERT INTO|SELECT|FROM|WHERE|GROUP BY|ORDER BY|ON CONFLICT|DO UPDATE SET|RETURNING)\b/;

/** One line per clause of each CTE (not inside expressions) and per column set on conflict: reads as SQL. */
function readable(text: string): string {
  const flat = text.replace(/\s+/g, " ");
  let out = "";
  let depth = 0;
  for (let i = 0; i < flat.length; i++) {
    const c = flat[i];
    if (c === "(") depth++;
    if (c === ")") depth--;
    if (depth <= 1 && c === " " && CLAUSE.test(flat.slice(i))) out += "\n  ";
    else if (depth === 0 && c === " " && flat[i - 1] === ",") out += "\n";
    else if (depth === 1 && c === " " && flat[i - 1] === "," && / \w+ = CASE /.test(flat.slice(i, i + 80)))
      out += "\n    ";
    else out += c;
  }
  return `${out.trim()}\n`;
}

describe("the batch write statement", () => {
  it("appends every record and upserts each projection table in one statement", async () => {
    const { sql, params } = statementOf([
      {
        kind: "remediation-orchestration",
        ...orchestration({ event_id: "00000000-0000-4000-8000-000000000001" }),
      },
      { kind: "alert-processing", ...processing({ event_id: "00000000-0000-4000-8000-000000000002" }) },
      { kind: "ai-analysis", ...aiAnalysis({ event_id: "00000000-0000-4000-8000-000000000003" }) },
    ]);
    await expect(readable(sql)).toMatchFileSnapshot("__snapshots__/batch-statement.sql");
    // Every value is a parameter: each table's rows as JSON, and the time of receipt.
    expect(params).toHaveLength(11);
    expect(sql).not.toContain("rr-1");
  });

  it("merges rows that share a key in one request", async () => {
    const { sql } = statementOf([
      { kind: "remediation-orchestration", ...orchestration({ overall_phase: "processing" }) },
      { kind: "remediation-orchestration", ...orchestration({ overall_phase: "completed" }) },
    ]);
    await expect(readable(sql)).toMatchFileSnapshot("__snapshots__/batch-statement.merge.sql");
  });
});

describe("the projection specs", () => {
  it("write every column of their table but the ones the database or the write path fills", () => {
    const bookkeeping = ["id", "created_at", "updated_at", "last_event_at", "retained"];
    for (const [spec, table] of [
      [REMEDIATION_AUDIT, remediationAudit],
      [ALERT_PROCESSING_AUDIT, alertProcessingAudit],
      [AI_ANALYSIS_AUDIT, aiAnalysisAudit],
    ] as const) {
      const columns = Object.values(getTableColumns(table)).map((c) => c.name);
      expect(spec.columns.map((c) => c.name).sort()).toEqual(
        columns.filter((name) => !bookkeeping.includes(name)).sort(),
      );
      expect(
        spec.columns
          .slice(0, spec.key.length)
          .map((c) => c.name)
          .sort(),
      ).toEqual([...spec.key].sort());
    }
  });
});
