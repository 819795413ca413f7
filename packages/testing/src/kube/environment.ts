import { KubeConfig, VersionApi } from "@kubernetes/client-node";
import { type CustomResourceDefinitionLike, installCustomResourceDefinitions } from "./crds.js";
import { type EnvtestOptions, type EnvtestServer, startEnvtest } from "./envtest.js";

export const missingKubernetesMessage = `Kubernetes integration tests need an API server, and none is configured.
Set one of:
  KUBECONFIG=<path>          a cluster to use (for example kind: kind create cluster && export KUBECONFIG=~/.kube/config)
  KUBEBUILDER_ASSETS=<dir>   a directory with the etcd and kube-apiserver binaries; the tests start a private API server.
                             In this repository, \`export "$(scripts/test-deps.sh kube)"\` finds or builds them
                             (or: go install sigs.k8s.io/controller-runtime/tools/setup-envtest@latest &&
                                  export KUBEBUILDER_ASSETS=$(setup-envtest use -p path 1.20.x))`;

export interface KubeTestEnvironmentOptions {
  /** CustomResourceDefinitions to install and wait for (e.g. `crdManifests()` of `@kubernaut/crds`). */
  crds?: readonly CustomResourceDefinitionLike[];
  /** Options for the private API server, when one is started. */
  envtest?: EnvtestOptions;
}

export interface KubeTestEnvironment {
  /** `"kubeconfig"` when `$KUBECONFIG` named a cluster, `"envtest"` when a private API server was started. */
  source: "kubeconfig" | "envtest";
  kubeconfigPath: string;
  kubeConfig: KubeConfig;
  /** The private API server, when one was started. */
  envtest?: EnvtestServer;
  /** Stops the private API server, if one was started; a cluster named by `$KUBECONFIG` is left as it is. */
  stop(): Promise<void>;
}

/**
 * Finds or starts an API server: `$KUBECONFIG` if set, otherwise a private one from `$KUBEBUILDER_ASSETS`;
 * with neither, it throws `missingKubernetesMessage`. Then installs the CRDs and waits until they are Established.
 */
export async function startKubeTestEnvironment(
  options: KubeTestEnvironmentOptions = {},
): Promise<KubeTestEnvironment> {
  const external = process.env.KUBECONFIG;
  let envtest: EnvtestServer | undefined;
  let kubeconfigPath: string;
  if (external) {
    kubeconfigPath = external;
  } else if (process.env.KUBEBUILDER_ASSETS) {
    envtest = await startEnvtest(options.envtest);
    kubeconfigPath = envtest.kubeconfigPath;
  } else {
    throw new Error(missingKubernetesMessage);
  }
  try {
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromFile(kubeconfigPath);
    await kubeConfig
      .makeApiClient(VersionApi)
      .getCode()
      .catch((error: unknown) => {
        throw new Error(`the API server of ${kubeconfigPath} does not answer: ${String(error)}`);
      });
    if (options.crds?.length) await installCustomResourceDefinitions(kubeConfig, options.crds);
    return {
      source: envtest ? "envtest" : "kubeconfig",
      kubeconfigPath,
      kubeConfig,
      ...(envtest ? { envtest } : {}),
      stop: async () => {
        await envtest?.stop();
      },
    };
  } catch (error) {
    await envtest?.stop();
    throw error;
  }
}

/**
 * A vitest `globalSetup` function: starts the environment once per test run and shares it with the
 * test workers through `$KUBECONFIG` (read it with `testKubeConfig()`); returns the teardown.
 *
 *     // vitest.integration.ts: test.globalSetup = ["test/integration/global-setup.ts"]
 *     // test/integration/global-setup.ts:
 *     export const setup = kubeGlobalSetup({ crds: crdManifests() });
 */
export function kubeGlobalSetup(
  options: KubeTestEnvironmentOptions = {},
): () => Promise<() => Promise<void>> {
  return async () => {
    const previous = process.env.KUBECONFIG;
    const environment = await startKubeTestEnvironment(options);
    process.env.KUBECONFIG = environment.kubeconfigPath;
    return async () => {
      await environment.stop();
      if (previous === undefined) delete process.env.KUBECONFIG;
      else process.env.KUBECONFIG = previous;
    };
  };
}

/** The KubeConfig of the test run's API server (from `$KUBECONFIG`, which `kubeGlobalSetup` sets). */
export function testKubeConfig(): KubeConfig {
  const path = process.env.KUBECONFIG;
  if (!path) throw new Error(missingKubernetesMessage);
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(path);
  return kubeConfig;
}
