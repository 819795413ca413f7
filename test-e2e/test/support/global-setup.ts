import { crdManifests } from "@kubernaut/crds";
import { kubeGlobalSetup } from "@kubernaut/testing/kube";

export const setup = kubeGlobalSetup({ crds: crdManifests(), envtest: { startTimeoutMs: 300_000 } });
