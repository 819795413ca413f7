import { randomBytes } from "node:crypto";
import { CoreV1Api, type KubeConfig } from "@kubernetes/client-node";
import { testKubeConfig } from "./environment.js";
import { statusCodeOf } from "./errors.js";

export interface TestNamespace {
  name: string;
  kubeConfig: KubeConfig;
  /** Deletes the namespace (an API server without controllers leaves it Terminating; that is harmless). */
  delete(): Promise<void>;
}

/** A fresh namespace named `<prefix>-<random>`, labelled `kubernaut.ai/test=true`, for one test. */
export async function createTestNamespace(
  options: { prefix?: string; kubeConfig?: KubeConfig } = {},
): Promise<TestNamespace> {
  const kubeConfig = options.kubeConfig ?? testKubeConfig();
  const name = `${options.prefix ?? "test"}-${randomBytes(4).toString("hex")}`;
  const core = kubeConfig.makeApiClient(CoreV1Api);
  await core.createNamespace({ body: { metadata: { name, labels: { "kubernaut.ai/test": "true" } } } });
  return {
    name,
    kubeConfig,
    delete: async () => {
      try {
        await core.deleteNamespace({ name });
      } catch (error) {
        if (statusCodeOf(error) !== 404) throw error;
      }
    },
  };
}

/** Creates namespace `name` with `labels`, for a test to work in. */
export async function createNamespace(
  core: CoreV1Api,
  name: string,
  labels: Record<string, string> = {},
): Promise<void> {
  await core.createNamespace({ body: { metadata: { name, labels } } });
}

/** Deletes namespace `name`; one already gone is no error. */
export async function deleteNamespace(core: CoreV1Api, name: string): Promise<void> {
  await core.deleteNamespace({ name }).catch(() => undefined);
}
