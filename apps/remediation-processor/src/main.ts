import { runControllerProcess } from "@kubernaut/controller-kit";
import { pino } from "pino";
import { loadConfig } from "./config.js";
import { startProcessor } from "./controller.js";

await runControllerProcess({
  name: "remediation-processor",
  loadConfig,
  createLogger: pino,
  start: (config, logger) => startProcessor({ config, logger }),
  startedMessage: "remediation processor started",
});
