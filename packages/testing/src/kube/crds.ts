import { CustomObjectsApi, type KubeConfig } from "@kubernetes/client-node";
import { statusCodeOf } from "./errors.js";

/** The parts of an `apiextensions.k8s.io/v1` CustomResourceDefinition the installer reads. */
export interface CustomResourceDefinitionLike {
  metadata: { name: string };
  spec: { group: string; names: { plural: string }; versions: readonly { name: string; served: boolean }[] };
}

interface CrdStatus {
  metadata?: { resourceVersion?: string };
  status?: { conditions?: { type: string; status: string; message?: string }[] };
}

const crdPath = { group: "apiextensions.k8s.io", version: "v1", plural: "customresourcedefinitions" };

/**
 * Creates or replaces each CustomResourceDefinition, then waits until all are Established and
 * their resources answer a list, so tests can use them at once.
 */
export async function installCustomResourceDefinitions(
  kubeConfig: KubeConfig,
  manifests: readonly CustomResourceDefinitionLike[],
  timeoutMs = 30_000,
): Promise<void> {
  const api = kubeConfig.makeApiClient(CustomObjectsApi);
  for (const manifest of manifests) {
    try {
      await api.createClusterCustomObject({ ...crdPath, body: manifest });
    } catch (error) {
      if (statusCodeOf(error) !== 409) throw error;
      const current = (await api.getClusterCustomObject({
        ...crdPath,
        name: manifest.metadata.name,
      })) as CrdStatus;
      const body = {
        ...manifest,
        metadata: { ...manifest.metadata, resourceVersion: current.metadata?.resourceVersion },
      };
      await api.replaceClusterCustomObject({ ...crdPath, name: manifest.metadata.name, body });
    }
  }
  const deadline = Date.now() + timeoutMs;
  for (const manifest of manifests) {
    for (;;) {
      const crd = (await api.getClusterCustomObject({
        ...crdPath,
        name: manifest.metadata.name,
      })) as CrdStatus;
      const established = crd.status?.conditions?.find((condition) => condition.type === "Established");
      if (established?.status === "True" && (await servesList(api, manifest))) break;
      if (Date.now() > deadline) {
        const conditions = JSON.stringify(crd.status?.conditions ?? []);
        throw new Error(
          `CustomResourceDefinition ${manifest.metadata.name} not established after ${timeoutMs} ms: ${conditions}`,
        );
      }
      await new Promise((done) => setTimeout(done, 100));
    }
  }
}

async function servesList(api: CustomObjectsApi, manifest: CustomResourceDefinitionLike): Promise<boolean> {
  const version = manifest.spec.versions.find((candidate) => candidate.served)?.name;
  if (!version) return true;
  try {
    await api.listClusterCustomObject({
      group: manifest.spec.group,
      version,
      plural: manifest.spec.names.plural,
      limit: 1,
    });
    return true;
  } catch (error) {
    if (statusCodeOf(error) === 404) return false;
    throw error;
  }
}
