import { integrationConfig } from "@kubernaut/testing/vitest";

export default integrationConfig({
  globalSetup: ["test/integration/global-setup.ts"],
  testTimeout: 180_000,
  hookTimeout: 240_000,
});
