import { readdir, readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { crdManifestFiles, crdManifests, group, version } from "../../src/index.js";

const manifestsDir = new URL("../../manifests/", import.meta.url);

describe("CRD manifests on disk", () => {
  it("are exactly what the zod schemas generate (run `pnpm --filter @kubernaut/crds generate` after a schema change)", async () => {
    const generated = crdManifestFiles();
    const onDisk = (await readdir(manifestsDir)).filter((name) => name.endsWith(".yaml")).sort();
    expect(onDisk).toEqual(generated.map((file) => file.fileName).sort());
    for (const file of generated) {
      expect(await readFile(new URL(file.fileName, manifestsDir), "utf8"), file.fileName).toBe(file.content);
    }
  });

  it("define the four namespaced kinds of kubernaut.ai/v1alpha1 with status subresource and printer columns", () => {
    const manifests = crdManifests();
    expect(manifests.map((manifest) => manifest.spec.names.kind)).toEqual([
      "RemediationRequest",
      "RemediationProcessing",
      "AIAnalysis",
      "WorkflowExecution",
    ]);
    for (const manifest of manifests) {
      expect(manifest.spec.group).toBe(group);
      expect(manifest.spec.scope).toBe("Namespaced");
      const [served] = manifest.spec.versions;
      expect(served?.name).toBe(version);
      expect(served?.subresources).toEqual({ status: {} });
      const columns = served?.additionalPrinterColumns.map((column) => column.name);
      expect(columns).toContain("Phase");
      expect(columns).toContain("Age");
      expect(
        served?.schema.openAPIV3Schema.properties?.status?.properties?.phase?.enum?.length,
      ).toBeGreaterThan(3);
    }
  });
});
