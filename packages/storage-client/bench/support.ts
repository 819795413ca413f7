import { monitorEventLoopDelay } from "node:perf_hooks";
import type { AuditRecordInput } from "../src/index.js";

/** A phase-change record as the orchestrator publishes it, with its children's status snapshots (~700 bytes). */
export function phaseChange(n: number): Extract<AuditRecordInput, { kind: "remediation-orchestration" }> {
  return {
    kind: "remediation-orchestration",
    alert_fingerprint: `a1b2c3d4e5f6${String(n % 10_000).padStart(8, "0")}`,
    remediation_name: `remediation-${n}`,
    overall_phase: "executing",
    start_time: "2026-11-23T10:00:00.123456789Z",
    remediation_processing_name: `remediation-${n}-processing`,
    ai_analysis_name: `remediation-${n}-analysis`,
    workflow_execution_name: `remediation-${n}-workflow`,
    service_crd_statuses: {
      remediationProcessing: {
        phase: "completed",
        startTime: "2026-11-23T10:00:00.2Z",
        completionTime: "2026-11-23T10:00:02.7Z",
        success: true,
      },
      aiAnalysis: {
        phase: "completed",
        startTime: "2026-11-23T10:00:02.8Z",
        completionTime: "2026-11-23T10:00:31.4Z",
        success: true,
      },
      workflowExecution: { phase: "running", startTime: "2026-11-23T10:00:31.6Z", success: false },
    },
    occurred_at: new Date().toISOString(),
  };
}

/** Nearest-rank percentile of a sorted array. */
export function percentile(sorted: Float64Array | number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

export function eventLoopMonitor() {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  return {
    stop() {
      histogram.disable();
      return { p99Ms: histogram.percentile(99) / 1e6, maxMs: histogram.max / 1e6 };
    },
  };
}

export const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export function fixed(value: number, digits = 1): string {
  return value.toFixed(digits);
}
