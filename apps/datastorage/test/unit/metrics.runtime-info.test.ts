import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { collectProcessMetrics } from "../../src/metrics.js";

describe("process metrics", () => {
  it("leave out the runtime's version unless asked", async () => {
    const quiet = new Registry();
    collectProcessMetrics(quiet);
    const text = await quiet.metrics();
    expect(text).toContain("process_cpu_user_seconds_total");
    expect(text).not.toContain("nodejs_version_info");

    const told = new Registry();
    collectProcessMetrics(told, { runtimeInfo: true });
    expect(await told.metrics()).toContain("nodejs_version_info");
  });
});
