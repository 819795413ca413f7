import { constants } from "node:fs";
import { access, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { workspaceRoot } from "../storage/process.js";
import { missingKubernetesMessage, startEnvtest, startKubeTestEnvironment, testKubeConfig } from "./index.js";

describe("the Kubernetes test environment without a cluster", () => {
  const saved = { KUBECONFIG: process.env.KUBECONFIG, KUBEBUILDER_ASSETS: process.env.KUBEBUILDER_ASSETS };

  beforeEach(() => {
    delete process.env.KUBECONFIG;
    delete process.env.KUBEBUILDER_ASSETS;
  });

  afterEach(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it("fails with instructions when neither KUBECONFIG nor KUBEBUILDER_ASSETS is set", async () => {
    await expect(startKubeTestEnvironment()).rejects.toThrow(missingKubernetesMessage);
    expect(() => testKubeConfig()).toThrow(missingKubernetesMessage);
  });

  it("points at a provisioning script of this repository that prints KUBEBUILDER_ASSETS", async () => {
    const command = /\$\((scripts\/[\w.-]+)\.sh (\w+)\)/.exec(missingKubernetesMessage);
    expect(command, "the message names `scripts/<name>.sh <dependency>`").not.toBeNull();
    const [, script = "", dependency = ""] = command ?? [];
    // The script runs scripts/<name>/<dependency>.sh for each dependency it is given.
    for (const path of [`${script}.sh`, `${script}/${dependency}.sh`]) {
      await expect(
        access(join(workspaceRoot(), path), constants.X_OK),
        `${path} is executable`,
      ).resolves.toBeUndefined();
    }
    const provisioner = await readFile(join(workspaceRoot(), `${script}/${dependency}.sh`), "utf8");
    expect(provisioner).toMatch(/^\s*echo "KUBEBUILDER_ASSETS=/m);
  });

  it("names the missing binary when KUBEBUILDER_ASSETS lacks it", async () => {
    const assets = await mkdtemp(join(tmpdir(), "assets-"));
    try {
      await writeFile(join(assets, "etcd"), "#!/bin/sh\n", { mode: 0o755 });
      await expect(startEnvtest({ assetsDir: assets })).rejects.toThrow(
        `${join(assets, "kube-apiserver")} is missing`,
      );
    } finally {
      await rm(assets, { recursive: true, force: true });
    }
  });

  it("says that a KUBECONFIG without a reachable API server does not answer", async () => {
    const dir = await mkdtemp(join(tmpdir(), "kubeconfig-"));
    const path = join(dir, "config");
    await writeFile(
      path,
      `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
users: [{name: u, user: {token: t}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`,
    );
    process.env.KUBECONFIG = path;
    try {
      await expect(startKubeTestEnvironment()).rejects.toThrow(`the API server of ${path} does not answer`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
