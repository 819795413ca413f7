import { describe, expect, it } from "vitest";
import { extractCurls, shapeDifference } from "../support/markdown-curls.js";

const FENCE = "```";

describe("extractCurls", () => {
  it("joins continuations and quoted bodies over several lines, and reads the documented answer", () => {
    const markdown = [
      "# Title",
      "",
      `${FENCE}sh`,
      "pnpm install",
      "curl -s -X POST localhost:8085/api/v1/x \\",
      "  -H 'Content-Type: application/json' \\",
      `  -d '{"a":1,`,
      `       "b":"# not a comment"}'`,
      `# {"inserted":1,"event_ids":["…"]}`,
      "# more prose",
      'curl -s localhost:8085/api/v1/limits     # {"max":1}',
      "curl -s localhost:8085/healthz # prose, not an answer",
      FENCE,
      "",
      `${FENCE}json`,
      "curl -s not-a-shell-block",
      FENCE,
    ].join("\n");
    expect(extractCurls(markdown, "README.md")).toEqual([
      {
        where: "README.md:5",
        command: `curl -s -X POST localhost:8085/api/v1/x    -H 'Content-Type: application/json'    -d '{"a":1,\n       "b":"# not a comment"}'`,
        documented: '{"inserted":1,"event_ids":["…"]}',
      },
      { where: "README.md:11", command: "curl -s localhost:8085/api/v1/limits", documented: '{"max":1}' },
      { where: "README.md:12", command: "curl -s localhost:8085/healthz" },
    ]);
  });

  it("marks every curl of a block preceded by a not-run comment, and only that block", () => {
    const markdown = [
      "<!-- not-run: needs a token -->",
      "",
      `${FENCE}bash`,
      "curl -s -H 'Authorization: Bearer $TOKEN' localhost:8085/api/v1/limits",
      FENCE,
      `${FENCE}sh`,
      "curl -s localhost:8085/healthz",
      FENCE,
    ].join("\n");
    expect(extractCurls(markdown, "a.md")).toEqual([
      {
        where: "a.md:4",
        command: "curl -s -H 'Authorization: Bearer $TOKEN' localhost:8085/api/v1/limits",
        notRun: "needs a token",
      },
      { where: "a.md:7", command: "curl -s localhost:8085/healthz" },
    ]);
  });

  it("refuses a command whose quote never closes", () => {
    expect(() => extractCurls(`${FENCE}sh\ncurl -d '{"a":1}\n${FENCE}`, "b.md")).toThrow(
      "line 2: the curl command's ' quote is never closed",
    );
  });
});

describe("shapeDifference", () => {
  it("matches scalars exactly and … as any value or any string with that start", () => {
    expect(
      shapeDifference({ n: 1, ids: ["…"], id: "6f1c-…" }, { n: 1, ids: ["x"], id: "6f1c-2d" }),
    ).toBeUndefined();
    expect(shapeDifference({ n: 1 }, { n: 2 })).toBe("$.n: expected 1, got 2");
    expect(shapeDifference({ ids: ["…"] }, { ids: [] })).toBe("$.ids: expected 1 items, got 0");
    expect(shapeDifference({ a: 1 }, { a: 1, b: 2 })).toBe("$: expected keys a, got a, b");
    expect(shapeDifference({ id: "6f1c-…" }, { id: "7" })).toBe(
      '$.id: expected a string starting "6f1c-", got "7"',
    );
  });
});
