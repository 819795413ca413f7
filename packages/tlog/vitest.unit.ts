import { unitConfig } from "@kubernaut/testing/vitest";

export default unitConfig({ include: ["test/unit/**/*.test.ts"] });
