import { describe, expect, it } from "vitest";
import { defaultSearch, formatHash, parseHash, type ViewState } from "../../src/url-state.js";

describe("URL state", () => {
  it("round-trips every view through the hash", () => {
    const states: ViewState[] = [
      defaultSearch(),
      {
        view: "search",
        source: "processor",
        status: "failed",
        environment: "production",
        namespace: "payments",
        signal: "PodOOMKilled",
        fingerprint: "oom/ns a&b",
        reason: "100% of pods",
        since: "2026-12-01T00:00:00.000Z",
        until: "2026-12-02T00:00:00.000Z",
        cursors: ["c1", "c2=="],
      },
      { view: "incident", fingerprint: "fp/with spaces", remediation: "rr-1", record: "e-1" },
      { view: "incident", fingerprint: "fp-1" },
      { view: "analytics", windows: { "failure-phases": "30d", "retry-analysis": "7d" } },
      { view: "analytics", windows: {} },
    ];
    for (const state of states) expect(parseHash(formatHash(state))).toEqual(state);
  });

  it("leaves defaults out of the hash", () => {
    expect(formatHash(defaultSearch())).toBe("#/search");
    expect(formatHash({ view: "analytics", windows: {} })).toBe("#/analytics");
    expect(formatHash({ view: "incident", fingerprint: "fp-1", remediation: "rr-1" })).toBe(
      "#/incident/fp-1?remediation=rr-1",
    );
  });

  it("falls back to the default search for an empty, unknown or incomplete hash, and drops bad values", () => {
    expect(parseHash("")).toEqual(defaultSearch());
    expect(parseHash("#/incident/%E0%A4%A")).toEqual(defaultSearch());
    expect(parseHash("#/nowhere")).toEqual(defaultSearch());
    expect(parseHash("#/incident/")).toEqual(defaultSearch());
    expect(parseHash("#/search?source=database&status=%20&phase=x")).toEqual(defaultSearch());
  });
});
