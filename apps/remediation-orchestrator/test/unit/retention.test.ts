import { describe, expect, it } from "vitest";
import { deletedEventId, phaseEventId } from "../../src/event-id.js";
import { AUDIT_FINALIZER } from "../../src/lifecycle.js";
import { deletionStep, finalEventId, retentionStep } from "../../src/retention.js";
import { at, request, settings } from "./fixtures.js";

const expiry = at(100).toISOString();

describe("retentionStep", () => {
  it("leaves running requests alone", () => {
    expect(retentionStep(request({ phase: "executing" }), at(1000), settings)).toEqual({ action: "none" });
  });

  it("confirms the final record before anything else", () => {
    const rr = request({ phase: "failed", retentionExpiryTime: expiry, auditRecorded: false });
    expect(retentionStep(rr, at(1000), settings)).toEqual({
      action: "confirm",
      eventId: phaseEventId("uid-rr-1", "failed"),
      requeueAfterMs: settings.auditConfirmIntervalMs,
    });
  });

  it("waits until expiry once confirmed, then deletes", () => {
    const rr = request({ phase: "completed", retentionExpiryTime: expiry, auditRecorded: true });
    expect(retentionStep(rr, at(40), settings)).toEqual({ action: "wait", requeueAfterMs: 60_000 });
    expect(retentionStep(rr, at(100), settings)).toEqual({ action: "delete" });
  });

  it("never deletes an unconfirmed request, however old", () => {
    const rr = request({ phase: "timeout", retentionExpiryTime: expiry });
    expect(retentionStep(rr, at(10_000_000), settings).action).toBe("confirm");
  });

  it("deletes a duplicate after retention without confirmation (it has no record of its own)", () => {
    const rr = request({ duplicateOf: "rr-0", retentionExpiryTime: expiry });
    expect(finalEventId(rr)).toBeUndefined();
    expect(retentionStep(rr, at(100), settings)).toEqual({ action: "delete" });
  });
});

describe("deletionStep", () => {
  function deleting(status: Parameters<typeof request>[0], deletedAtSeconds = 0) {
    const rr = request(status);
    rr.metadata.finalizers = [AUDIT_FINALIZER];
    rr.metadata.deletionTimestamp = at(deletedAtSeconds).toISOString();
    return rr;
  }

  it("releases at once when the final record is confirmed", () => {
    expect(deletionStep(deleting({ phase: "completed", auditRecorded: true }), at(1), settings)).toEqual({
      action: "release",
    });
  });

  it("holds a deletion until the record is confirmed, then gives up after the maximum wait", () => {
    const rr = deleting({ phase: "completed", auditRecorded: false });
    expect(deletionStep(rr, at(1), settings)).toEqual({
      action: "confirm",
      eventId: phaseEventId("uid-rr-1", "completed"),
      requeueAfterMs: settings.auditConfirmIntervalMs,
    });
    expect(deletionStep(rr, at(settings.finalizerMaxWaitMs / 1000), settings)).toEqual({
      action: "give-up",
      eventId: phaseEventId("uid-rr-1", "completed"),
    });
  });

  it("waits for the deletion record of a request deleted while running", () => {
    expect(deletionStep(deleting({ phase: "analyzing" }), at(1), settings)).toMatchObject({
      action: "confirm",
      eventId: deletedEventId("uid-rr-1"),
    });
  });

  it("does nothing without its finalizer", () => {
    const rr = deleting({ phase: "completed" });
    rr.metadata.finalizers = ["other"];
    expect(deletionStep(rr, at(1), settings)).toEqual({ action: "none" });
  });
});
