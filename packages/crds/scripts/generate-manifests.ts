import { readdir, rm, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { crdManifestFiles } from "../src/manifest-files.js";

const dir = fileURLToPath(new URL("../manifests/", import.meta.url));
const files = crdManifestFiles();
const wanted = new Set(files.map((file) => file.fileName));
for (const stale of (await readdir(dir)).filter((name) => name.endsWith(".yaml") && !wanted.has(name))) {
  await rm(new URL(stale, `file://${dir}`));
}
for (const file of files) await writeFile(`${dir}${file.fileName}`, file.content);
console.log(`wrote ${files.length} CustomResourceDefinitions to ${dir}`);
