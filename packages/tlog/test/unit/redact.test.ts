import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  canonicalJson,
  generateSignerKey,
  isRedactedAt,
  parseSignerKey,
  REDACTED_PREFIX,
  redactedValue,
  redactionKeyOf,
  redactRecord,
} from "../../src/index.js";

const record = {
  event_id: "0b7c1a5e-4d0f-4f4e-9a57-2f1f0c3f9d10",
  correlation_id: "rr-1",
  payload: { failure_reason: "token abc leaked", nested: { b: 2, a: 1 }, count: 3 },
};

describe("redaction", () => {
  it("replaces each named field by the HMAC-SHA256 of its canonical JSON, leaving the record as it was", () => {
    const key = Buffer.alloc(32, 7);
    const { record: out, redacted } = redactRecord(
      record,
      ["payload.failure_reason", "payload.nested", "payload.absent", "correlation_id.x"],
      key,
    );
    expect(redacted).toEqual(["payload.failure_reason", "payload.nested"]);
    const hmac = (value: unknown) =>
      REDACTED_PREFIX + createHmac("sha256", key).update(canonicalJson(value)).digest("base64");
    expect(out).toEqual({
      ...record,
      payload: { failure_reason: hmac("token abc leaked"), nested: hmac({ a: 1, b: 2 }), count: 3 },
    });
    expect(JSON.stringify(out)).not.toContain("leaked");
    expect(record.payload.failure_reason).toBe("token abc leaked");
    expect(isRedactedAt(out, redacted)).toBe(true);
    expect(isRedactedAt(record, redacted)).toBe(false);
  });

  it("derives one key per signing key: the same for every replica, another for another key", () => {
    const [a, b] = [generateSignerKey("log-a").signerKey, generateSignerKey("log-a").signerKey];
    const keyA = redactionKeyOf(parseSignerKey(a));
    expect(redactionKeyOf(parseSignerKey(a))).toEqual(keyA);
    expect(redactionKeyOf(parseSignerKey(b))).not.toEqual(keyA);
    expect(redactedValue(keyA, "x")).toBe(redactedValue(redactionKeyOf(parseSignerKey(a)), "x"));
    expect(redactedValue(keyA, "x")).not.toBe(redactedValue(keyA, "y"));
  });
});
