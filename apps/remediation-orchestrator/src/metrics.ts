import { type AuditMetrics, type AuditPublisher, auditMetrics } from "@kubernaut/storage-client";
import { Counter, Gauge, type Registry } from "prom-client";
import type { LedgerAnswer } from "./audit-ledger.js";

/** The orchestrator's instruments; the audit publisher's are the storage client's `orchestrator` preset. */
export interface OrchestratorMetrics {
  audit: AuditMetrics;
  phaseTransitions: Counter<"phase">;
  timeouts: Counter<"phase">;
  duplicates: Counter;
  retentionDeletions: Counter;
  auditConfirmations: Counter<"result">;
}

export function orchestratorMetrics(registry: Registry): OrchestratorMetrics {
  const registers = [registry];
  const auditConfirmations = new Counter({
    name: "kubernaut_orchestrator_audit_confirmations_total",
    help: "Look-ups of a final audit record in the storage service, by result (stored, missing, unavailable, gave_up)",
    labelNames: ["result"] as const,
    registers,
  });
  for (const result of ["stored", "missing", "unavailable", "gave_up"] satisfies (
    | LedgerAnswer
    | "gave_up"
  )[]) {
    auditConfirmations.inc({ result }, 0);
  }
  return {
    audit: auditMetrics(registry, "orchestrator"),
    phaseTransitions: new Counter({
      name: "kubernaut_orchestrator_phase_transitions_total",
      help: "RemediationRequests entering each phase",
      labelNames: ["phase"] as const,
      registers,
    }),
    timeouts: new Counter({
      name: "kubernaut_orchestrator_timeouts_total",
      help: "RemediationRequests that timed out, by the phase they were in",
      labelNames: ["phase"] as const,
      registers,
    }),
    duplicates: new Counter({
      name: "kubernaut_orchestrator_duplicates_total",
      help: "RemediationRequests marked as duplicates of an active remediation of the same fingerprint",
      registers,
    }),
    retentionDeletions: new Counter({
      name: "kubernaut_orchestrator_retention_deletions_total",
      help: "Finished RemediationRequests deleted once retention expired and their audit was confirmed stored",
      registers,
    }),
    auditConfirmations,
  };
}

/** 1 while the storage service answers the publisher, 0 after it has not for the readiness window. */
export function registerStorageReachable(registry: Registry, publisher: AuditPublisher): void {
  new Gauge({
    name: "kubernaut_orchestrator_audit_storage_reachable",
    help: "1 while the Data Storage Service answers audit requests, 0 after it has not for the readiness window",
    registers: [registry],
    collect() {
      this.set(publisher.ready() ? 1 : 0);
    },
  });
}
