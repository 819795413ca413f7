import { integrationConfig } from "./src/vitest/index.js";

export default integrationConfig({
  testTimeout: 60_000,
  hookTimeout: 120_000,
});
