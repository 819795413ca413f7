import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { kubectl, kubectlOk, repoRoot } from "../support/kubectl.js";

const overlays = ["dev", "prod"] as const;

function render(overlay: string): string {
  return kubectlOk(["kustomize", join("deploy", "overlays", overlay)]);
}

interface ObjectRef {
  kind: string;
  name: string;
}

function objectsOf(rendered: string): ObjectRef[] {
  return parseAllDocuments(rendered).map((doc) => {
    const value = doc.toJSON() as { kind: string; metadata: { name: string } };
    return { kind: value.kind, name: value.metadata.name };
  });
}

describe("deploy/ manifests", () => {
  beforeAll(() => {
    // Namespaced objects are only dry-run-created in a namespace that exists.
    kubectlOk(["apply", "-f", join("deploy", "base", "namespace.yaml")]);
    kubectlOk(["apply", "-f", join("test-e2e", "test", "support", "servicemonitor-crd.yaml")]);
    kubectlOk([
      "wait",
      "--for=condition=Established",
      "--timeout=120s",
      "crd/servicemonitors.monitoring.coreos.com",
    ]);
  });

  it("carries the CRDs of packages/crds byte for byte", () => {
    const source = join(repoRoot, "packages", "crds", "manifests");
    const target = join(repoRoot, "deploy", "base", "crds");
    const names = readdirSync(source).sort();
    expect(readdirSync(target).sort()).toEqual(names);
    for (const name of names) {
      expect(readFileSync(join(target, name), "utf8"), `${name}: run scripts/sync-crds.sh`).toBe(
        readFileSync(join(source, name), "utf8"),
      );
    }
  });

  for (const overlay of overlays) {
    it(`${overlay}: every object passes the API server's validation (apply --dry-run=server)`, () => {
      const rendered = render(overlay);
      const objects = objectsOf(rendered);
      const result = kubectl(["apply", "--dry-run=server", "-f", "-"], rendered);
      // kubectl warns about CRDs the test setup created without apply; anything else on stderr is a problem.
      const problems = result.stderr.split("\n").filter((l) => l !== "" && !l.startsWith("Warning:"));
      expect(problems).toEqual([]);
      expect(result.status).toBe(0);
      for (const { kind, name } of objects) {
        expect(result.stdout, `${kind}/${name}`).toMatch(
          new RegExp(`${kind.toLowerCase()}[^ ]*/${name} .*\\(server dry run\\)`),
        );
      }
    });
  }

  it("prod has a ServiceMonitor and the Grafana dashboard; dev has PostgreSQL and no ServiceMonitor", () => {
    const prod = objectsOf(render("prod"));
    const dev = objectsOf(render("dev"));
    expect(prod.filter((o) => o.kind === "ServiceMonitor").length).toBeGreaterThan(0);
    expect(prod).toContainEqual({ kind: "ConfigMap", name: "kubernaut-grafana-dashboard" });
    expect(prod.some((o) => o.kind === "StatefulSet")).toBe(false);
    expect(dev).toContainEqual({ kind: "StatefulSet", name: "postgres" });
    expect(dev.some((o) => o.kind === "ServiceMonitor")).toBe(false);
  });

  it("an invalid object is refused by the same dry run (the check can fail)", () => {
    const broken = [
      "apiVersion: apps/v1",
      "kind: Deployment",
      "metadata: { name: broken, namespace: kubernaut-system }",
      "spec:",
      "  replicas: -1",
      "  selector: { matchLabels: { app: broken } }",
      "  template:",
      "    metadata: { labels: { app: broken } }",
      "    spec: { containers: [{ name: c, image: busybox }] }",
    ].join("\n");
    const result = kubectl(["apply", "--dry-run=server", "-f", "-"], broken);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/replicas/);
  });
});
