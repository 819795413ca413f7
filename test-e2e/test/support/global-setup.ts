import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crdManifests } from "@kubernaut/crds";
import { kubeGlobalSetup } from "@kubernaut/testing/kube";
import { apiServerAuditLogVariable, apiServerAuditPolicy } from "./service-accounts.js";

/**
 * One API server for the run. A private one (no `$KUBECONFIG`) also writes an audit log of the controllers'
 * ServiceAccounts, so that a local run fails on any request their RBAC refused.
 */
export async function setup(): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), "kubernaut-e2e-apiserver-"));
  const policy = join(dir, "audit-policy.yaml");
  const log = join(dir, "audit.log");
  await writeFile(policy, apiServerAuditPolicy);
  const privateServer = !process.env.KUBECONFIG;
  const teardown = await kubeGlobalSetup({
    crds: crdManifests(),
    envtest: {
      startTimeoutMs: 300_000,
      apiServerArgs: [`--audit-policy-file=${policy}`, `--audit-log-path=${log}`],
    },
  })();
  if (privateServer) process.env[apiServerAuditLogVariable] = log;
  return async () => {
    await teardown();
    delete process.env[apiServerAuditLogVariable];
    await rm(dir, { recursive: true, force: true });
  };
}
