import { describe, expect, it } from "vitest";
import { toCsv } from "../../src/routes/analytics/csv.js";

describe("toCsv (RFC 4180)", () => {
  it("writes a header row and CRLF-terminated records", () => {
    expect(
      toCsv(
        ["a", "b"],
        [
          { a: 1, b: "x" },
          { a: 2.5, b: "y" },
        ],
      ),
    ).toBe("a,b\r\n1,x\r\n2.5,y\r\n");
  });

  it("quotes fields holding commas, quotes or line breaks, doubling quotes", () => {
    const rows = [{ v: "a,b" }, { v: 'say "hi"' }, { v: "two\nlines" }, { v: "cr\rhere" }, { v: "plain" }];
    expect(toCsv(["v"], rows)).toBe('v\r\n"a,b"\r\n"say ""hi"""\r\n"two\nlines"\r\n"cr\rhere"\r\nplain\r\n');
  });

  it("writes null and absent values as empty fields, booleans as text, arrays and objects as JSON", () => {
    const row = { n: null, b: false, list: ["x", null], obj: { k: "v,w" } };
    expect(toCsv(["n", "missing", "b", "list", "obj"], [row])).toBe(
      'n,missing,b,list,obj\r\n,,false,"[""x"",null]","{""k"":""v,w""}"\r\n',
    );
  });

  it("answers only the header for no rows", () => {
    expect(toCsv(["a", "b"], [])).toBe("a,b\r\n");
  });

  it("prefixes formula-like text with ' (OWASP CSV injection), but not plain numbers", () => {
    const rows = [
      { v: '=HYPERLINK("http://x")' },
      { v: "+cmd" },
      { v: "-2+3" },
      { v: "@SUM(A1)" },
      { v: "\tTAB" },
      { v: "\rCR" },
      { v: "-1.5" },
      { v: -2 },
      { v: "+3e-4" },
      { v: "a=b" },
    ];
    expect(toCsv(["v"], rows).split("\r\n").slice(1, -1)).toEqual([
      '"\'=HYPERLINK(""http://x"")"',
      "'+cmd",
      "'-2+3",
      "'@SUM(A1)",
      "'\tTAB",
      '"\'\rCR"',
      "-1.5",
      "-2",
      "+3e-4",
      "a=b",
    ]);
  });
});
