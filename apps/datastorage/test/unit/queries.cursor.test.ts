import { describe, expect, it } from "vitest";
import { z } from "zod";
import { decodeCursor, encodeCursor } from "../../src/routes/queries/cursor.js";

const integerId = z.string().regex(/^[1-9]\d*$/);
const uuidId = z.guid();

describe("list cursors", () => {
  it("round-trips the position with the database's microseconds", () => {
    const cursor = { createdAt: "2026-11-23T10:00:00.123456+00:00", id: "42" };
    const text = encodeCursor(cursor);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(text, integerId)).toEqual(cursor);
  });

  it("refuses text that is not a cursor, or a cursor of a list with other ids", () => {
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    expect(decodeCursor("not base64!", integerId)).toBeNull();
    expect(decodeCursor(Buffer.from("{oops").toString("base64url"), integerId)).toBeNull();
    expect(decodeCursor(encode(["2026-11-23T10:00:00Z"]), integerId)).toBeNull();
    expect(decodeCursor(encode(["yesterday", "1"]), integerId)).toBeNull();
    expect(decodeCursor(encode(["2026-11-23T10:00:00Z", "1"]), uuidId)).toBeNull();
    expect(
      decodeCursor(encode(["2026-11-23T10:00:00Z", "0b7c1a5e-4d0f-4f4e-9a57-2f1f0c3f9d10"]), integerId),
    ).toBeNull();
  });
});
