import { integrationConfig } from "@kubernaut/testing/vitest";

// One API server for the whole run (private from KUBEBUILDER_ASSETS, or the cluster of KUBECONFIG);
// specs run one file at a time because they share it and the machine.
export default integrationConfig({
  include: ["test/**/*.test.ts"],
  globalSetup: ["test/support/global-setup.ts"],
  testTimeout: 600_000,
  hookTimeout: 300_000,
});
