import { describe, expect, it } from "vitest";
import { type AlteredEntry, findSwaps, recordLeafHash } from "../../src/index.js";

const sealed = (id: string, leafIndex: number, record: Record<string, unknown>) => ({
  id,
  leafIndex,
  leafHash: recordLeafHash(record),
});

describe("findSwaps", () => {
  const a = { event_id: "a", occurred_at: "t1", payload: { phase: "pending" } };
  const b = { event_id: "b", occurred_at: "t2", payload: { phase: "completed" } };
  const c = { event_id: "c", occurred_at: "t3", payload: { phase: "failed" } };

  it("names two rows whose times were exchanged, and two whose contents were", () => {
    const times: AlteredEntry[] = [
      { ...sealed("a", 0, a), record: { ...a, occurred_at: "t2" } },
      { ...sealed("b", 1, b), record: { ...b, occurred_at: "t1" } },
    ];
    expect(findSwaps(times, [["occurred_at"]], ["event_id"]).map((s) => [s.a.id, s.b.id, s.fields])).toEqual([
      ["a", "b", ["occurred_at"]],
    ]);
    const contents: AlteredEntry[] = [
      { ...sealed("a", 0, a), record: { ...b, event_id: "a" } },
      { ...sealed("c", 2, c), record: { ...c, payload: { phase: "edited" } } },
      { ...sealed("b", 1, b), record: { ...a, event_id: "b" } },
    ];
    const swaps = findSwaps(contents, [["occurred_at"]], ["event_id"]);
    expect(swaps.map((s) => [s.a.id, s.b.id])).toEqual([["a", "b"]]);
    expect(swaps[0]?.fields.sort()).toEqual(["occurred_at", "payload"]);
  });

  it("two independent edits are no swap", () => {
    const edits: AlteredEntry[] = [
      { ...sealed("a", 0, a), record: { ...a, occurred_at: "t9" } },
      { ...sealed("b", 1, b), record: { ...b, occurred_at: "t8" } },
    ];
    expect(findSwaps(edits, [["occurred_at"]], ["event_id"])).toEqual([]);
  });
});
