import { existsSync, readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig, type TestProjectInlineConfiguration } from "vitest/config";

// Every package's test configs as projects of one run, named `<directory>:<kind>`, e.g.
// `pnpm exec vitest run --project schema:unit` or `--project 'datastorage:*'`. Each project is the package's
// own `vitest.<kind>.ts` (built by @kubernaut/testing/vitest), which `pnpm test` / `pnpm test:integration`
// also run in the package.
const root = fileURLToPath(new URL(".", import.meta.url));
const kinds = ["unit", "integration", "e2e"];
const packageDirs = ["packages", "apps"]
  .flatMap((group) => readdirSync(join(root, group)).map((name) => join(group, name)))
  .concat("test-e2e");

export default defineConfig({
  test: {
    projects: packageDirs.flatMap((dir): TestProjectInlineConfiguration[] =>
      kinds
        .filter((kind) => existsSync(join(root, dir, `vitest.${kind}.ts`)))
        .map((kind) => ({
          extends: `./${dir}/vitest.${kind}.ts`,
          root: `./${dir}`,
          test: { name: `${basename(dir)}:${kind}` },
        })),
    ),
  },
});
