import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { kubectlOk, repoRoot } from "../support/kubectl.js";

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
}
interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, { env?: Record<string, string>; steps: Step[] }>;
}

// The workflow cannot run here (no container engine); these checks keep it in step with the repository.
const workflow = parse(readFileSync(join(repoRoot, ".github", "workflows", "e2e.yml"), "utf8")) as Workflow;
const jobs = Object.values(workflow.jobs);
const job = jobs[0] ?? { steps: [] };
const steps = job.steps;
const env = job.env ?? {};
const rootPackage = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as {
  packageManager: string;
  scripts: Record<string, string>;
};

/** The index of the first step whose `run` matches, or -1. */
const stepRunning = (pattern: RegExp) => steps.findIndex((s) => s.run !== undefined && pattern.test(s.run));
/** `$VAR` of the job's env, so that commands can be checked as they will run. */
const expand = (text: string) =>
  text.replace(/"?\$\{?([A-Z_]+)\}?"?/g, (all, name: string) => env[name] ?? all);

describe(".github/workflows/e2e.yml", () => {
  it("runs on every push and pull request, one job", () => {
    expect(Object.keys(workflow.on).sort()).toEqual(["pull_request", "push"]);
    expect(jobs).toHaveLength(1);
  });

  it("sets up Node 22 and the pnpm of package.json, installs from the lockfile and builds", () => {
    const node = steps.find((s) => s.uses?.startsWith("actions/setup-node@"));
    expect(node?.with?.["node-version"]).toBe(22);
    const pnpm = steps.find((s) => s.uses?.startsWith("pnpm/action-setup@"));
    // The action takes the version from packageManager and fails when `version` is given as well.
    expect(pnpm?.with?.version).toBeUndefined();
    expect(rootPackage.packageManager).toBe("pnpm@10.34.8");
    expect(stepRunning(/^pnpm install --frozen-lockfile$/)).toBeGreaterThan(-1);
    expect(stepRunning(/^pnpm build$/)).toBeGreaterThan(stepRunning(/^pnpm install/));
  });

  it("builds every app image and loads it into the kind cluster it created", () => {
    const kind = steps.find((s) => s.uses?.startsWith("helm/kind-action@"));
    const build = steps[stepRunning(/scripts\/build-images\.sh/)];
    expect(kind?.with?.cluster_name).toBeDefined();
    const command = expand(build?.run ?? "").trim();
    // No app list after the options: the script then builds every app with a port.
    expect(command).toBe(`scripts/build-images.sh --tag dev --kind-load ${kind?.with?.cluster_name}`);
  });

  it("deploys deploy/overlays/dev and waits for every workload it renders", () => {
    const deploy = steps[stepRunning(/kubectl apply -k deploy\/overlays\/dev/)];
    expect(deploy).toBeDefined();
    const objects = parseAllDocuments(kubectlOk(["kustomize", join("deploy", "overlays", "dev")])).map(
      (doc) => doc.toJSON() as { kind: string; metadata: { name: string } },
    );
    const waits = expand(deploy?.run ?? "");
    for (const { kind, metadata } of objects) {
      if (kind === "Deployment" || kind === "StatefulSet") {
        expect(waits).toContain(`rollout status ${kind.toLowerCase()}/${metadata.name}`);
      }
      if (kind === "Job") expect(waits).toContain(`--for=condition=complete job/${metadata.name}`);
    }
  });

  it("runs the same specs as `pnpm test:e2e`, in kind mode, against a kept-alive port-forward", () => {
    const forward = stepRunning(/port-forward svc\/data-storage 8085:8085/);
    expect(steps[forward]?.run).toMatch(/while true/);
    const specs = steps[stepRunning(/test:e2e/)];
    expect(specs?.run).toBe("pnpm --filter @kubernaut/test-e2e test:e2e");
    expect(rootPackage.scripts["test:e2e"]).toContain(specs?.run);
    expect(specs?.env).toMatchObject({ E2E_MODE: "kind", STORAGE_URL: "http://127.0.0.1:8085" });
    expect(steps.indexOf(specs as Step)).toBeGreaterThan(forward);
    // kind-system.ts and the global setup find the cluster through $KUBECONFIG.
    expect(stepRunning(/KUBECONFIG=.*>> "\$GITHUB_ENV"/)).toBeGreaterThan(-1);
  });

  it("dumps the pods' logs when a step failed", () => {
    const dump = steps.find((s) => s.if === "failure()");
    expect(dump?.run).toMatch(/kubectl .*logs/);
  });
});
