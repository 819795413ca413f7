import { describe, expect, it } from "vitest";
import { duplicateTally, findOriginal, fingerprintLabelValue, markDuplicate } from "../../src/duplicates.js";
import { at, request, settings } from "./fixtures.js";

function created(name: string, seconds: number, status?: Parameters<typeof request>[0]) {
  const rr = request(status, name);
  rr.metadata.creationTimestamp = at(seconds).toISOString();
  return rr;
}

describe("fingerprintLabelValue", () => {
  it("uses the fingerprint when it is a valid label value, else a hash", () => {
    expect(fingerprintLabelValue("mem-pressure-prod-123")).toBe("mem-pressure-prod-123");
    const long = "a".repeat(64);
    const hashed = fingerprintLabelValue(long);
    expect(hashed).toMatch(/^sha256-[0-9a-f]{56}$/);
    expect(hashed.length).toBeLessThanOrEqual(63);
    expect(fingerprintLabelValue("alert/with spaces")).toMatch(/^sha256-/);
    expect(fingerprintLabelValue("alert/with spaces")).not.toBe(fingerprintLabelValue("alert/with  spaces"));
  });
});

describe("findOriginal", () => {
  it("finds the active remediation a new request duplicates", () => {
    const original = created("rr-a", 0, { phase: "processing" });
    const fresh = created("rr-b", 10);
    expect(findOriginal(fresh, [original, fresh])).toBe(original);
  });

  it("ignores finished, duplicate and deleting requests, and other fingerprints", () => {
    const fresh = created("rr-new", 100);
    const others = [
      created("done", 0, { phase: "completed" }),
      created("dup", 1, { duplicateOf: "done" }),
      {
        ...created("deleting", 2, { phase: "executing" }),
        metadata: { ...created("deleting", 2).metadata, deletionTimestamp: at(50).toISOString() },
      },
      {
        ...created("other", 3, { phase: "analyzing" }),
        spec: { ...created("other", 3).spec, signalFingerprint: "x" },
      },
    ];
    expect(findOriginal(fresh, [...others, fresh])).toBeUndefined();
  });

  it("prefers a request already under way to an older one that has not started", () => {
    const older = created("rr-older", 0);
    const started = created("rr-started", 5, { phase: "pending" });
    expect(findOriginal(older, [older, started])).toBe(started);
  });

  it("picks the same original from either side when two arrive at once", () => {
    const a = created("rr-a", 5);
    const b = created("rr-b", 5);
    expect(findOriginal(a, [a, b])).toBeUndefined();
    expect(findOriginal(b, [a, b])).toBe(a);
  });
});

describe("duplicate bookkeeping", () => {
  it("marks a duplicate finished, with retention and a Duplicate condition", () => {
    const status = markDuplicate(created("rr-b", 10), created("rr-a", 0), at(10), settings);
    expect(status).toMatchObject({
      duplicateOf: "rr-a",
      completedAt: at(10).toISOString(),
      retentionExpiryTime: new Date(at(10).getTime() + settings.retentionMs).toISOString(),
    });
    expect(status.phase).toBeUndefined();
    expect(status.conditions?.[0]).toMatchObject({ type: "Duplicate", status: "True" });
  });

  it("counts the duplicates of the original and the latest one's time", () => {
    const original = created("rr-a", 0, { phase: "processing" });
    const group = [
      original,
      created("rr-b", 10, { duplicateOf: "rr-a" }),
      created("rr-c", 20, { duplicateOf: "rr-a" }),
      created("rr-d", 30, { duplicateOf: "rr-z" }),
    ];
    expect(duplicateTally(original, group)).toEqual({
      duplicateCount: 2,
      lastDuplicateTime: at(20).toISOString(),
    });
    original.status = { phase: "processing", duplicateCount: 2 };
    expect(duplicateTally(original, group)).toBeUndefined();
    expect(duplicateTally(original, [original])).toBeUndefined();
  });
});
