import { testKubeConfig } from "@kubernaut/testing/kube";
import { waitFor } from "@kubernaut/testing/wait";
import { kubectlOk } from "./kubectl.js";
import { onTheSystem } from "./poll.js";
import type { SystemUnderTest } from "./system.js";

const namespace = process.env.E2E_NAMESPACE ?? "kubernaut-system";

async function storageReady(url: string): Promise<true | undefined> {
  const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(3_000) });
  return response.ok ? true : undefined;
}

/**
 * The dev overlay deployed in the cluster of `$KUBECONFIG`, the storage service reached at `$STORAGE_URL`
 * (a port-forward the workflow keeps re-opening). Processes are pods: killing one deletes it at once and
 * its Deployment starts another.
 */
export async function connectKindSystem(): Promise<SystemUnderTest> {
  const storageUrl = process.env.STORAGE_URL;
  if (!storageUrl)
    throw new Error("E2E_MODE=kind needs STORAGE_URL (e.g. a port-forward of svc/data-storage)");
  await waitFor(
    "the storage service at STORAGE_URL to be ready",
    () => storageReady(storageUrl),
    onTheSystem(),
  );
  // The dev overlay's service checks every caller with a TokenReview; the orchestrator's ServiceAccount may
  // read and write, as the README's quick start says.
  const storageToken =
    process.env.STORAGE_TOKEN ??
    kubectlOk(["-n", namespace, "create", "token", "remediation-orchestrator", "--duration=2h"]).trim();
  const rollout = (deployment: string) =>
    kubectlOk(["-n", namespace, "rollout", "status", `deployment/${deployment}`, "--timeout=300s"]);

  return {
    mode: "kind",
    kubeConfig: testKubeConfig(),
    storageUrl,
    storageToken,
    async restartStorage() {
      kubectlOk([
        "-n",
        namespace,
        "delete",
        "pod",
        "-l",
        "app.kubernetes.io/name=datastorage",
        "--wait=true",
      ]);
      rollout("datastorage");
      await waitFor("the storage service to be ready again", () => storageReady(storageUrl), onTheSystem());
    },
    async killController(name) {
      kubectlOk([
        "-n",
        namespace,
        "delete",
        "pod",
        "-l",
        `app.kubernetes.io/name=${name}`,
        "--grace-period=0",
        "--force",
      ]);
    },
    async startController(name) {
      rollout(name);
    },
    async stop() {},
  };
}
