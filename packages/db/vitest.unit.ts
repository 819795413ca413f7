import { unitConfig } from "../testing/src/vitest/index.js";

// The test harness (@kubernaut/testing) is built on this package, so it cannot be a dependency of it: the
// shared config is loaded from its source.
export default unitConfig();
