import type { AuditVerification } from "@kubernaut/schema";
import { describe, expect, it } from "vitest";
import { verificationBadge } from "../../src/verification.js";

const ID = "0b7c2a56-41f4-4a8e-9a57-6c2f0e1d9b3a";
const base: AuditVerification = {
  verified: true,
  scope: { correlation_id: "rr-1" },
  checkpoint: { tree_size: 1200, root_hash: "3T0vLYvQZ0RzW0QFfG5HP8v4yqtIuRUvoYz6Vq4OvHc=" },
  records: 5,
  leaves: 5,
  problems: [],
  log_problems: [],
  deleted_by_retention: [],
};
const problem = (kind: AuditVerification["problems"][number]["problem"]) => ({
  event_id: ID,
  leaf_index: 7,
  problem: kind,
  detail: "why",
});

describe("verificationBadge", () => {
  it("says verified against the checkpoint, and how many records retention deleted", () => {
    expect(verificationBadge(base)).toEqual({
      state: "verified",
      text: "Verified against checkpoint 1200",
      problems: [],
    });
    const retained = { ...base, deleted_by_retention: [{ event_id: ID, leaf_index: 1, detail: "x" }] };
    expect(verificationBadge(retained).text).toBe(
      "Verified against checkpoint 1200 (1 deleted by retention)",
    );
  });

  it("is pending while records wait for their seal, or before the first checkpoint", () => {
    const waiting = { ...base, verified: false, problems: [problem("not_sealed"), problem("not_sealed")] };
    expect(verificationBadge(waiting)).toMatchObject({
      state: "pending",
      text: "2 of 5 records not sealed yet (checkpoint 1200)",
    });
    expect(verificationBadge({ ...base, verified: false, checkpoint: null })).toMatchObject({
      state: "pending",
      text: "Not sealed yet: no signed checkpoint",
    });
  });

  it("fails naming each record and what is wrong with it, and what is wrong with the log", () => {
    const tampered = {
      ...base,
      verified: false,
      problems: [problem("altered"), problem("not_sealed"), problem("out_of_order")],
      log_problems: ["the latest checkpoint does not verify"],
    };
    expect(verificationBadge(tampered)).toEqual({
      state: "failed",
      text: "Verification failed: 3 problems",
      problems: [
        "the latest checkpoint does not verify",
        `altered: event ${ID}: why`,
        `out of order: event ${ID}: why`,
      ],
    });
  });
});
