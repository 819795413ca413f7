/** The orchestrator's tunables that the phase logic reads, in milliseconds. */
export interface OrchestratorSettings {
  timeouts: { processing: number; analyzing: number; executing: number; overall: number };
  /** How long a finished RemediationRequest is kept before it is deleted (24 h). */
  retentionMs: number;
  /** How often an unconfirmed final audit record is looked up in the storage service. */
  auditConfirmIntervalMs: number;
  /** How long a deletion waits for audit confirmation before it goes ahead with a Warning event. */
  finalizerMaxWaitMs: number;
}

export const DEFAULT_SETTINGS: OrchestratorSettings = {
  timeouts: { processing: 5 * 60_000, analyzing: 10 * 60_000, executing: 30 * 60_000, overall: 60 * 60_000 },
  retentionMs: 24 * 3600_000,
  auditConfirmIntervalMs: 10_000,
  finalizerMaxWaitMs: 10 * 60_000,
};
