import { unitConfig } from "./src/vitest/index.js";

export default unitConfig();
