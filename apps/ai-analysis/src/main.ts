import { runControllerProcess } from "@kubernaut/controller-kit";
import { pino } from "pino";
import { loadConfig } from "./config.js";
import { startController } from "./controller.js";

await runControllerProcess({
  name: "ai-analysis",
  loadConfig,
  createLogger: pino,
  start: (config, logger) => startController({ config, logger }),
  startedMessage: "AI analysis controller started",
  startedFields: (config) => ({ provider: config.INVESTIGATION_PROVIDER }),
});
