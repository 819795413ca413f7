import { stringify } from "yaml";
import { crdManifests } from "./manifests.js";

export interface ManifestFile {
  /** File name under `manifests/`, e.g. `remediationrequests.kubernaut.ai.yaml`. */
  fileName: string;
  content: string;
}

const header =
  "# Generated from the zod schemas in packages/crds/src by `pnpm --filter @kubernaut/crds generate`.\n";

/** The manifests as the YAML files committed under `packages/crds/manifests/`. */
export function crdManifestFiles(): ManifestFile[] {
  return crdManifests().map((manifest) => ({
    fileName: `${manifest.metadata.name}.yaml`,
    content: header + stringify(manifest, { lineWidth: 0 }),
  }));
}
