import type { AuditVerification } from "@kubernaut/schema";

/** What the incident view says about a verification: a badge, and the lines of what is wrong. */
export interface VerificationBadge {
  state: "verified" | "pending" | "failed";
  text: string;
  /** One line per problem: the record and what is wrong with it, or what is wrong with the log. */
  problems: string[];
}

/**
 * Failed when the log itself or any record is wrong; pending when the only thing missing is the seal (no
 * checkpoint yet, or records newer than the latest); verified otherwise, against the checkpoint it names.
 */
export function verificationBadge(v: AuditVerification): VerificationBadge {
  const wrong = v.problems.filter((p) => p.problem !== "not_sealed");
  const problems = [
    ...v.log_problems,
    ...wrong.map((p) => `${p.problem.replaceAll("_", " ")}: event ${p.event_id}: ${p.detail}`),
  ];
  if (problems.length > 0) {
    return {
      state: "failed",
      text: `Verification failed: ${problems.length} problem${problems.length === 1 ? "" : "s"}`,
      problems,
    };
  }
  if (v.checkpoint === null)
    return { state: "pending", text: "Not sealed yet: no signed checkpoint", problems };
  const unsealed = v.problems.length;
  if (unsealed > 0) {
    return {
      state: "pending",
      text: `${unsealed} of ${v.records} records not sealed yet (checkpoint ${v.checkpoint.tree_size})`,
      problems,
    };
  }
  const retained = v.deleted_by_retention.length;
  return {
    state: "verified",
    text: `Verified against checkpoint ${v.checkpoint.tree_size}${retained ? ` (${retained} deleted by retention)` : ""}`,
    problems,
  };
}
