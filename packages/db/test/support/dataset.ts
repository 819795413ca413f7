import type { Db } from "@kubernaut/db";
import {
  aiAnalysisAudit,
  alertProcessingAudit,
  nanosToInterval,
  remediationAudit,
  type StoredProcessingPhase,
} from "@kubernaut/schema";
import { sql } from "drizzle-orm";

/**
 * A small audit trail whose answers to the seeds' queries are worked out by hand in the tests. Times are
 * relative to now, because the queries look back from NOW(); the offsets are hours, far from any edge.
 */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ago = (ms: number) => new Date(Date.now() - ms);
const after = (start: Date, seconds: number) => new Date(start.getTime() + seconds * 1000);

interface Remediation {
  name: string;
  fingerprint: string;
  phase: string;
  createdAgo: number;
  /** Seconds from start to completion; absent while running. */
  seconds?: number;
  failurePhase?: string;
  failureReason?: string;
}

/** remediation_audit: 5 rows in the last 24 hours, 2 more in the last 7 days, 2 older than 90 days. */
export const REMEDIATIONS: Remediation[] = [
  {
    name: "rr-m1",
    fingerprint: "mem-pressure-prod-123",
    phase: "failed",
    createdAgo: 5 * HOUR,
    seconds: 30,
    failurePhase: "ai_analysis",
    failureReason: "AI service timeout",
  },
  {
    name: "rr-m2",
    fingerprint: "mem-pressure-prod-123",
    phase: "completed",
    createdAgo: 4 * HOUR,
    seconds: 60,
  },
  {
    name: "rr-d1",
    fingerprint: "disk-full-prod-9",
    phase: "failed",
    createdAgo: 3 * HOUR,
    seconds: 90,
    failurePhase: "workflow_execution",
    failureReason: "step 2 failed: permission denied",
  },
  {
    name: "rr-d2",
    fingerprint: "disk-full-prod-9",
    phase: "failed",
    createdAgo: 2 * HOUR,
    seconds: 45,
    failurePhase: "ai_analysis",
    failureReason: "AI service timeout",
  },
  { name: "rr-d3", fingerprint: "disk-full-prod-9", phase: "executing", createdAgo: 1 * HOUR },
  { name: "rr-c1", fingerprint: "cpu-high-staging-7", phase: "completed", createdAgo: 2 * DAY, seconds: 120 },
  { name: "rr-c2", fingerprint: "cpu-high-staging-7", phase: "completed", createdAgo: 3 * DAY, seconds: 300 },
  {
    name: "rr-old1",
    fingerprint: "mem-pressure-prod-123",
    phase: "completed",
    createdAgo: 100 * DAY,
    seconds: 50,
  },
  { name: "rr-old2", fingerprint: "old-alert-1", phase: "executing", createdAgo: 120 * DAY },
];

/**
 * The month partitions (of every partitioned table) that rows created at `times` go to: the service keeps only
 * the current month and the next ones created, and these rows are inserted as of the past.
 */
async function ensureMonths(db: Db, times: readonly Date[]): Promise<void> {
  for (const at of times)
    await db.execute(sql`SELECT count(*) FROM ensure_month_partitions(${at.toISOString()}::timestamptz, 0)`);
}

export async function insertRemediations(db: Db): Promise<void> {
  await ensureMonths(
    db,
    REMEDIATIONS.map((r) => ago(r.createdAgo)),
  );
  await db.insert(remediationAudit).values(
    REMEDIATIONS.map((r) => {
      const start = ago(r.createdAgo);
      return {
        alertFingerprint: r.fingerprint,
        remediationName: r.name,
        overallPhase: r.phase,
        startTime: start,
        completionTime: r.seconds === undefined ? null : after(start, r.seconds),
        failurePhase: r.failurePhase ?? null,
        failureReason: r.failureReason ?? null,
        serviceCrdStatuses: { aiAnalysis: { phase: r.phase, success: r.phase === "completed" } },
        createdAt: start,
        updatedAt: start,
      };
    }),
  );
}

/** ai_analysis_audit at fixed dates (noon UTC, the same calendar day in any session time zone). */
export async function insertAnalyses(db: Db): Promise<void> {
  const jan10 = new Date("2026-01-10T12:00:00Z");
  const jan9 = new Date("2026-01-09T12:00:00Z");
  const base = { crdNamespace: "kubernaut", alertFingerprint: "mem-pressure-prod-123", severity: "critical" };
  await ensureMonths(db, [jan9, jan10]);
  await db.insert(aiAnalysisAudit).values([
    {
      ...base,
      crdName: "ai-1",
      environment: "production",
      completionStatus: "completed",
      topRecommendation: "restart_pod",
      effectivenessProbability: 0.8,
      historicalSuccessRate: 0.7,
      investigationDurationMs: 1000,
      confidenceScore: 0.9,
      hallucinationDetected: false,
      createdAt: jan10,
    },
    {
      ...base,
      crdName: "ai-2",
      environment: "production",
      completionStatus: "completed",
      topRecommendation: "restart_pod",
      effectivenessProbability: 0.9,
      historicalSuccessRate: 0.9,
      investigationDurationMs: 3000,
      confidenceScore: 0.7,
      hallucinationDetected: true,
      createdAt: jan10,
    },
    {
      ...base,
      crdName: "ai-3",
      environment: "staging",
      completionStatus: "completed",
      topRecommendation: "scale_deployment",
      effectivenessProbability: 0.6,
      historicalSuccessRate: 0.5,
      investigationDurationMs: 2000,
      confidenceScore: 0.8,
      hallucinationDetected: false,
      createdAt: jan9,
    },
    {
      ...base,
      crdName: "ai-4",
      environment: "staging",
      completionStatus: "failed",
      investigationDurationMs: 4000,
      confidenceScore: 0.4,
      hallucinationDetected: true,
      createdAt: jan9,
    },
    {
      ...base,
      crdName: "ai-5",
      environment: "staging",
      completionStatus: "timeout",
      hallucinationDetected: false,
      createdAt: jan9,
    },
  ]);
}

function enrichment(seconds: number): StoredProcessingPhase {
  const nanos = seconds * 1e9;
  return {
    phase: "enriching",
    start_time: null,
    end_time: null,
    duration: nanosToInterval(nanos),
    duration_ns: nanos,
  };
}

/** alert_processing_audit: enrichment durations 2.5 s, 1.2 s, 90 s and 3 s. */
export async function insertProcessings(db: Db): Promise<void> {
  const row = (
    remediationId: string,
    fingerprint: string,
    seconds: number,
    environment: string,
    confidence: number,
    completedAgo: number,
  ) => ({
    remediationId,
    alertFingerprint: fingerprint,
    processingPhases: [enrichment(seconds)],
    environment,
    confidence,
    completedAt: ago(completedAgo),
    status: "completed",
  });
  await db
    .insert(alertProcessingAudit)
    .values([
      row("rr-m1", "mem-pressure-prod-123", 2.5, "production", 0.9, 5 * HOUR),
      row("rr-m2", "mem-pressure-prod-123", 1.2, "production", 0.7, 4 * HOUR),
      row("rr-c1", "cpu-high-staging-7", 90, "staging", 0.6, 2 * DAY),
      row("rr-c0", "cpu-high-staging-7", 3, "staging", 0.2, 10 * DAY),
    ]);
}
