import { afterAll, beforeAll } from "vitest";
import { Cluster } from "./cluster.js";
import { StorageReader } from "./storage.js";
import { type SystemUnderTest, startSystem } from "./system.js";

/** What a spec file drives: the system, the cluster as a user sees it, the storage API, its own namespace. */
export interface SpecSystem {
  system: SystemUnderTest;
  cluster: Cluster;
  storage: StorageReader;
  namespace: string;
}

/**
 * Starts the system before the spec file's tests, in a fresh production namespace named from `prefix`, and
 * stops it after them. The fields are set once `beforeAll` has run, so read them inside tests only.
 */
export function useSpecSystem(prefix: string): SpecSystem {
  const spec = {} as SpecSystem;
  beforeAll(async () => {
    spec.system = await startSystem();
    spec.cluster = new Cluster(spec.system.kubeConfig);
    spec.storage = new StorageReader(spec.system.storageUrl, spec.system.storageToken);
    spec.namespace = await spec.cluster.productionNamespace(prefix);
  });
  afterAll(async () => {
    if (spec.namespace) await spec.cluster.deleteNamespace(spec.namespace);
    await spec.system?.stop();
  });
  return spec;
}
