import { describe, expect, it } from "vitest";
import { canonicalJson, leafHash, recordLeafHash } from "../../src/index.js";

/** RFC 8785 (JCS): sorted members, ECMAScript numbers, no white space. */
describe("canonical JSON", () => {
  it("sorts members by UTF-16 code units and serialises numbers as ECMAScript does (RFC 8785 §3.2.2, appendix B)", () => {
    const value = {
      numbers: JSON.parse("[333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001]"),
      string: '€$\u000f\nA\'B"\\\\"/',
      literals: [null, true, false],
    };
    expect(canonicalJson(value).toString("utf8")).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
    expect(
      canonicalJson({ "\u20ac": 1, "\r": 2, "\ud83d\ude00": 3, "1": 4, "\u0080": 5 }).toString("utf8"),
    ).toBe('{"\\r":2,"1":4,"\u0080":5,"\u20ac":1,"\ud83d\ude00":3}');
  });

  it("the same record in any member order has one leaf hash: SHA-256(0x00 ‖ canonical bytes)", () => {
    const a = recordLeafHash({ event_id: "e1", payload: { b: 1, a: [1, 2] } });
    const b = recordLeafHash({ payload: { a: [1, 2], b: 1.0 }, event_id: "e1" });
    expect(a.equals(b)).toBe(true);
    expect(a.equals(leafHash(Buffer.from('{"event_id":"e1","payload":{"a":[1,2],"b":1}}')))).toBe(true);
    expect(a.equals(recordLeafHash({ event_id: "e1", payload: { b: 2, a: [1, 2] } }))).toBe(false);
  });
});
