import { getTableColumns } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import {
  AIAnalysisAuditEvent,
  aiAnalysisAudit,
  alertProcessingAudit,
  RemediationOrchestrationAudit,
  RemediationProcessingAudit,
  remediationAudit,
} from "../../src/index.js";
import {
  goAIAnalysisInvestigationComplete,
  goRemediationOrchestrationAudit,
  goRemediationProcessingAudit,
} from "../fixtures/go-payloads.js";

/**
 * For each column of a projection table, the values its PostgreSQL type cannot store, derived from the Drizzle
 * column (its SQL type, length, precision). The contract of the record that fills the column must refuse each.
 */
function unstorable(column: PgColumn): unknown[] {
  const type = column.getSQLType();
  const text = ["a\u0000b", "x\uD800"];
  if (type === "integer") return [2 ** 31, -(2 ** 31) - 1, 1.5];
  if (type === "bigint") return [2 ** 53, 0.5];
  if (type === "text") return text;
  const varchar = /^varchar\((\d+)\)$/.exec(type);
  if (varchar) return [...text, "x".repeat(Number(varchar[1]) + 1)];
  const numeric = /^numeric\((\d+), (\d+)\)$/.exec(type);
  if (numeric) return [10 ** (Number(numeric[1]) - Number(numeric[2]))];
  if (type.startsWith("timestamp")) return ["0000-01-01T00:00:00Z", "2026-01-01T00:00:00+16:00"];
  return [];
}

/** The record whose fields fill a table, a valid example of it, and the fields named differently on the wire. */
const contracts: {
  table: PgTable;
  schema: z.ZodType;
  valid: Record<string, unknown>;
  wireName?: Record<string, string>;
}[] = [
  {
    table: remediationAudit,
    schema: RemediationOrchestrationAudit,
    valid: goRemediationOrchestrationAudit,
    wireName: { alert_processing_name: "remediation_processing_name" },
  },
  { table: alertProcessingAudit, schema: RemediationProcessingAudit, valid: goRemediationProcessingAudit },
  { table: aiAnalysisAudit, schema: AIAnalysisAuditEvent, valid: goAIAnalysisInvestigationComplete },
];

describe("the write contracts let through only what the columns store", () => {
  for (const { table, schema, valid, wireName } of contracts) {
    it(`${(table as unknown as { [k: symbol]: string })[Symbol.for("drizzle:Name")]}: each column's unstorable values are refused`, () => {
      expect(schema.safeParse(valid).success).toBe(true);
      const checked: string[] = [];
      for (const column of Object.values(getTableColumns(table)) as PgColumn[]) {
        const field = wireName?.[column.name] ?? column.name;
        const probe = (value: unknown) => schema.safeParse({ ...valid, [field]: value }).success;
        // A column the wire does not fill (server-owned ids and times) is out of the contract's reach.
        if (!probe(valid[field] ?? null) && !(field in valid)) continue;
        for (const value of unstorable(column)) {
          expect(
            probe(value),
            `${column.name} (${column.getSQLType()}) accepted ${JSON.stringify(value)}`,
          ).toBe(false);
        }
        checked.push(column.name);
      }
      expect(checked.length).toBeGreaterThan(5);
    });
  }
});
