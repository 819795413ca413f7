import { kubeGlobalSetup } from "@kubernaut/testing/kube";
import { crdManifests } from "../../src/index.js";

export const setup = kubeGlobalSetup({ crds: crdManifests() });
