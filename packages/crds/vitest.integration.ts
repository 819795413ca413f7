import { integrationConfig } from "@kubernaut/testing/vitest";

export default integrationConfig({
  globalSetup: ["test/integration/global-setup.ts"],
  testTimeout: 60_000,
  hookTimeout: 120_000,
});
