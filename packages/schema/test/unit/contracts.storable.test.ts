import {
  goAIAnalysisInvestigationComplete,
  goRemediationOrchestrationAudit,
  goRemediationProcessingAudit,
} from "@kubernaut/testing/fixtures";
import { getTableColumns, getTableName } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import {
  AIAnalysisAuditEvent,
  aiAnalysisAudit,
  aiInvestigationEmbeddings,
  alertProcessingAudit,
  auditEvents,
  legalHolds,
  PlaceLegalHold,
  ReleaseLegalHold,
  RemediationOrchestrationAudit,
  RemediationProcessingAudit,
  remediationAudit,
  StoreInvestigationEmbedding,
} from "../../src/index.js";
import { unstorable, vectorOf } from "../support/unstorable.js";

/**
 * One contract that fills (some of) a table's columns: a valid example of it, the wire names of columns named
 * differently, and which columns it fills (default: every column whose wire name the contract has).
 */
interface Filler {
  schema: z.ZodObject;
  valid: Record<string, unknown>;
  wireNames?: Record<string, string[]>;
  columns?: string[];
}

/**
 * Every table the API writes, the contracts that fill it, and the columns no request fills (server-owned ids and
 * times, values the service derives, and the wire's ignored server-owned fields). Every other column must be
 * probed, so a column added to a table without a contract that bounds it fails here.
 */
const TABLES: { table: PgTable; fillers: Filler[]; serverOwned: string[] }[] = [
  {
    table: remediationAudit,
    fillers: [
      {
        schema: RemediationOrchestrationAudit,
        valid: goRemediationOrchestrationAudit,
        wireNames: { alert_processing_name: ["alert_processing_name", "remediation_processing_name"] },
      },
    ],
    // `retained` is set by retention only, like every projection's.
    serverOwned: ["id", "last_event_at", "retained"],
  },
  {
    table: alertProcessingAudit,
    fillers: [{ schema: RemediationProcessingAudit, valid: goRemediationProcessingAudit }],
    serverOwned: ["id", "created_at", "updated_at", "last_event_at", "retained"],
  },
  {
    table: aiAnalysisAudit,
    fillers: [
      {
        schema: AIAnalysisAuditEvent,
        valid: { ...goAIAnalysisInvestigationComplete, completion_status: "completed" },
      },
      {
        schema: AIAnalysisAuditEvent,
        valid: {
          ...goAIAnalysisInvestigationComplete,
          trigger: "recommendations_generated",
          recommendations: [
            { action: "restart-pod", description: "restart it", rank: 1, extra: { k: ["v"] } },
          ],
        },
        columns: ["recommendations"],
      },
    ],
    serverOwned: ["id", "created_at", "updated_at", "last_event_at", "retained"],
  },
  {
    table: aiInvestigationEmbeddings,
    fillers: [
      {
        schema: StoreInvestigationEmbedding,
        valid: {
          alert_fingerprint: "mem-pressure-prod-123",
          investigation_text: "OOMKilled",
          embedding: vectorOf(1536, 0.5, "all"),
          root_cause: "memory limit",
          confidence_score: 0.9,
          environment: "production",
          embedding_model: "text-embedding-3-small",
        },
      },
    ],
    serverOwned: ["created_at", "embedding_dimensions"],
  },
  {
    table: legalHolds,
    fillers: [
      {
        schema: PlaceLegalHold,
        valid: {
          correlation_id: "rr-1",
          reason: "case 42",
          requested_by: "legal",
          expires_at: "2027-01-01T00:00:00Z",
        },
        columns: ["correlation_id", "reason", "requested_by", "expires_at"],
      },
      {
        schema: PlaceLegalHold,
        valid: { alert_fingerprint: "fp", reason: "case 42", requested_by: "legal" },
        columns: ["alert_fingerprint"],
      },
      {
        schema: PlaceLegalHold,
        valid: {
          from: "2026-01-01T00:00:00Z",
          to: "2026-02-01T00:00:00Z",
          reason: "r",
          requested_by: "legal",
        },
        wireNames: { from_time: ["from"], to_time: ["to"] },
        columns: ["from_time", "to_time"],
      },
      {
        schema: ReleaseLegalHold,
        valid: { released_by: "legal", reason: "closed" },
        wireNames: { release_reason: ["reason"] },
        columns: ["released_by", "release_reason"],
      },
    ],
    serverOwned: ["id", "created_at", "released_at"],
  },
  {
    // The log: its id and time come from the record's envelope, its correlation from the remediation's name; the
    // payload is the record itself, whose every field the projection tables above probe.
    table: auditEvents,
    fillers: [
      {
        schema: RemediationOrchestrationAudit,
        valid: { ...goRemediationOrchestrationAudit, event_id: "0b7c1a5e-4d0f-4f4e-9a57-2f1f0c3f9d10" },
        wireNames: { correlation_id: ["remediation_name"] },
      },
    ],
    // `seq` is the sealer's cursor, taken from a sequence at insert; `retained` is set by retention only.
    serverOwned: ["event_type", "source", "received_at", "payload", "seq", "retained"],
  },
];

