import { crdManifests } from "@kubernaut/crds";
import { kubeGlobalSetup } from "@kubernaut/testing/kube";

export const setup = kubeGlobalSetup({ crds: crdManifests() });
