import { execFile } from "node:child_process";
import { mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import {
  createTestNamespace,
  type KubeTestEnvironment,
  startKubeTestEnvironment,
} from "@kubernaut/testing/kube";
import { startStorageService } from "@kubernaut/testing/storage";
import { CoreV1Api, type KubeConfig, RbacAuthorizationV1Api } from "@kubernetes/client-node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createStaticTokenAuthorizer } from "../../src/auth/index.js";
import { openTestApp, type TestApp } from "../support/test-app.js";

const WRITE = "/api/v1/audit/remediation-orchestration";
const record = {
  alert_fingerprint: "fp-1",
  remediation_name: "rr-1",
  overall_phase: "pending",
  start_time: "2026-11-23T09:59:00Z",
};
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const SERVER = join(import.meta.dirname, "..", "..", "dist", "server.js");
/** A child process initialises its own PGlite: tens of seconds on a busy machine. */
const CHILD_START_MS = 180_000;

async function expectProblem(res: Response, status: number): Promise<string> {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  return ((await res.json()) as { detail: string }).detail;
}

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe("AUTH_MODE=token", () => {
  it("every /api/ route needs the bearer token; operations routes stay open", async () => {
    t = await openTestApp({ env: { AUTH_MODE: "token", AUTH_TOKEN: "s3cret-token-0123456789" } });
    const missing = await t.post(WRITE, record);
    expect(missing.headers.get("www-authenticate")).toBe('Bearer realm="kubernaut-datastorage"');
    expect(await expectProblem(missing, 401)).toMatch(/bearer token is required/);
    expect(await expectProblem(await t.post(WRITE, record, bearer("wrong")), 401)).toMatch(/not valid/);
    await expectProblem(await t.post(WRITE, record, { authorization: "Basic czNjcmV0LXRva2Vu" }), 401);
    await expectProblem(await t.get("/api/v1/limits"), 401);
    await expectProblem(await t.get("/api/v1/audit/remediation-orchestration"), 401);

    expect((await t.post(WRITE, record, bearer("s3cret-token-0123456789"))).status).toBe(201);
    expect((await t.get("/api/v1/limits", bearer("s3cret-token-0123456789"))).status).toBe(200);
    for (const path of ["/healthz", "/readyz", "/metrics", "/openapi.json"]) {
      expect((await t.get(path)).status).toBe(200);
    }
    expect(await t.query("SELECT count(*)::int AS n FROM audit_events")).toEqual([{ n: 1 }]);
  });

  it("re-reads AUTH_TOKEN_FILE when it changes", async () => {
    const dir = await mkdtemp(join(tmpdir(), "ds-token-"));
    const file = join(dir, "token");
    try {
      await writeFile(file, "first-token-0123456789\n");
      t = await openTestApp({ env: { AUTH_MODE: "token", AUTH_TOKEN_FILE: file } });
      expect((await t.get("/api/v1/limits", bearer("first-token-0123456789"))).status).toBe(200);

      await writeFile(file, "second-token-rotated\n");
      await expectProblem(await t.get("/api/v1/limits", bearer("first-token-0123456789")), 401);
      expect((await t.get("/api/v1/limits", bearer("second-token-rotated"))).status).toBe(200);

      await rm(file);
      expect(await expectProblem(await t.get("/api/v1/limits", bearer("second-token-rotated")), 503)).toMatch(
        /cannot read its token file/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("legal holds need a permission of their own", () => {
  const HOLDS = "/api/v1/audit/legal-holds";
  const hold = { correlation_id: "rr-1", reason: "case 4711", requested_by: "legal@example.com" };
  const releaseWith = (id: string, headers: Record<string, string>) =>
    t?.app.request(`${HOLDS}/${id}`, {
      method: "DELETE",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ released_by: "legal@example.com" }),
    }) ?? Promise.reject(new Error("no app"));
  const holds = async () => (await t?.query("SELECT count(*)::int AS n FROM legal_holds"))?.[0]?.n;

  it("AUTH_MODE=token without LEGAL_HOLD_TOKEN: the writer's token gets 403 naming the setting; listing is a read", async () => {
    t = await openTestApp({ env: { AUTH_MODE: "token", AUTH_TOKEN: "s3cret-token-0123456789" } });
    expect(await expectProblem(await t.post(HOLDS, hold, bearer("s3cret-token-0123456789")), 403)).toBe(
      "placing a legal hold needs a legal-hold token, and none is configured: set LEGAL_HOLD_TOKEN or LEGAL_HOLD_TOKEN_FILE",
    );
    await expectProblem(await t.post(HOLDS, hold), 401);
    await expectProblem(await t.post(HOLDS, hold, bearer("wrong")), 401);
    expect((await t.get(HOLDS, bearer("s3cret-token-0123456789"))).status).toBe(200);
    await expectProblem(await t.get(HOLDS), 401);
    expect(await holds()).toBe(0);
  });

  it("AUTH_MODE=token with LEGAL_HOLD_TOKEN: only that token places and releases holds", async () => {
    t = await openTestApp({
      env: {
        AUTH_MODE: "token",
        AUTH_TOKEN: "s3cret-token-0123456789",
        LEGAL_HOLD_TOKEN: "hold-token-0123456789",
      },
    });
    expect(await expectProblem(await t.post(HOLDS, hold, bearer("s3cret-token-0123456789")), 403)).toBe(
      "placing a legal hold needs the legal-hold token (LEGAL_HOLD_TOKEN), not the service token",
    );
    expect(await holds()).toBe(0);
    const placed = await t.post(HOLDS, hold, bearer("hold-token-0123456789"));
    expect(placed.status).toBe(201);
    const { id } = (await placed.json()) as { id: string };
    expect(await expectProblem(await releaseWith(id, bearer("s3cret-token-0123456789")), 403)).toMatch(
      /releasing a legal hold needs the legal-hold token/,
    );
    await expectProblem(await releaseWith(id, bearer("wrong")), 401);
    // The legal-hold token opens the hold endpoints only.
    await expectProblem(await t.post(WRITE, record, bearer("hold-token-0123456789")), 401);
    expect((await releaseWith(id, bearer("hold-token-0123456789"))).status).toBe(200);
    const principals = await t.query<{ principal: string }>(
      "SELECT payload->>'principal' AS principal FROM audit_events WHERE source = 'datastorage'",
    );
    expect(principals).toEqual([{ principal: "legal-hold-token" }, { principal: "legal-hold-token" }]);
  });
});

describe("token files", () => {
  it("refuse a legal-hold token that is the service's, at start-up and after a rotation", async () => {
    const dir = await mkdtemp(join(tmpdir(), "ds-shared-token-"));
    const [service, hold] = [join(dir, "service"), join(dir, "hold")];
    try {
      await writeFile(service, "service-token-0123456789\n");
      await writeFile(hold, "service-token-0123456789\n");
      expect(() => createStaticTokenAuthorizer({ tokenFile: service, legalHoldTokenFile: hold })).toThrow(
        /LEGAL_HOLD_TOKEN_FILE: the same token as the service's/,
      );
      await writeFile(hold, "hold-token-0123456789\n");
      const authorizer = createStaticTokenAuthorizer({ tokenFile: service, legalHoldTokenFile: hold });
      expect(await authorizer.authorize("hold-token-0123456789", "legal-hold:create")).toBe(
        "legal-hold-token",
      );
      await writeFile(hold, "service-token-0123456789\n");
      await utimes(hold, new Date(), new Date(Date.now() + 5_000));
      await expect(
        authorizer.authorize("service-token-0123456789", "legal-hold:create"),
      ).rejects.toMatchObject({
        status: 403,
        message: expect.stringMatching(/legal-hold token is now the service's token/),
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("refuse to start with a token shorter than 16 characters, naming the variable", async () => {
    const dir = await mkdtemp(join(tmpdir(), "ds-short-token-"));
    const file = join(dir, "token");
    try {
      await writeFile(file, "short-token\n");
      expect(() => createStaticTokenAuthorizer({ tokenFile: file })).toThrow(
        /\n {2}AUTH_TOKEN_FILE: cannot read a token from .* shorter than 16 characters/,
      );
      expect(() =>
        createStaticTokenAuthorizer({ token: "s3cret-token-0123456789", legalHoldTokenFile: file }),
      ).toThrow(/\n {2}LEGAL_HOLD_TOKEN_FILE: cannot read a token from .* shorter than 16 characters/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("LEGAL_HOLD_TOKEN_FILE", () => {
  it("is read from the file, and refusing to start when the file is unreadable names it", async () => {
    const dir = await mkdtemp(join(tmpdir(), "ds-hold-token-"));
    const file = join(dir, "hold-token-0123456789");
    try {
      await writeFile(file, "hold-from-file-0123456789\n");
      t = await openTestApp({
        env: { AUTH_MODE: "token", AUTH_TOKEN: "s3cret-token-0123456789", LEGAL_HOLD_TOKEN_FILE: file },
      });
      const hold = { alert_fingerprint: "fp-1", reason: "case", requested_by: "legal" };
      expect(
        (await t.post("/api/v1/audit/legal-holds", hold, bearer("hold-from-file-0123456789"))).status,
      ).toBe(201);
      await t.close();
      t = undefined;
      expect(() =>
        createStaticTokenAuthorizer({
          token: "s3cret-token-0123456789",
          legalHoldTokenFile: join(dir, "missing"),
        }),
      ).toThrow(/\n {2}LEGAL_HOLD_TOKEN_FILE: cannot read a token from /);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("binding beyond loopback (the built server as a child process)", () => {
  it("refuses to start without authentication, naming the variables to set", async () => {
    const run = promisify(execFile)(process.execPath, [SERVER], {
      env: { PATH: process.env.PATH, HOST: "0.0.0.0", PORT: "0", DATA_DIR: "memory://" },
    });
    const failure = await run.then(
      () => null,
      (err: { code: number; stderr: string }) => err,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toMatch(
      /HOST: binding 0\.0\.0\.0 .*AUTH_MODE=token.*AUTH_TOKEN.*AUTH_TOKEN_FILE/,
    );
  });

  it(
    "with AUTH_MODE=token, answers over the socket only with the token",
    async () => {
      const service = await startStorageService({
        env: {
          HOST: "0.0.0.0",
          AUTH_MODE: "token",
          AUTH_TOKEN: "socket-token-0123456789",
          RETENTION_ENABLED: "false",
        },
        ...(process.env.TEST_DATABASE_URL ? { databaseUrl: process.env.TEST_DATABASE_URL } : {}),
        readyTimeoutMs: CHILD_START_MS,
      });
      try {
        const post = (headers: Record<string, string>) =>
          fetch(`${service.url}${WRITE}`, {
            method: "POST",
            headers: { "content-type": "application/json", ...headers },
            body: JSON.stringify(record),
          });
        await expectProblem(await post({}), 401);
        expect((await post(bearer("socket-token-0123456789"))).status).toBe(201);
      } finally {
        await service.stop();
      }
    },
    CHILD_START_MS + 30_000,
  );
});

describe("AUTH_MODE=tokenreview against a real API server", () => {
  let kube: KubeTestEnvironment;
  let namespace: string;
  const tokens: Record<"writer" | "creator" | "reader" | "stranger" | "holder", string> = {
    writer: "",
    creator: "",
    reader: "",
    stranger: "",
    holder: "",
  };
  const previousKubeconfig = process.env.KUBECONFIG;

  beforeAll(async () => {
    kube = await startKubeTestEnvironment();
    process.env.KUBECONFIG = kube.kubeconfigPath;
    namespace = (await createTestNamespace({ prefix: "ds-auth", kubeConfig: kube.kubeConfig })).name;
    await grant(kube.kubeConfig, namespace, "writer", ["get", "create"]);
    await grant(kube.kubeConfig, namespace, "reader", ["get"]);
    await grant(kube.kubeConfig, namespace, "creator", ["create"]);
    await grant(kube.kubeConfig, namespace, "holder", ["get", "create"], ["create", "delete"]);
    for (const name of Object.keys(tokens) as (keyof typeof tokens)[]) {
      tokens[name] = await serviceAccountToken(kube.kubeConfig, namespace, name);
    }
  });
  afterAll(async () => {
    if (previousKubeconfig === undefined) delete process.env.KUBECONFIG;
    else process.env.KUBECONFIG = previousKubeconfig;
    await kube?.stop();
  });

  it("reads need get, writes need create, on services/data-storage in the service's namespace", async () => {
    t = await openTestApp({ env: { AUTH_MODE: "tokenreview", POD_NAMESPACE: namespace } });
    expect((await t.post(WRITE, record, bearer(tokens.writer))).status).toBe(201);
    expect((await t.get("/api/v1/limits", bearer(tokens.reader))).status).toBe(200);
    expect(await expectProblem(await t.post(WRITE, record, bearer(tokens.reader)), 403)).toBe(
      `system:serviceaccount:${namespace}:reader may not create services/data-storage`,
    );
    await expectProblem(await t.get("/api/v1/limits", bearer(tokens.stranger)), 403);
    // A publisher that only writes may read the limits it writes within, and nothing else.
    expect((await t.post(WRITE, record, bearer(tokens.creator))).status).toBe(201);
    expect((await t.get("/api/v1/limits", bearer(tokens.creator))).status).toBe(200);
    expect(await expectProblem(await t.get(`${WRITE}?limit=1`, bearer(tokens.creator)), 403)).toBe(
      `system:serviceaccount:${namespace}:creator may not get services/data-storage`,
    );
    await expectProblem(await t.get("/api/v1/limits", bearer("not-a-kubernetes-token")), 401);
    await expectProblem(await t.get("/api/v1/limits"), 401);
  });

  it("legal holds need create on services/data-storage and create/delete on its legal-holds subresource", async () => {
    t = await openTestApp({ env: { AUTH_MODE: "tokenreview", POD_NAMESPACE: namespace } });
    const HOLDS = "/api/v1/audit/legal-holds";
    const hold = { alert_fingerprint: "fp-1", reason: "case 4711", requested_by: "legal@example.com" };
    expect(await expectProblem(await t.post(HOLDS, hold, bearer(tokens.writer)), 403)).toBe(
      `system:serviceaccount:${namespace}:writer may not create services/data-storage/legal-holds (placing a legal hold needs create on services/data-storage and create on its legal-holds subresource, e.g. the ClusterRoles kubernaut-datastorage-writer and kubernaut-datastorage-legal-hold)`,
    );
    await expectProblem(await t.post(HOLDS, hold, bearer(tokens.reader)), 403);
    const placed = await t.post(HOLDS, hold, bearer(tokens.holder));
    expect(placed.status).toBe(201);
    const { id } = (await placed.json()) as { id: string };
    expect((await t.get(HOLDS, bearer(tokens.reader))).status).toBe(200);
    await expectProblem(await t.get(HOLDS, bearer(tokens.creator)), 403);
    const release = (token: string) =>
      t?.app.request(`${HOLDS}/${id}`, {
        method: "DELETE",
        headers: { "content-type": "application/json", ...bearer(token) },
        body: JSON.stringify({ released_by: "legal@example.com" }),
      }) ?? Promise.reject(new Error("no app"));
    expect(await expectProblem(await release(tokens.writer), 403)).toMatch(
      /may not delete services\/data-storage\/legal-holds/,
    );
    expect((await release(tokens.holder)).status).toBe(200);
    const principals = await t.query<{ principal: string }>(
      "SELECT payload->>'principal' AS principal FROM audit_events WHERE source = 'datastorage'",
    );
    expect(principals.map((p) => p.principal)).toEqual([
      `system:serviceaccount:${namespace}:holder`,
      `system:serviceaccount:${namespace}:holder`,
    ]);
  });

  it("the grant is for the service's own namespace only", async () => {
    t = await openTestApp({ env: { AUTH_MODE: "tokenreview", POD_NAMESPACE: "elsewhere" } });
    await expectProblem(await t.post(WRITE, record, bearer(tokens.writer)), 403);
  });
});

/**
 * A ServiceAccount with a Role allowing `verbs` on services/data-storage in `namespace`, and `legalHoldVerbs` on
 * its legal-holds subresource.
 */
async function grant(
  kubeConfig: KubeConfig,
  namespace: string,
  name: string,
  verbs: string[],
  legalHoldVerbs: string[] = [],
): Promise<void> {
  await kubeConfig
    .makeApiClient(CoreV1Api)
    .createNamespacedServiceAccount({ namespace, body: { metadata: { name } } });
  const rbac = kubeConfig.makeApiClient(RbacAuthorizationV1Api);
  await rbac.createNamespacedRole({
    namespace,
    body: {
      metadata: { name },
      rules: [
        { apiGroups: [""], resources: ["services"], resourceNames: ["data-storage"], verbs },
        ...(legalHoldVerbs.length > 0
          ? [
              {
                apiGroups: [""],
                resources: ["services/legal-holds"],
                resourceNames: ["data-storage"],
                verbs: legalHoldVerbs,
              },
            ]
          : []),
      ],
    },
  });
  await rbac.createNamespacedRoleBinding({
    namespace,
    body: {
      metadata: { name },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name },
      subjects: [{ kind: "ServiceAccount", name, namespace }],
    },
  });
}

async function serviceAccountToken(kubeConfig: KubeConfig, namespace: string, name: string): Promise<string> {
  const core = kubeConfig.makeApiClient(CoreV1Api);
  await core
    .createNamespacedServiceAccount({ namespace, body: { metadata: { name } } })
    .catch(() => undefined);
  const request = await core.createNamespacedServiceAccountToken({
    name,
    namespace,
    body: { spec: { audiences: [], expirationSeconds: 3600 } },
  });
  const token = request.status?.token;
  if (!token) throw new Error(`no token for service account ${name}`);
  return token;
}