/** A storable value of a column's type, to check that a probe is refused for its value and not for its absence. */
function storableSample(column: PgColumn): unknown {
  const type = column.getSQLType();
  if (type.startsWith("timestamp")) return "2026-01-01T00:00:00Z";
  if (type === "uuid") return "0b7c1a5e-4d0f-4f4e-9a57-2f1f0c3f9d10";
  if (type === "integer" || type === "bigint") return 1;
  if (type.startsWith("numeric") || type === "double precision") return 0.5;
  if (type === "boolean") return true;
  if (type === "text[]") return ["x"];
  if (type === "jsonb") return null;
  return "x";
}

describe("the write contracts let through only what the columns store", () => {
  for (const { table, fillers, serverOwned } of TABLES) {
    it(`${getTableName(table)}: each column's unstorable values are refused, and every column is probed`, () => {
      const probed = new Set<string>();
      for (const { schema, valid, wireNames, columns } of fillers) {
        expect(schema.safeParse(valid).error?.issues ?? []).toEqual([]);
        for (const column of Object.values(getTableColumns(table)) as PgColumn[]) {
          if ((columns && !columns.includes(column.name)) || serverOwned.includes(column.name)) continue;
          const fields = (wireNames?.[column.name] ?? [column.name]).filter((f) => f in schema.shape);
          for (const field of fields) {
            const probe = (value: unknown) => schema.safeParse({ ...valid, [field]: value });
            // Let through: accepted, and still in what the contract hands on (an unknown key it strips is not).
            const letThrough = (value: unknown) => {
              const result = probe(value);
              return result.success && JSON.stringify(result.data[field]) === JSON.stringify(value);
            };
            const baseline = valid[field] ?? storableSample(column);
            expect(
              probe(baseline).error?.issues ?? [],
              `${column.name}: the valid example must stay valid with ${field}=${JSON.stringify(baseline)}`,
            ).toEqual([]);
            for (const { value, why } of unstorable(column, valid[field])) {
              expect(
                letThrough(value),
                `${column.name} (${column.getSQLType()}) accepted ${why} in ${field}: ${JSON.stringify(value).slice(0, 120)}`,
              ).toBe(false);
            }
            probed.add(column.name);
          }
        }
      }
      const columns = (Object.values(getTableColumns(table)) as PgColumn[]).map((c) => c.name);
      const unprobed = columns.filter((name) => !probed.has(name) && !serverOwned.includes(name));
      expect(unprobed, "columns no contract bounds (or add them to serverOwned, saying why)").toEqual([]);
      expect(serverOwned.filter((name) => !columns.includes(name))).toEqual([]);
    });
  }
});
