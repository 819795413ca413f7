import { fileURLToPath } from "node:url";
import { integrationConfig } from "../testing/src/vitest/index.js";

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default integrationConfig({
  // The test database harness (@kubernaut/testing/db) is built on this package, so it cannot be a
  // dependency of it: the tests load both from source, and the harness then uses this package's source too.
  alias: {
    "@kubernaut/testing/db": source("../testing/src/db/index.ts"),
    "@kubernaut/testing/fixtures": source("../testing/src/fixtures/index.ts"),
    "@kubernaut/db": source("./src/index.ts"),
  },
  testTimeout: 60_000,
  hookTimeout: 120_000,
});
