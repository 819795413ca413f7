import { parseSpanMs } from "@kubernaut/schema";
import { describe, expect, it } from "vitest";
import { resolveWindow } from "../../src/routes/analytics/window.js";

const NOW = new Date("2026-11-23T12:00:00.000Z");
const DAY = 86_400_000;

describe("parseSpanMs", () => {
  it.each([
    ["7d", 7 * DAY],
    ["24h", DAY],
    ["90m", 90 * 60_000],
    ["1h30m", 90 * 60_000],
    ["1.5h", 90 * 60_000],
    ["2d12h", 2.5 * DAY],
    ["500ms", 500],
  ])("%s is %i ms", (text, ms) => {
    expect(parseSpanMs(text)).toBe(ms);
  });
});

describe("resolveWindow", () => {
  it("defaults to the seed's span back from now, with no upper bound in SQL", () => {
    expect(resolveWindow({}, 7 * DAY, NOW)).toEqual({
      since: new Date(NOW.getTime() - 7 * DAY).toISOString(),
      until: null,
      reportedUntil: NOW.toISOString(),
    });
  });

  it("is open at the start for a seed without a window", () => {
    expect(resolveWindow({}, null, NOW)).toEqual({
      since: null,
      until: null,
      reportedUntil: NOW.toISOString(),
    });
  });

  it("takes window back from until when both are given", () => {
    const until = "2026-11-10T00:00:00Z";
    expect(resolveWindow({ window: "24h", until }, 7 * DAY, NOW)).toEqual({
      since: "2026-11-09T00:00:00.000Z",
      until,
      reportedUntil: until,
    });
  });

  it("never reaches before year 1, which PostgreSQL could not read back", () => {
    const until = "0050-01-01T00:00:00Z";
    expect(resolveWindow({ window: "36500d", until }, 7 * DAY, NOW).since).toBe("0001-01-01T00:00:00.000Z");
  });

  it("keeps since and until exactly as given (microseconds included)", () => {
    const since = "2026-11-01T00:00:00.123456Z";
    expect(resolveWindow({ since }, 7 * DAY, NOW)).toEqual({
      since,
      until: null,
      reportedUntil: NOW.toISOString(),
    });
  });
});
