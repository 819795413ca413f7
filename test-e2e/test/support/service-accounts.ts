import { readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { parseAllDocuments, stringify } from "yaml";
import { kubectlOk } from "./kubectl.js";

/** Where the kustomize base puts the controllers and their ServiceAccounts. */
export const controllerNamespace = "kubernaut-system";

const rbacKinds = new Set([
  "Namespace",
  "ServiceAccount",
  "Role",
  "RoleBinding",
  "ClusterRole",
  "ClusterRoleBinding",
]);

interface KubeObject {
  kind: string;
  metadata: { name: string; namespace?: string };
}

/**
 * The namespace, ServiceAccounts and RBAC of `deploy/base` as kustomize renders them (namespaces filled
 * in), so the local run grants the controllers exactly what a deployment grants them.
 */
export function baseRbacManifests(): KubeObject[] {
  return parseAllDocuments(kubectlOk(["kustomize", join("deploy", "base")]))
    .map((doc) => doc.toJSON() as KubeObject)
    .filter((object) => rbacKinds.has(object.kind));
}

/** What a process of the base needs to act as its ServiceAccount: a kubeconfig and the bare token. */
export interface ServiceAccountAccess {
  kubeconfig: string;
  token: string;
}

/**
 * Applies the base's RBAC to the API server of `$KUBECONFIG` (the admin's), asks the TokenRequest API for a
 * token of each named ServiceAccount of the base, and writes one kubeconfig per account into `dir` with that
 * token in place of the admin's. A verb the code uses and the RBAC lacks is then refused, as in a cluster; and
 * the same token, shown to the storage service, gets only the reads and writes the account's bindings grant.
 */
export async function serviceAccountAccess(
  admin: KubeConfig,
  names: readonly string[],
  dir: string,
): Promise<Map<string, ServiceAccountAccess>> {
  const manifests = baseRbacManifests();
  for (const name of names) {
    const found = manifests.some(
      (o) =>
        o.kind === "ServiceAccount" &&
        o.metadata.name === name &&
        o.metadata.namespace === controllerNamespace,
    );
    if (!found) throw new Error(`deploy/base has no ServiceAccount ${controllerNamespace}/${name}`);
  }
  kubectlOk(["apply", "-f", "-"], manifests.map((o) => stringify(o)).join("---\n"));

  const cluster = admin.getCurrentCluster();
  if (!cluster) throw new Error("the admin kubeconfig has no current cluster");
  const core = admin.makeApiClient(CoreV1Api);
  const access = new Map<string, ServiceAccountAccess>();
  for (const name of names) {
    const request = await core.createNamespacedServiceAccountToken({
      name,
      namespace: controllerNamespace,
      // No audiences: the API server's own. Long enough for any spec file, which starts its own system.
      body: { spec: { audiences: [], expirationSeconds: 4 * 3600 } },
    });
    const token = request.status?.token;
    if (!token) throw new Error(`the TokenRequest for ServiceAccount ${name} answered no token`);
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromOptions({
      clusters: [cluster],
      users: [{ name, token }],
      contexts: [{ name, cluster: cluster.name, user: name, namespace: controllerNamespace }],
      currentContext: name,
    });
    const path = join(dir, `${name}.kubeconfig`);
    await writeFile(path, kubeConfig.exportConfig(), { mode: 0o600 });
    access.set(name, { kubeconfig: path, token });
  }
  return access;
}

/** Names the private API server's audit log for the spec workers (set by the global setup). */
export const apiServerAuditLogVariable = "E2E_APISERVER_AUDIT_LOG";

/** The private API server records every request of a ServiceAccount of the controllers' namespace. */
export const apiServerAuditPolicy = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived, ResponseStarted]
rules:
  - level: Metadata
    userGroups: ["system:serviceaccounts:${controllerNamespace}"]
  - level: None
`;

interface AuditEvent {
  verb?: string;
  user?: { username?: string };
  objectRef?: { resource?: string; subresource?: string; namespace?: string; name?: string };
  responseStatus?: { code?: number };
}

/** Where the private API server's audit log ends now, to read only what comes after. */
export async function auditLogMark(): Promise<number> {
  const log = process.env[apiServerAuditLogVariable];
  if (!log) return 0;
  return stat(log).then(
    (s) => s.size,
    () => 0,
  );
}

/**
 * The controllers' requests the API server refused (403) since `mark`, one line each (who, verb, resource),
 * from its audit log; empty when the API server keeps none (a cluster of `$KUBECONFIG`).
 */
export async function forbiddenRequestsSince(mark: number): Promise<string[]> {
  const log = process.env[apiServerAuditLogVariable];
  if (!log) return [];
  const text = await readFile(log).then(
    (bytes) => bytes.subarray(mark).toString("utf8"),
    () => "",
  );
  const refused = text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as AuditEvent)
    .filter((event) => event.responseStatus?.code === 403)
    .map((event) => {
      const ref = event.objectRef ?? {};
      const resource = [ref.resource, ref.subresource].filter(Boolean).join("/");
      const where = ref.namespace ? ` in ${ref.namespace}` : "";
      return `${event.user?.username}: ${event.verb} ${resource}${ref.name ? ` ${ref.name}` : ""}${where}`;
    });
  return [...new Set(refused)];
}
