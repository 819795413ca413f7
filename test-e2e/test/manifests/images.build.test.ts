import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { repoRoot } from "../support/kubectl.js";

const script = join(repoRoot, "scripts", "build-images.sh");

/** Every app that ships as a container: the ones that serve a port (`config.port` in their package.json). */
const appsWithImage = readdirSync(join(repoRoot, "apps"))
  .filter((app) => {
    const manifest = join(repoRoot, "apps", app, "package.json");
    return existsSync(manifest) && JSON.parse(readFileSync(manifest, "utf8")).config?.port !== undefined;
  })
  .sort();

function buildImages(args: readonly string[], env: NodeJS.ProcessEnv = {}) {
  const {
    IMAGE_TAG: _tag,
    IMAGE_REPOSITORY: _repository,
    CONTAINER_ENGINE: _engine,
    ...inherited
  } = process.env;
  return spawnSync("bash", [script, ...args], {
    cwd: repoRoot,
    encoding: "utf8",
    env: { ...inherited, ...env },
  });
}

/** The `<engine> build` lines of a dry run, as { engine, dockerfile, image, context }. */
function buildsOf(stdout: string) {
  return stdout
    .split("\n")
    .map((line) => line.split(" "))
    .filter((words) => words[1] === "build")
    .map((words) => ({
      engine: words[0],
      dockerfile: words[words.indexOf("-f") + 1],
      image: words[words.indexOf("-t") + 1],
      buildArgs: words.filter((_, i) => words[i - 1] === "--build-arg").map((arg) => arg.split("=")[0]),
      app: words.find((w) => w.startsWith("APP="))?.slice(4),
      context: words.at(-1),
    }));
}

interface Kustomization {
  images: { name: string; newTag: string }[];
}
const kustomization = (path: string) =>
  parse(readFileSync(join(repoRoot, path, "kustomization.yaml"), "utf8")) as Kustomization;

describe("scripts/build-images.sh", () => {
  it("builds every app with a port from the one Dockerfile at the repository root, as kubernaut/<app>:dev by default", () => {
    const run = buildImages(["--dry-run"]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const builds = buildsOf(run.stdout);
    expect(appsWithImage.length).toBeGreaterThanOrEqual(4);
    expect(builds).toEqual(
      appsWithImage.map((app) => ({
        engine: expect.stringMatching(/^(docker|buildah)$/),
        dockerfile: "Dockerfile",
        image: `kubernaut/${app}:dev`,
        buildArgs: ["APP", "PORT", "VERSION", "REVISION"],
        app,
        context: ".",
      })),
    );
    const ports = run.stdout.match(/PORT=\d+/g);
    expect(ports).toEqual(["PORT=8083", "PORT=8085", "PORT=8081", "PORT=8082"]);
  });

  it("builds exactly the images the manifests deploy, with the tag the dev overlay pulls", () => {
    const built = buildsOf(buildImages(["--dry-run"]).stdout).map((b) => b.image ?? "");
    const base = kustomization("deploy/base").images.map((i) => i.name);
    expect(built.map((image) => image.replace(/:.*$/, "")).sort()).toEqual([...base].sort());
    const dev = kustomization("deploy/overlays/dev").images;
    expect(dev.map((i) => `${i.name}:${i.newTag}`).sort()).toEqual([...built].sort());
  });

  it("takes the tag from --tag or IMAGE_TAG, and loads each image into kind with --kind-load", () => {
    expect(buildsOf(buildImages(["--dry-run", "--tag", "1.2.3"]).stdout).map((b) => b.image)).toContain(
      "kubernaut/datastorage:1.2.3",
    );
    const run = buildImages(["--dry-run", "--kind-load", "e2e", "datastorage", "ai-analysis"], {
      IMAGE_TAG: "ci",
      CONTAINER_ENGINE: "docker",
    });
    expect(run.status).toBe(0);
    expect(run.stdout.split("\n").filter((l) => l.startsWith("kind load"))).toEqual([
      "kind load docker-image kubernaut/datastorage:ci --name e2e",
      "kind load docker-image kubernaut/ai-analysis:ci --name e2e",
    ]);
  });

  it("refuses an app without an image, naming it", () => {
    for (const app of ["no-such-app", "explorer"]) {
      const run = buildImages(["--dry-run", app]);
      expect(run.status).not.toBe(0);
      expect(run.stderr).toContain(
        `apps/${app} is not an app with an image (no config.port in apps/${app}/package.json)`,
      );
    }
  });

  it("says so when neither docker nor buildah is installed", () => {
    // A PATH with only the tools the script needs besides a container engine.
    const bin = mkdtempSync(join(tmpdir(), "build-images-path-"));
    try {
      for (const tool of ["bash", "dirname", "sed", "git"]) {
        const found = spawnSync("bash", ["-c", `command -v ${tool}`], { encoding: "utf8" }).stdout.trim();
        symlinkSync(found, join(bin, tool));
      }
      const run = spawnSync(join(bin, "bash"), [script], {
        cwd: repoRoot,
        encoding: "utf8",
        env: { PATH: bin },
      });
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/neither docker nor buildah is installed/);
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });
});
