import { readdirSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const forbidden = ["@kubernaut/schema", "@kubernaut/storage-client", "@kubernaut/controller-kit"];

describe("@kubernaut/controller-runtime stays generic", () => {
  it("neither depends on nor imports the audit packages", () => {
    const manifest = JSON.parse(readFileSync(resolve(root, "package.json"), "utf8")) as {
      dependencies?: Record<string, string>;
    };
    expect(Object.keys(manifest.dependencies ?? {}).filter((name) => forbidden.includes(name))).toEqual([]);
    const imports = readdirSync(resolve(root, "src"))
      .filter((file) => file.endsWith(".ts"))
      .flatMap((file) =>
        [...readFileSync(resolve(root, "src", file), "utf8").matchAll(/from "([^"]+)"/g)].map(
          ([, specifier = ""]) => `${file}: ${specifier}`,
        ),
      );
    expect(imports.filter((line) => forbidden.some((name) => line.includes(`: ${name}`)))).toEqual([]);
  });
});
