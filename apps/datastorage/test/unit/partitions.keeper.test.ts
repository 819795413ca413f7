import { describe, expect, it } from "vitest";
import { monthPartitionKeeper } from "../../src/write/partitions.js";

/** A database that records the statements it is given. */
function recording() {
  const ensured: string[] = [];
  return {
    ensured,
    db: {
      execute: async (query: { queryChunks?: unknown[] }) => {
        ensured.push(JSON.stringify(query.queryChunks ?? query));
        return [];
      },
    },
  };
}

describe("monthPartitionKeeper", () => {
  it("checks once per month of receipt, again when the month changes, and again after ten minutes", async () => {
    const { db, ensured } = recording();
    let now = 0;
    const keep = monthPartitionKeeper(db, () => now);

    await keep(new Date("2026-12-01T00:00:00Z"));
    await keep(new Date("2026-12-31T23:59:59Z"));
    expect(ensured).toHaveLength(1);

    await keep(new Date("2027-01-01T00:00:00Z"));
    expect(ensured).toHaveLength(2);

    now += 9 * 60_000;
    await keep(new Date("2027-01-02T00:00:00Z"));
    expect(ensured).toHaveLength(2);
    now += 2 * 60_000;
    await keep(new Date("2027-01-02T00:00:00Z"));
    expect(ensured).toHaveLength(3);
  });

  it("checks again after a failed check", async () => {
    let fail = true;
    let calls = 0;
    const keep = monthPartitionKeeper({
      execute: async () => {
        calls++;
        if (fail) throw new Error("database unreachable");
        return [];
      },
    });
    await expect(keep(new Date("2026-12-01T00:00:00Z"))).rejects.toThrow(/unreachable/);
    fail = false;
    await keep(new Date("2026-12-01T00:00:00Z"));
    await keep(new Date("2026-12-02T00:00:00Z"));
    expect(calls).toBe(2);
  });
});
