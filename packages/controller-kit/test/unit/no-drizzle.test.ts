import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** A module resolve hook that makes loading drizzle-orm fail, registered before anything else loads. */
const refuseDrizzle = `data:text/javascript,${encodeURIComponent(
  `import { register } from "node:module";
register(${JSON.stringify(
    `data:text/javascript,${encodeURIComponent(
      `export async function resolve(specifier, context, next) {
  if (specifier === "drizzle-orm" || specifier.startsWith("drizzle-orm/")) throw new Error("drizzle-orm loaded");
  return next(specifier, context);
}`,
    )}`,
  )});`,
)}`;

/** Imports `specifiers` (built packages) in a fresh node process that refuses drizzle-orm. */
function importWithoutDrizzle(specifiers: string[]) {
  const script = specifiers.map((specifier) => `await import(${JSON.stringify(specifier)});`).join("\n");
  return spawnSync(process.execPath, ["--import", refuseDrizzle, "--input-type=module", "-e", script], {
    cwd: root,
    encoding: "utf8",
  });
}

/** The packages the kit's sources import. */
function packagesImported(): string[] {
  const specifiers = readdirSync(resolve(root, "src"))
    .filter((file) => file.endsWith(".ts"))
    .flatMap((file) =>
      [
        ...readFileSync(resolve(root, "src", file), "utf8").matchAll(
          /^import (?!type )[^"]*"([^".][^"]*)"/gm,
        ),
      ].map(([, specifier = ""]) => specifier),
    );
  return [...new Set(specifiers)].filter((specifier) => !specifier.startsWith("node:")).sort();
}

describe("a controller process does not load drizzle-orm", () => {
  it("imports the kit's packages (controller-runtime, storage-client, schema/contracts) without it", {
    timeout: 60_000,
  }, () => {
    const packages = packagesImported();
    expect(packages).toContain("@kubernaut/schema/contracts");
    expect(packages).toContain("@kubernaut/storage-client");
    const run = importWithoutDrizzle(packages);
    expect(run.stderr).not.toContain("drizzle-orm loaded");
    expect(run.status).toBe(0);
  });

  it("would notice: the @kubernaut/schema root entry loads drizzle-orm", { timeout: 60_000 }, () => {
    const run = importWithoutDrizzle(["@kubernaut/schema"]);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("drizzle-orm loaded");
  });
});
