import { describe, expect, it } from "vitest";
import {
  generateSignerKey,
  leafRanges,
  NoteError,
  parseSignerKey,
  parseVerifierKey,
  RETENTION_CORRELATION_ID,
  RETENTION_DELETED_EVENT,
  type RetentionStatement,
  retainedBy,
  retentionNoteText,
  retentionRangeOf,
  signRetentionStatement,
} from "../../src/index.js";

const key = generateSignerKey("audit.test/log");
const signer = parseSignerKey(key.signerKey);
const verifier = parseVerifierKey(key.verifierKey);
const other = parseSignerKey(generateSignerKey("audit.test/log").signerKey);

const EVENT_ID = "6f0c3c0e-1b1e-4c53-9d3e-2f1f4d3b8a10";
const statement: RetentionStatement = {
  origin: "audit.test/log",
  eventId: EVENT_ID,
  runId: "0d9b1f5e-8a3c-4a7e-b1b2-3c4d5e6f7a8b",
  cutoff: "2026-09-02T00:00:00.000Z",
  leaves: [
    [0, 3],
    [5, 9],
  ],
};

/** A sealed retention record as the service appends it, its statement signed by `by`. */
const record = (by = signer, eventId = EVENT_ID, extra: Record<string, unknown> = {}) => ({
  event_id: eventId,
  correlation_id: RETENTION_CORRELATION_ID,
  event_type: RETENTION_DELETED_EVENT,
  payload: { run_id: statement.runId, note: signRetentionStatement(statement, by), ...extra },
});

describe("retention statements", () => {
  it("says the exact leaves deleted, one line per range", () => {
    expect(retentionNoteText(statement)).toBe(
      `kubernaut-audit/retention/v1\norigin audit.test/log\nevent ${EVENT_ID}\nrun ${statement.runId}\ncutoff 2026-09-02T00:00:00.000Z\nleaves 0 3\nleaves 5 9\n`,
    );
    expect(() =>
      retentionNoteText({
        ...statement,
        leaves: [
          [5, 9],
          [0, 3],
        ],
      }),
    ).toThrow(NoteError);
    expect(() => retentionNoteText({ ...statement, leaves: [[3, 3]] })).toThrow(NoteError);
  });

  it("vouches for the leaves it names, and no others, below its own leaf", () => {
    const range = retentionRangeOf(record(), 20, verifier);
    expect(range).toEqual({
      runId: statement.runId,
      cutoff: statement.cutoff,
      leaves: [
        [0, 3],
        [5, 9],
      ],
    });
    const ranges = range === null ? [] : [range];
    for (const leaf of [0, 2, 5, 8]) expect(retainedBy(ranges, leaf), String(leaf)).toBeDefined();
    for (const leaf of [3, 4, 9, 10]) expect(retainedBy(ranges, leaf), String(leaf)).toBeUndefined();
    expect(retentionRangeOf(record(), 6, verifier)?.leaves).toEqual([
      [0, 3],
      [5, 6],
    ]);
  });

  it("vouches for nothing unless signed by the log's key for this very record", () => {
    expect(retentionRangeOf(record(other), 20, verifier)).toBeNull();
    expect(retentionRangeOf(record(signer, "7a1d2e3f-0000-4000-8000-000000000000"), 20, verifier)).toBeNull();
    const forged = record();
    forged.payload.note = forged.payload.note.replace("leaves 5 9", "leaves 5 19");
    expect(retentionRangeOf(forged, 20, verifier)).toBeNull();
    expect(retentionRangeOf({ ...record(), payload: { from_leaf: 0, to_leaf: 9 } }, 20, verifier)).toBeNull();
    expect(retentionRangeOf({ ...record(), event_type: "remediation.completed" }, 20, verifier)).toBeNull();
  });

  it("turns sorted leaf indices into ranges", () => {
    expect(leafRanges([])).toEqual([]);
    expect(leafRanges([3, 4, 5, 9, 11, 12])).toEqual([
      [3, 6],
      [9, 10],
      [11, 13],
    ]);
    expect(leafRanges([1, 1, 2])).toEqual([[1, 3]]);
  });
});
