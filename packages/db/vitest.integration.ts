import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    // The test database harness (@kubernaut/testing/db) is built on this package, so it cannot be a
    // dependency of it: the tests load both from source, and the harness then uses this package's source too.
    alias: {
      "@kubernaut/testing/db": source("../testing/src/db/index.ts"),
      "@kubernaut/db": source("./src/index.ts"),
    },
  },
  test: {
    include: ["test/integration/**/*.test.ts"],
    passWithNoTests: true,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
