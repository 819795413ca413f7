import { integrationConfig } from "@kubernaut/testing/vitest";

export default integrationConfig({
  testTimeout: 120_000,
  hookTimeout: 240_000,
});
