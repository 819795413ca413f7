import { fileURLToPath } from "node:url";
import { unitConfig } from "../testing/src/vitest/index.js";

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// The test harness (@kubernaut/testing) is built on this package, so it cannot be a dependency of it: the
// shared config and the fixtures the tests share with the storage service's are loaded from its source.
export default unitConfig({
  alias: { "@kubernaut/testing/fixtures": source("../testing/src/fixtures/index.ts") },
});
