import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { type ApiCall, kubernetesApiCallsOf } from "../support/kube-api-calls.js";
import { repoRoot } from "../support/kubectl.js";
import { controllerNames } from "../support/system.js";

interface RbacObject {
  kind: string;
  metadata: { name: string };
  rules?: { apiGroups: string[]; resources: string[]; verbs: string[] }[];
  roleRef?: { kind: string; name: string };
  subjects?: { kind: string; name: string }[];
}

/** `group/resource` → verbs. */
type Permissions = Map<string, Set<string>>;

const add = (permissions: Permissions, group: string, resource: string, verb: string) => {
  const key = `${group}/${resource}`;
  permissions.set(key, (permissions.get(key) ?? new Set()).add(verb));
};

/** What deploy/base/<app>/rbac.yaml lets the app's ServiceAccount do through the Kubernetes API. */
function grantedTo(app: string): Permissions {
  const objects = parseAllDocuments(
    readFileSync(join(repoRoot, "deploy", "base", app, "rbac.yaml"), "utf8"),
  ).map((doc) => doc.toJSON() as RbacObject);
  const roles = new Map(
    objects.filter((o) => o.kind === "Role" || o.kind === "ClusterRole").map((o) => [o.metadata.name, o]),
  );
  const granted: Permissions = new Map();
  for (const binding of objects.filter((o) => o.kind.endsWith("RoleBinding"))) {
    if (!binding.subjects?.some((s) => s.kind === "ServiceAccount" && s.name === app)) continue;
    const name = binding.roleRef?.name ?? "";
    // The storage service's own authorization (a SubjectAccessReview on services/data-storage), not API calls.
    if (name.startsWith("kubernaut-datastorage-")) continue;
    const role = roles.get(name);
    if (!role)
      throw new Error(`${binding.metadata.name} binds ${name}, which deploy/base/${app}/rbac.yaml lacks`);
    for (const rule of role.rules ?? [])
      for (const group of rule.apiGroups)
        for (const resource of rule.resources)
          for (const verb of rule.verbs) add(granted, group, resource, verb);
  }
  return granted;
}

function neededBy(calls: readonly ApiCall[]): Permissions {
  const needed: Permissions = new Map();
  for (const call of calls) add(needed, call.group, call.resource, call.verb);
  return needed;
}

/** One row per resource: the verbs the code uses next to the verbs RBAC grants. */
function sideBySide(code: Permissions, rbac: Permissions) {
  const verbs = (set: Set<string> | undefined) => [...(set ?? [])].sort().join(" ");
  return [...new Set([...code.keys(), ...rbac.keys()])]
    .sort()
    .map((resource) => ({ resource, code: verbs(code.get(resource)), rbac: verbs(rbac.get(resource)) }));
}

describe("deploy/base/<controller>/rbac.yaml grants exactly the Kubernetes API calls the controller's code makes", () => {
  let calls: Map<string, ApiCall[]>;

  beforeAll(() => {
    // The calls are read from apps/<controller>/src with the type checker (support/kube-api-calls.ts).
    calls = kubernetesApiCallsOf(controllerNames);
  });

  for (const app of controllerNames) {
    it(`${app}: the code's calls and the RBAC rules, side by side`, () => {
      const appCalls = calls.get(app) ?? [];
      const table = sideBySide(neededBy(appCalls), grantedTo(app));
      const missing = appCalls.filter((c) => !grantedTo(app).get(`${c.group}/${c.resource}`)?.has(c.verb));
      const where = missing.map((c) => `  ${c.verb} ${c.group}/${c.resource} at ${c.at}`).join("\n");
      // A row whose `rbac` differs from `code`: a verb the code uses and RBAC lacks, or one RBAC grants for nothing.
      expect(
        table,
        missing.length ? `calls RBAC does not grant:\n${where}` : "RBAC grants verbs no code uses",
      ).toEqual(table.map((row) => ({ ...row, rbac: row.code })));
    });
  }

  it("reads calls from the code: each controller reads its own kind and patches its status", () => {
    const own = {
      "remediation-orchestrator": "remediationrequests",
      "remediation-processor": "remediationprocessings",
      "ai-analysis": "aianalyses",
    } as const;
    for (const app of controllerNames) {
      const needed = neededBy(calls.get(app) ?? []);
      expect([...(needed.get(`kubernaut.ai/${own[app]}`) ?? [])], app).toEqual(
        expect.arrayContaining(["list", "watch"]),
      );
      expect([...(needed.get(`kubernaut.ai/${own[app]}/status`) ?? [])], app).toEqual(["patch"]);
      expect(
        (calls.get(app) ?? []).every((c) => /^(apps|packages)\/.+:\d+/.test(c.at)),
        app,
      ).toBe(true);
    }
  });

  it("each Deployment runs as the ServiceAccount its RBAC binds", () => {
    for (const app of controllerNames) {
      const deployment = parseAllDocuments(
        readFileSync(join(repoRoot, "deploy", "base", app, "deployment.yaml"), "utf8"),
      )
        .map(
          (doc) =>
            doc.toJSON() as { kind: string; spec?: { template: { spec: { serviceAccountName?: string } } } },
        )
        .find((o) => o.kind === "Deployment");
      expect(deployment?.spec?.template.spec.serviceAccountName, app).toBe(app);
    }
  });
});
