import { createHash } from "node:crypto";
import type { Condition, RemediationRequest, RemediationRequestStatus } from "@kubernaut/crds";
import { isActive, isDuplicate } from "./lifecycle.js";
import type { OrchestratorSettings } from "./settings.js";

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/**
 * The `kubernaut.ai/fingerprint` label value: the fingerprint itself when it is a valid label value
 * (at most 63 characters of `[A-Za-z0-9_.-]`), else a hash of it. Lookups always compare the spec too.
 */
export function fingerprintLabelValue(fingerprint: string): string {
  if (fingerprint.length <= 63 && LABEL_VALUE.test(fingerprint)) return fingerprint;
  return `sha256-${createHash("sha256").update(fingerprint).digest("hex").slice(0, 56)}`;
}

/** A request already under way comes first; then the oldest; then by name. */
function originalOrder(a: RemediationRequest, b: RemediationRequest): number {
  const started = Number(b.status?.phase !== undefined) - Number(a.status?.phase !== undefined);
  if (started !== 0) return started;
  const byTime = (a.metadata.creationTimestamp ?? "").localeCompare(b.metadata.creationTimestamp ?? "");
  return byTime !== 0 ? byTime : (a.metadata.name ?? "").localeCompare(b.metadata.name ?? "");
}

/**
 * The active remediation that `rr` duplicates, if any. Among the active requests with the same fingerprint,
 * `rr` included, the original is one already under way, else the oldest (then by name). The orchestrator
 * decides one fingerprint at a time from a fresh list, so a request that started is seen by the next.
 */
export function findOriginal(
  rr: RemediationRequest,
  sameFingerprint: readonly RemediationRequest[],
): RemediationRequest | undefined {
  const candidates = sameFingerprint.filter(
    (other) =>
      other.metadata.uid !== rr.metadata.uid &&
      other.spec.signalFingerprint === rr.spec.signalFingerprint &&
      isActive(other),
  );
  const original = [rr, ...candidates].sort(originalOrder)[0];
  return original === rr ? undefined : original;
}

/** Status that marks `rr` a duplicate: it never runs and is deleted after retention. */
export function markDuplicate(
  rr: RemediationRequest,
  original: RemediationRequest,
  now: Date,
  settings: OrchestratorSettings,
): RemediationRequestStatus {
  const condition: Condition = {
    type: "Duplicate",
    status: "True",
    reason: "ActiveRemediationExists",
    message: `remediation ${original.metadata.name} is already handling fingerprint ${rr.spec.signalFingerprint}`,
    lastTransitionTime: now.toISOString(),
  };
  return {
    duplicateOf: original.metadata.name,
    completedAt: now.toISOString(),
    retentionExpiryTime: new Date(now.getTime() + settings.retentionMs).toISOString(),
    conditions: [...(rr.status?.conditions ?? []).filter((c) => c.type !== "Duplicate"), condition],
  };
}

/**
 * The original's duplicate count and last duplicate time, counted from the requests marked as its
 * duplicates; undefined when its status already says so. Counting (rather than incrementing) makes it
 * idempotent and safe against concurrent duplicates.
 */
export function duplicateTally(
  original: RemediationRequest,
  sameFingerprint: readonly RemediationRequest[],
): Pick<RemediationRequestStatus, "duplicateCount" | "lastDuplicateTime"> | undefined {
  const duplicates = sameFingerprint.filter(
    (other) => isDuplicate(other) && other.status?.duplicateOf === original.metadata.name,
  );
  const count = duplicates.length;
  if (count === 0 || count === (original.status?.duplicateCount ?? 0)) return undefined;
  const last = duplicates
    .map((d) => d.metadata.creationTimestamp ?? d.status?.completedAt ?? "")
    .sort()
    .at(-1);
  return { duplicateCount: count, ...(last ? { lastDuplicateTime: last } : {}) };
}
