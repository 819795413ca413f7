import { defineConfig } from "vitest/config";

// Real headless Chromium against the real storage service (a child process on PGlite or PostgreSQL).
export default defineConfig({
  test: {
    include: ["test/integration/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
