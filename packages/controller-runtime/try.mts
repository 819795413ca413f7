import { writeFileSync } from "node:fs";
import { crdManifests } from "@kubernaut/crds";
import { startKubeTestEnvironment } from "@kubernaut/testing/kube";

const env = await startKubeTestEnvironment({ crds: crdManifests() });
writeFileSync(
  "/tmp/envtest.json",
  JSON.stringify({ server: env.envtest?.server, token: env.envtest?.token, kc: env.kubeconfigPath }),
);
console.log("ready");
await new Promise((r) => setTimeout(r, 60_000));
await env.stop();
