import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/integration/**/*.test.ts"],
    globalSetup: ["test/integration/global-setup.ts"],
    passWithNoTests: true,
    testTimeout: 180_000,
    hookTimeout: 240_000,
    fileParallelism: false,
  },
});
