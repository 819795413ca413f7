import { integrationConfig } from "@kubernaut/testing/vitest";

export default integrationConfig({
  testTimeout: 60_000,
  hookTimeout: 120_000,
});
