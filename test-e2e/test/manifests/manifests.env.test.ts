import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { kubectlOk, repoRoot } from "../support/kubectl.js";

interface EnvVar {
  name: string;
}
interface Container {
  image: string;
  env?: EnvVar[];
}
interface Workload {
  kind: string;
  metadata: { name: string };
  spec: { template: { spec: { containers: Container[]; terminationGracePeriodSeconds?: number } } };
}

/**
 * The source of an app's ConfigSchema: its src/config.ts and, when that spreads `controllerEnv(...)`, the
 * body of `controllerEnv` in controller-kit (the variables every controller reads).
 */
function configSources(app: string): string[] {
  const own = readFileSync(join(repoRoot, "apps", app, "src", "config.ts"), "utf8");
  if (!own.includes("...controllerEnv(")) return [own];
  const kit = readFileSync(
    join(repoRoot, "packages", "controller-kit", "src", "controller-config.ts"),
    "utf8",
  );
  const body = /^export function controllerEnv\([\s\S]*?^}$/m.exec(kit)?.[0];
  if (!body) throw new Error("packages/controller-kit/src/controller-config.ts has no controllerEnv");
  return [own, body];
}

/** The environment variables an app reads: the keys of its ConfigSchema object. */
function variablesReadBy(app: string): Set<string> {
  return new Set(
    configSources(app).flatMap((source) =>
      [...source.matchAll(/^ {2,4}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1] as string),
    ),
  );
}

/** A Go duration default such as `10_000` (ms) from `NAME: durationMs(..).default(10_000)`. */
function defaultMs(app: string, name: string): number {
  const pattern = new RegExp(`${name}: [^\\n]*\\.default\\(([0-9_]+)\\)`);
  const match = configSources(app)
    .map((source) => pattern.exec(source))
    .find((found) => found?.[1]);
  if (!match?.[1]) throw new Error(`the config schema of apps/${app} has no numeric default for ${name}`);
  return Number(match[1].replaceAll("_", ""));
}

const workloads = parseAllDocuments(kubectlOk(["kustomize", join("deploy", "overlays", "prod")]))
  .map((doc) => doc.toJSON() as Workload)
  .filter((o) => o.kind === "Deployment" || o.kind === "Job");

describe("deploy/ environment matches the code", () => {
  for (const workload of workloads) {
    for (const container of workload.spec.template.spec.containers) {
      const app = /^kubernaut\/([a-z-]+)/.exec(container.image)?.[1];
      if (!app) continue;
      it(`${workload.kind}/${workload.metadata.name} sets only variables apps/${app} reads`, () => {
        const read = variablesReadBy(app);
        const unknown = (container.env ?? []).map((e) => e.name).filter((name) => !read.has(name));
        expect(unknown, `not read by the config schema of apps/${app}`).toEqual([]);
      });
      if (workload.kind === "Deployment") {
        it(`Deployment/${workload.metadata.name} gives SIGTERM time to flush (grace > SHUTDOWN_TIMEOUT)`, () => {
          const grace = workload.spec.template.spec.terminationGracePeriodSeconds ?? 30;
          expect(grace * 1000).toBeGreaterThan(defaultMs(app, "SHUTDOWN_TIMEOUT"));
        });
      }
    }
  }

  it("found the four apps' workloads and the migration Job", () => {
    expect(workloads.map((w) => `${w.kind}/${w.metadata.name}`).sort()).toEqual([
      "Deployment/ai-analysis",
      "Deployment/datastorage",
      "Deployment/remediation-orchestrator",
      "Deployment/remediation-processor",
      "Job/datastorage-migrate",
    ]);
  });
});
