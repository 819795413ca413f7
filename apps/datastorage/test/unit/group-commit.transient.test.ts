import { AuditRecord } from "@kubernaut/schema";
import { describe, expect, it } from "vitest";
import { GroupCommitWriter } from "../../src/write/group-commit.js";
import type { WriteTarget } from "../../src/write/store.js";

const phaseChange = (name: string) =>
  AuditRecord.parse({
    kind: "remediation-orchestration",
    alert_fingerprint: `fp-${name}`,
    remediation_name: name,
    overall_phase: "pending",
    start_time: "2026-11-23T09:59:00Z",
  });

describe("GroupCommitWriter when the database stays unavailable", () => {
  it("retries each statement a few times, then fails every request of its group at once, without splitting it", async () => {
    let statements = 0;
    // A database shutting down: every statement fails with 57P03, as node-postgres reports it.
    const unavailable: WriteTarget = {
      executePrepared: () => {
        statements++;
        return Promise.reject(
          Object.assign(new Error("the database system is shutting down"), { code: "57P03" }),
        );
      },
    };
    const retried: (string | undefined)[] = [];
    const writer = new GroupCommitWriter(unavailable, {
      maxInFlight: 1,
      maxRecords: 1000,
      onRetry: (error) => retried.push(error.code),
    });
    const settled = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => writer.store([phaseChange(`rr-${i}`)], new Date())),
    );

    expect(settled.map((s) => s.status)).toEqual(Array.from({ length: 8 }, () => "rejected"));
    // The first alone, the 7 that waited together: 4 attempts each, no halving (which would only send more
    // statements to a database in trouble).
    expect(statements).toBe(8);
    expect(retried).toEqual(Array.from({ length: 6 }, () => "57P03"));
  });
});
