import { describe, expect, it } from "vitest";
import { defaultSearch, formatHash, hasFilters, parseHash, type ViewState } from "../../src/url-state.js";

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
      { view: "analytics", windows: { "failure-phases": "30d" }, chart: "failure-phases" },
      { view: "analytics", windows: {}, chart: "slowest-orchestrations" },
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

  it("points at one chart with chart=, which is no window", () => {
    expect(formatHash({ view: "analytics", windows: {}, chart: "retry-analysis" })).toBe(
      "#/analytics?chart=retry-analysis",
    );
    expect(parseHash("#/analytics?retry-analysis=7d&chart=retry-analysis")).toEqual({
      view: "analytics",
      windows: { "retry-analysis": "7d" },
      chart: "retry-analysis",
    });
    expect(parseHash("#/analytics?chart=")).toEqual({ view: "analytics", windows: {} });
  });

  it("tells a filtered search from the plain list, whatever its page", () => {
    expect(hasFilters(defaultSearch())).toBe(false);
    expect(hasFilters({ ...defaultSearch(), source: "processor", cursors: ["c1"] })).toBe(false);
    expect(hasFilters({ ...defaultSearch(), reason: "timeout" })).toBe(true);
    expect(hasFilters({ ...defaultSearch(), since: "2026-12-01T00:00:00.000Z" })).toBe(true);
  });

  it("falls back to the default search for an empty, unknown or incomplete hash, and drops bad values", () => {
    expect(parseHash("")).toEqual(defaultSearch());
    expect(parseHash("#/incident/%E0%A4%A")).toEqual(defaultSearch());
    expect(parseHash("#/nowhere")).toEqual(defaultSearch());
    expect(parseHash("#/incident/")).toEqual(defaultSearch());
    expect(parseHash("#/search?source=database&status=%20&phase=x")).toEqual(defaultSearch());
  });
});
