import { AuditRecord } from "@kubernaut/schema";
import { describe, expect, it } from "vitest";
import { GroupCommitWriter, WriteQueueFull } from "../../src/write/group-commit.js";
import type { WriteTarget } from "../../src/write/store.js";

const phaseChange = (name: string) =>
  AuditRecord.parse({
    kind: "remediation-orchestration",
    event_id: crypto.randomUUID(),
    alert_fingerprint: `fp-${name}`,
    remediation_name: name,
    overall_phase: "pending",
    start_time: "2026-11-23T09:59:00Z",
  });
const records = (n: number, prefix: string) =>
  Array.from({ length: n }, (_, i) => phaseChange(`${prefix}-${i}`));

/** A database whose statements finish only when the test says so; each answers every id it was sent as new. */
function heldDatabase() {
  const held: (() => void)[] = [];
  const target: WriteTarget = {
    executePrepared: <T>(statement: unknown) =>
      new Promise<T[]>((resolve) => {
        const ids = [...JSON.stringify(statement).matchAll(/\\"event_id\\":\\"([0-9a-f-]{36})\\"/g)].map(
          ([, id]) => ({ event_id: id }),
        );
        held.push(() => resolve(ids as T[]));
      }),
  };
  const release = () => {
    for (const finish of held.splice(0)) finish();
  };
  return { target, release, held };
}

describe("GroupCommitWriter's bounded queue", () => {
  it("refuses a request that would overfill the queue, at once and whole, and takes requests again once it drains", async () => {
    const db = heldDatabase();
    const writer = new GroupCommitWriter(db.target, {
      maxInFlight: 1,
      maxRecords: 1000,
      maxQueuedRecords: 3,
    });

    const running = writer.store(records(5, "a"), new Date()); // goes at once: not queued, however large
    const queued = [writer.store(records(2, "b"), new Date()), writer.store(records(1, "c"), new Date())];
    const refused = writer.store(records(1, "d"), new Date());
    await expect(refused).rejects.toBeInstanceOf(WriteQueueFull);
    await expect(refused).rejects.toThrow("3 records are waiting to be written (at most 3); retry later");

    db.release(); // the first statement ends; the next one takes the 3 queued records
    expect((await running).result.inserted).toBe(5);
    await new Promise((resolve) => setImmediate(resolve));
    expect(db.held).toHaveLength(1);
    // The queue is empty again while that statement runs: a request is taken even beyond the limit.
    const large = writer.store(records(4, "e"), new Date());
    db.release();
    expect((await Promise.all(queued)).map((outcome) => outcome.result.inserted)).toEqual([2, 1]);
    await new Promise((resolve) => setImmediate(resolve));
    db.release();
    expect((await large).result.inserted).toBe(4);
  });
});
