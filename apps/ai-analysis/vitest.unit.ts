import { unitConfig } from "@kubernaut/testing/vitest";

export default unitConfig();
