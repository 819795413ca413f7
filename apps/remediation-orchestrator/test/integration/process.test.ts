import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

/** The built controller as an operator starts it. */
const MAIN = join(import.meta.dirname, "..", "..", "dist", "main.js");
const home = mkdtempSync(join(tmpdir(), "orchestrator-home-"));
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe("remediation-orchestrator start-up", () => {
  it("without a cluster to talk to: one line saying what to set, exit 1", () => {
    const started = spawnSync(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH ?? "", HOME: home },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(started.status, started.stderr).toBe(1);
    expect(started.stderr).toBe(
      "remediation-orchestrator: no Kubernetes configuration found: set KUBECONFIG, provide ~/.kube/config, or run in a pod with a service account\n",
    );
  });

  it("with a configuration that is wrong: each problem named, exit 1", () => {
    const started = spawnSync(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH ?? "", HOME: home, KUBECONFIG: join(home, "missing") },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(started.status, started.stderr).toBe(1);
    expect(started.stderr).toMatch(/^remediation-orchestrator: invalid configuration:\n {2}KUBECONFIG: /);
    expect(started.stderr).not.toMatch(/^\s+at /m);
  });
});
