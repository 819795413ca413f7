import { integrationConfig } from "@kubernaut/testing/vitest";

// Real headless Chromium against the real storage service (a child process on PGlite or PostgreSQL).
export default integrationConfig({
  testTimeout: 120_000,
  hookTimeout: 180_000,
});
