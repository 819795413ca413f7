import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { testKubeConfig } from "@kubernaut/testing/kube";
import { CustomObjectsApi } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { crdManifests } from "../../src/index.js";

const run = promisify(execFile);
const manifestsDir = fileURLToPath(new URL("../../manifests/", import.meta.url));

async function kubectlAvailable(): Promise<boolean> {
  try {
    await run("kubectl", ["version", "--client"]);
    return true;
  } catch {
    return false;
  }
}

describe("the CRD manifests on disk", () => {
  it("pass a server-side dry run through the API (dryRun=All)", async () => {
    const api = testKubeConfig().makeApiClient(CustomObjectsApi);
    const path = { group: "apiextensions.k8s.io", version: "v1", plural: "customresourcedefinitions" };
    for (const manifest of crdManifests()) {
      const current = (await api.getClusterCustomObject({ ...path, name: manifest.metadata.name })) as {
        metadata: { resourceVersion: string };
      };
      const body = {
        ...manifest,
        metadata: { ...manifest.metadata, resourceVersion: current.metadata.resourceVersion },
      };
      const answer = (await api.replaceClusterCustomObject({
        ...path,
        name: manifest.metadata.name,
        body,
        dryRun: "All",
      })) as {
        spec: unknown;
      };
      expect(answer.spec).toMatchObject({ group: manifest.spec.group, names: manifest.spec.names });
    }
  });

  it("apply cleanly with kubectl apply --dry-run=server, when kubectl is installed", async (context) => {
    if (!(await kubectlAvailable())) {
      context.skip("kubectl is not installed; the API dry run above covers the same server-side validation");
    }
    const { stdout } = await run("kubectl", ["apply", "--dry-run=server", "-f", manifestsDir], {
      env: process.env,
    });
    for (const manifest of crdManifests()) {
      expect(stdout).toContain(`customresourcedefinition.apiextensions.k8s.io/${manifest.metadata.name}`);
    }
    expect(stdout).toContain("(server dry run)");
  });
});
